/**
 * The command line of `wslab generate` for a generation, every option spelled out (defaults included)
 * so a job script states exactly what each task runs — the one builder for the CLI's `slurm generate`
 * and the extension's "Submit to Slurm…". Parsing it with the CLI gives the same request back
 * (test/slurm/cli.test.ts). No --shard: each array task adds its own.
 */
export interface GenerateCommandLine {
  /** 'mnist', 'fashion-mnist' or an image folder. */
  readonly dataset: string;
  readonly out: string;
  /** null: every image. */
  readonly limit: number | null;
  readonly views: number;
  readonly steps: number;
  /** null: no early stop (`--target-psnr none`). */
  readonly targetPsnr: number | null;
  readonly seed: number;
  readonly shardSize: number;
  readonly valFraction: number;
  readonly testFraction: number;
  readonly workers: number;
  readonly backend: string;
}

export function generateArgv(g: GenerateCommandLine): string[] {
  return [
    '--dataset', g.dataset,
    '--out', g.out,
    ...(g.limit === null ? [] : ['--limit', String(g.limit)]),
    '--views', String(g.views),
    '--steps', String(g.steps),
    '--target-psnr', g.targetPsnr === null ? 'none' : String(g.targetPsnr),
    '--seed', String(g.seed),
    '--shard-size', String(g.shardSize),
    '--val', String(g.valFraction),
    '--test', String(g.testFraction),
    '--workers', String(g.workers),
    '--backend', g.backend,
    '--progress', 'bar',
  ];
}
