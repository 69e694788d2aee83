/**
 * `wslab slurm generate`: writes (and with --submit, submits) the sbatch script of a job array that
 * generates an INR dataset, task i running `wslab generate --shard i/n` with the exact options given.
 * The source is opened and the plan made here, so bad options fail now rather than in every task, and
 * the output folder is claimed (dataset.json) before anything is queued.
 */
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { checkTaskCount } from '../../core/cluster/arrayTasks';
import { generateJobScript, generateLogPattern, generateScriptPath } from '../../core/cluster/generateJob';
import { checkJobName } from '../../core/cluster/sbatchScript';
import { JOB_RECORD_VERSION, type JobRecord } from '../../core/cluster/jobRecord';
import { datasetSettings, planFromSettings } from '../../core/dataset/generate';
import { claimDatasetDir } from '../../core/dataset/manifest';
import { openImageSource } from '../../core/dataset/openSource';
import { groupByShard } from '../../core/dataset/plan';
import { formatCount } from '../../protocol/display';
import { UsageError, type CommandIO } from '../command';
import { sirenForSource } from '../../core/dataset/runGeneration';
import { GENERATE_OPTIONS, generateArgv, generateRequest } from '../commands/generate';
import { integerOption } from '../options';
import { jobDirectives, SLURM_JOB_OPTIONS, SLURM_JOB_USAGE, writeAndSubmitJob } from './jobOptions';
import { wslabCommand } from './wslabCommand';

/** Slurm arrays are limited by MaxArraySize (1001 by default). */
const MAX_DEFAULT_TASKS = 1000;

export const slurmGenerateUsage =
  `wslab slurm generate <wslab generate options> [--tasks N] ${SLURM_JOB_USAGE}\n` +
  '               write OUT/slurm/generate.sbatch, a job array of N tasks (default: one per shard); --submit runs sbatch and prints the job id';

const SLURM_OPTIONS = { tasks: { type: 'string' }, ...SLURM_JOB_OPTIONS } as const;

/** The default job name: wslab-gen-<output folder name>, reduced to what sbatch accepts. */
export function defaultJobName(out: string): string {
  return `wslab-gen-${basename(out).replace(/[^A-Za-z0-9._-]+/g, '_')}`.slice(0, 64);
}

export async function slurmGenerateCommand(args: readonly string[], io: CommandIO): Promise<number> {
  const { values } = parseArgs({ args: [...args], options: { ...GENERATE_OPTIONS, ...SLURM_OPTIONS } });
  if (values.shard !== undefined) throw new UsageError('slurm generate gives each task its own --shard i/n: use --tasks N instead of --shard');
  // Everything that needs no data is checked before the source is opened.
  const request = generateRequest(values);
  const out = resolve(request.out);
  const name = values['job-name'] ?? defaultJobName(out);
  checkJobName(name);
  const tasksWanted = values.tasks === undefined ? undefined : integerOption('tasks', values.tasks, 1);
  const cpusPerTask = values['cpus-per-task'] === undefined ? (request.workers ?? 4) : integerOption('cpus-per-task', values['cpus-per-task'], 1);
  const maxRunning = values['max-running'] === undefined ? undefined : integerOption('max-running', values['max-running'], 1);
  const directives = jobDirectives(values);
  const wslab = wslabCommand(values.wslab);

  const source = await openImageSource(request.dataset);
  const settings = datasetSettings({ ...request, source, spec: sirenForSource(source) });
  const shardCount = groupByShard(planFromSettings(settings)).length;
  const tasks = tasksWanted ?? Math.min(shardCount, MAX_DEFAULT_TASKS);
  checkTaskCount(tasks, shardCount);

  await claimDatasetDir(out, settings);
  const script = generateJobScript({
    out,
    workdir: process.cwd(),
    name,
    tasks,
    maxRunning,
    cpusPerTask,
    requeue: !values['no-requeue'],
    directives,
    wslab,
    generateArgs: generateArgv({ ...values, out, shard: undefined, workers: String(request.workers ?? cpusPerTask) }),
  });
  const scriptPath = values.script === undefined ? generateScriptPath(out) : resolve(values.script);
  const record: JobRecord = { version: JOB_RECORD_VERSION, kind: 'generate', jobId: null, name, tasks, out, script: scriptPath, log: generateLogPattern(out), submitted: null };
  const perTask = Math.ceil(shardCount / tasks);
  const what = `${tasks} task(s) × ${cpusPerTask} CPU(s), ${formatCount(shardCount)} shard(s) (≤ ${perTask} per task)`;
  return writeAndSubmitJob({ script, record, what, after: `, then wslab merge ${out}`, submit: values.submit }, io);
}
