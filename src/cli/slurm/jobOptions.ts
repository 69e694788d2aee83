/**
 * What every `wslab slurm` job-writing subcommand shares: the sbatch options (CPUs, partition, time,
 * job name, requeue, how to start wslab, where the script goes, --submit), turning them into
 * directives, and writing the script, the log folder and the job record — then submitting on --submit.
 */
import { submitPreparedJob, writeJobFiles, type PreparedJob } from '../../core/cluster/preparedJob';
import { execTool } from '../../core/cluster/runTool';
import { sbatchOption } from '../../core/cluster/sbatchScript';
import type { CommandIO } from '../command';

export const SLURM_JOB_OPTIONS = {
  'cpus-per-task': { type: 'string' },
  'max-running': { type: 'string' },
  partition: { type: 'string' },
  time: { type: 'string' },
  mem: { type: 'string' },
  account: { type: 'string' },
  sbatch: { type: 'string', multiple: true },
  'job-name': { type: 'string' },
  'no-requeue': { type: 'boolean', default: false },
  wslab: { type: 'string' },
  script: { type: 'string' },
  submit: { type: 'boolean', default: false },
} as const;

export const SLURM_JOB_USAGE =
  '[--cpus-per-task C] [--max-running M] [--partition P] [--time T] [--mem M]\n' +
  '               [--account A] [--sbatch=OPTION]… [--job-name NAME] [--no-requeue] [--wslab CMD] [--script PATH] [--submit]';

type DirectiveValues = { [K in 'partition' | 'time' | 'mem' | 'account']?: string } & { sbatch?: string[] };

/** The extra #SBATCH directives of --partition, --time, --mem, --account and each --sbatch. */
export function jobDirectives(values: DirectiveValues): string[] {
  return [
    ...(['partition', 'time', 'mem', 'account'] as const).flatMap((option) => (values[option] === undefined ? [] : [sbatchOption(option, values[option])])),
    ...(values.sbatch ?? []),
  ];
}

export interface WrittenJob extends PreparedJob {
  readonly submit: boolean;
}

/** Writes the script, the log folder and the job record; with `submit`, runs sbatch and records the id. */
export async function writeAndSubmitJob(job: WrittenJob, io: CommandIO): Promise<number> {
  const { record } = job;
  if (!job.submit) {
    await writeJobFiles(job);
    io.stderr(`wrote the job script: ${job.what}; submit it with sbatch ${record.script} (or add --submit)`);
    io.stdout(record.script);
    return 0;
  }
  const { jobId } = await submitPreparedJob(job, execTool);
  io.stderr(`submitted job ${jobId}: ${job.what}; follow it with wslab slurm status ${record.out}${job.after ?? ''}`);
  io.stdout(jobId!);
  return 0;
}
