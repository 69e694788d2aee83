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
import type { CliOptions } from '../optionHelp';

export const SLURM_JOB_OPTIONS = {
  'cpus-per-task': { type: 'string', value: 'C', help: 'CPUs of each task (#SBATCH --cpus-per-task).', defaultText: '4; generate: --workers, else 4' },
  'max-running': { type: 'string', value: 'M', help: "Tasks running at once (the array's %M).", defaultText: 'no limit' },
  partition: { type: 'string', value: 'P', help: '#SBATCH --partition.', defaultText: "the cluster's" },
  time: { type: 'string', value: 'T', help: '#SBATCH --time, e.g. 02:00:00.', defaultText: "the cluster's" },
  mem: { type: 'string', value: 'M', help: '#SBATCH --mem, e.g. 8G.', defaultText: "the cluster's" },
  account: { type: 'string', value: 'A', help: '#SBATCH --account.', defaultText: "the cluster's" },
  sbatch: { type: 'string', multiple: true, value: 'OPTION', help: 'Any further sbatch option, as on its command line (--sbatch=--qos=short).' },
  'job-name': { type: 'string', value: 'NAME', help: 'The job name (letters, digits, . _ -).', defaultText: "wslab-gen-/wslab-sweep- and the output's name" },
  'no-requeue': { type: 'boolean', default: false, help: 'Do not let Slurm requeue preempted tasks (they resume when requeued).' },
  wslab: {
    type: 'string',
    value: 'CMD',
    help: 'How tasks start wslab, e.g. "apptainer exec wslab.sif wslab".',
    defaultText: 'this wslab, by its absolute path',
  },
  script: { type: 'string', value: 'PATH', help: 'Where to write the sbatch script.', defaultText: 'OUT/slurm/' },
  submit: { type: 'boolean', default: false, help: 'Run sbatch on the script and print the job id (else only write it).' },
} as const satisfies CliOptions;

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

type ArrayValues = DirectiveValues & {
  'cpus-per-task'?: string;
  'max-running'?: string;
  wslab?: string;
  'no-requeue'?: boolean;
  'job-name'?: string;
  script?: string;
};

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
