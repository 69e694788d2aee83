/**
 * The job array that generates an INR dataset: task i of n runs `wslab generate … --shard i/n` into
 * the shared output folder, so each task makes the shards k ≡ i (mod n) and finished shards survive a
 * requeue. The job's files live in OUT/slurm/: the script, and one log per task in logs/.
 */
import { basename, join } from 'node:path';
import { ClusterError } from './errors';
import { slurmFolder } from './jobRecord';
import { sbatchScript, type ArrayJob, type WslabArrayOptions } from './sbatchScript';

export interface GenerateJobOptions extends WslabArrayOptions {
  /** Absolute output folder of the dataset. */
  readonly out: string;
  readonly tasks: number;
  /** The options of `wslab generate`, without --shard (the job adds it). */
  readonly generateArgs: readonly string[];
}

/** The default job name: wslab-gen-<output folder name>, reduced to what sbatch accepts. */
export function defaultGenerateJobName(out: string): string {
  return `wslab-gen-${basename(out).replace(/[^A-Za-z0-9._-]+/g, '_')}`.slice(0, 64);
}

export function generateScriptPath(out: string): string {
  return join(slurmFolder(out), 'generate.sbatch');
}

export function generateLogPattern(out: string): string {
  return join(slurmFolder(out), 'logs', 'generate-%A_%a.log');
}

export function generateJob(o: GenerateJobOptions): ArrayJob {
  if (o.generateArgs.some((a) => a === '--shard' || a.startsWith('--shard='))) {
    throw new ClusterError('the options of a generation job must not hold --shard: each task gets its own from the array');
  }
  return {
    name: o.name,
    tasks: o.tasks,
    maxRunning: o.maxRunning,
    cpusPerTask: o.cpusPerTask,
    workdir: o.workdir,
    log: generateLogPattern(o.out),
    requeue: o.requeue,
    directives: o.directives,
    description: [
      `Written by wslab slurm generate: an INR dataset in ${o.tasks} parts, into ${o.out}.`,
      `Task i runs wslab generate --shard i/${o.tasks}, which makes the shards k with k mod ${o.tasks} = i and`,
      'skips those already finished, so a requeued task resumes. Submit: sbatch THIS_FILE; only some tasks:',
      `sbatch --array=1,3 THIS_FILE. When all tasks are done: wslab merge ${o.out}`,
    ],
    command: [...o.wslab, 'generate', ...o.generateArgs, '--shard', { shell: `"\${SLURM_ARRAY_TASK_ID}/${o.tasks}"` }],
  };
}

export function generateJobScript(o: GenerateJobOptions): string {
  return sbatchScript(generateJob(o));
}
