/**
 * A generation as plain data — what `wslab generate`'s options, the extension's worker job, each task of
 * a Slurm array and the demo all describe — with its defaults, the `wslab generate` command line that asks
 * for it (every option spelled out, so a job script states exactly what each task runs; parsing it with
 * the CLI gives the same request back, test/slurm/cli.test.ts), and the settings generateDataset takes.
 * runGeneration.ts runs one.
 */
import type { BackendKind } from '../inr/backendKinds';
import { DEFAULT_FIT } from '../inr/fitBackend';
import { DEFAULT_SIREN } from '../inr/spec';
import type { FitSettings } from './manifestSchema';

export interface GenerationRequest {
  /** 'mnist', 'fashion-mnist', 'shapes3d', or a folder of images or meshes (openSource.ts). */
  readonly dataset: string;
  readonly out: string;
  /** How many images; null: every image. */
  readonly limit: number | null;
  /** INRs per image, each from its own initialisation. */
  readonly views: number;
  /** Widths of the SIREN's hidden layers. */
  readonly hidden: readonly number[];
  readonly steps: number;
  /** Stop fitting an INR at this PSNR; null: fit every step. */
  readonly targetPsnr: number | null;
  readonly seed: number;
  /** INRs per shard file (the unit of resume). */
  readonly shardSize: number;
  readonly valFraction: number;
  readonly testFraction: number;
  readonly backend: BackendKind;
  /** Worker threads of the wasm backend; null: one per core. */
  readonly workers: number | null;
}

export const GENERATION_DEFAULTS = {
  limit: null,
  views: 1,
  hidden: DEFAULT_SIREN.hidden,
  steps: DEFAULT_FIT.steps,
  targetPsnr: DEFAULT_FIT.targetPsnr,
  seed: 0,
  shardSize: 256,
  valFraction: 0.1,
  testFraction: 0.1,
  backend: 'auto',
  workers: null,
} as const satisfies Omit<GenerationRequest, 'dataset' | 'out'>;

/** The options of `wslab generate` for a request (no --shard: each array task adds its own). */
export function generateArgv(g: GenerationRequest): string[] {
  return [
    '--dataset',
    g.dataset,
    '--out',
    g.out,
    ...(g.limit === null ? [] : ['--limit', String(g.limit)]),
    '--views',
    String(g.views),
    '--hidden',
    g.hidden.join(','),
    '--steps',
    String(g.steps),
    '--target-psnr',
    g.targetPsnr === null ? 'none' : String(g.targetPsnr),
    '--seed',
    String(g.seed),
    '--shard-size',
    String(g.shardSize),
    '--val',
    String(g.valFraction),
    '--test',
    String(g.testFraction),
    ...(g.workers === null ? [] : ['--workers', String(g.workers)]),
    '--backend',
    g.backend,
    '--progress',
    'bar',
  ];
}

/** The plan and fit settings of a request, as generateDataset and datasetSettings take them. */
export function planOptions(g: GenerationRequest): {
  out: string;
  fit: FitSettings;
  limit: number | undefined;
  views: number;
  seed: number;
  valFraction: number;
  testFraction: number;
  shardSize: number;
} {
  return {
    out: g.out,
    fit: { ...DEFAULT_FIT, steps: g.steps, targetPsnr: g.targetPsnr },
    limit: g.limit ?? undefined,
    views: g.views,
    seed: g.seed,
    valFraction: g.valFraction,
    testFraction: g.testFraction,
    shardSize: g.shardSize,
  };
}
