/**
 * What every `wslab slurm` job-writing subcommand shares: the sbatch options (CPUs, partition, time,
 * job name, requeue, how to start wslab, where the script goes, --submit), turning them into
 * directives, and writing the script, the log folder and the job record — then submitting on --submit.
 */
import { submitPreparedJob, writeJobFiles, type PreparedJob } from '../../core/cluster/preparedJob';
import { execTool } from '../../core/cluster/runTool';
import { resolve } from 'node:path';
import { sbatchOption, type WslabArrayOptions } from '../../core/cluster/sbatchScript';
import type { CommandIO } from '../command';
import { integerOption } from '../options';
import { wslabCommand } from './wslabCommand';

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

type ArrayValues = DirectiveValues & { 'cpus-per-task'?: string; 'max-running'?: string; wslab?: string; 'no-requeue'?: boolean; 'job-name'?: string; script?: string };

/** The array settings the shared options give a training job array (4 CPUs per task unless --cpus-per-task), run from this folder. */
export function trainingArrayOptions(values: ArrayValues): Omit<WslabArrayOptions, 'name'> & { readonly name?: string; readonly script?: string } {
  return {
    cpusPerTask: values['cpus-per-task'] === undefined ? 4 : integerOption('cpus-per-task', values['cpus-per-task'], 1),
    maxRunning: values['max-running'] === undefined ? undefined : integerOption('max-running', values['max-running'], 1),
    directives: jobDirectives(values),
    wslab: wslabCommand(values.wslab),
    workdir: process.cwd(),
    requeue: !values['no-requeue'],
    name: values['job-name'],
    script: values.script === undefined ? undefined : resolve(values.script),
  };
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
