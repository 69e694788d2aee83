/**
 * What every `wslab slurm` job-writing subcommand shares: the sbatch options (CPUs, partition, time,
 * job name, requeue, how to start wslab, where the script goes, --submit), turning them into
 * directives, and writing the script, the log folder and the job record — then submitting on --submit.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeJobRecord, type JobRecord } from '../../core/cluster/jobRecord';
import { execTool } from '../../core/cluster/runTool';
import { sbatchOption } from '../../core/cluster/sbatchScript';
import { submitScript } from '../../core/cluster/submit';
import { writeFileAtomic } from '../../core/io/atomicWrite';
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

export interface WrittenJob {
  readonly script: string;
  /** The record to write (jobId and submitted null); its `script` and `log` say where the files go. */
  readonly record: JobRecord;
  /** One line on what the job does, e.g. `2 task(s) × 1 CPU(s), …`. */
  readonly what: string;
  /** What to do after the job, appended to the submission message (e.g. `, then wslab merge OUT`). */
  readonly after?: string;
  readonly submit: boolean;
}

/** Writes the script, the log folder and the job record; with `submit`, runs sbatch and records the id. */
export async function writeAndSubmitJob(job: WrittenJob, io: CommandIO): Promise<number> {
  const { record } = job;
  await writeFileAtomic(record.script, new TextEncoder().encode(job.script));
  await mkdir(dirname(record.log), { recursive: true });
  await writeJobRecord(record);
  if (!job.submit) {
    io.stderr(`wrote the job script: ${job.what}; submit it with sbatch ${record.script} (or add --submit)`);
    io.stdout(record.script);
    return 0;
  }
  const jobId = await submitScript(record.script, execTool);
  await writeJobRecord({ ...record, jobId, submitted: new Date().toISOString() });
  io.stderr(`submitted job ${jobId}: ${job.what}; follow it with wslab slurm status ${record.out}${job.after ?? ''}`);
  io.stdout(jobId);
  return 0;
}
