/**
 * `wslab slurm generate`: writes (and with --submit, submits) the sbatch script of a job array that
 * generates an INR dataset, task i running `wslab generate --shard i/n` with the exact options given.
 * The source is opened and the plan made first (src/core/cluster/generateArray.ts), so bad options fail
 * now rather than in every task, and the output folder is claimed (dataset.json) before anything is queued.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { prepareGenerateArray } from '../../core/cluster/generateArray';
import { defaultGenerateJobName } from '../../core/cluster/generateJob';
import { checkJobName } from '../../core/cluster/sbatchScript';
import { UsageError, type CommandIO } from '../command';
import { GENERATE_OPTIONS, generateRequest } from '../commands/generate';
import { integerOption } from '../options';
import { jobDirectives, SLURM_JOB_OPTIONS, SLURM_JOB_USAGE, writeAndSubmitJob } from './jobOptions';
import { wslabCommand } from './wslabCommand';
import type { CliOptions } from '../optionHelp';

export const slurmGenerateUsage =
  `wslab slurm generate <wslab generate options> [--tasks N] ${SLURM_JOB_USAGE}\n` +
  '               write OUT/slurm/generate.sbatch, a job array of N tasks (default: one per shard); --submit runs sbatch and prints the job id';

export const SLURM_GENERATE_OPTIONS = {
  ...GENERATE_OPTIONS,
  tasks: { type: 'string', value: 'N', help: 'Tasks of the array; each fits every N-th part of the dataset.', defaultText: 'one per shard' },
  ...SLURM_JOB_OPTIONS,
} as const satisfies CliOptions;

/** The default job name: wslab-gen-<output folder name>, reduced to what sbatch accepts. */
export const defaultJobName = defaultGenerateJobName;

export async function slurmGenerateCommand(args: readonly string[], io: CommandIO): Promise<number> {
  const { values } = parseArgs({ args: [...args], options: SLURM_GENERATE_OPTIONS });
  if (values.shard !== undefined) throw new UsageError('slurm generate gives each task its own --shard i/n: use --tasks N instead of --shard');
  // Everything that needs no data is checked before the source is opened.
  const { request: given } = generateRequest(values);
  const request = { ...given, out: resolve(given.out) };
  const out = request.out;
  const name = values['job-name'] ?? defaultJobName(out);
  checkJobName(name);
  const tasks = values.tasks === undefined ? undefined : integerOption('tasks', values.tasks, 1);
  const cpusPerTask = values['cpus-per-task'] === undefined ? (request.workers ?? 4) : integerOption('cpus-per-task', values['cpus-per-task'], 1);
  const maxRunning = values['max-running'] === undefined ? undefined : integerOption('max-running', values['max-running'], 1);
  const directives = jobDirectives(values);
  const wslab = wslabCommand(values.wslab);

  const job = await prepareGenerateArray({
    request,
    workdir: process.cwd(),
    name,
    tasks,
    maxRunning,
    cpusPerTask,
    requeue: !values['no-requeue'],
    directives,
    wslab,
    script: values.script === undefined ? undefined : resolve(values.script),
  });
  return writeAndSubmitJob({ ...job, submit: values.submit }, io);
}
