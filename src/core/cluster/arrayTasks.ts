/**
 * A Slurm job array of n tasks sharing one dataset: task i (SLURM_ARRAY_TASK_ID) is part i/n of the
 * plan (`wslab generate --shard i/n`) and makes the shards k with k mod n = i — no two tasks make the
 * same shard, and a requeued task finds its own finished shards and makes only the rest.
 */
import { shardsOfPart } from '../dataset/plan';
import { ClusterError } from './errors';

/** The `--array` value of n tasks: `0-(n−1)`, with `%m` when at most m may run at once. */
export function arrayRange(tasks: number, maxRunning?: number): string {
  if (!Number.isInteger(tasks) || tasks < 1) throw new ClusterError(`a job array needs at least one task, got ${tasks}`);
  if (maxRunning !== undefined && (!Number.isInteger(maxRunning) || maxRunning < 1))
    throw new ClusterError(`the limit of running tasks must be a positive integer, got ${maxRunning}`);
  return `0-${tasks - 1}${maxRunning === undefined ? '' : `%${maxRunning}`}`;
}

/** The shards task `task` of `tasks` makes, when the plan has `shardCount` shards. */
export function shardsOfTask(task: number, tasks: number, shardCount: number): number[] {
  if (!Number.isInteger(task) || task < 0 || task >= tasks) throw new ClusterError(`task ${task} is not in the array 0-${tasks - 1}`);
  return shardsOfPart(shardCount, { index: task, count: tasks });
}

/** Refuses an array with tasks that would have nothing to do. */
export function checkTaskCount(tasks: number, shardCount: number): void {
  if (tasks > shardCount) {
    throw new ClusterError(
      `${tasks} tasks for ${shardCount} shard(s): tasks ${shardCount}-${tasks - 1} would have nothing to do (use --tasks ${shardCount} or a smaller --shard-size)`,
    );
  }
}

/**
 * The task ids of an array index expression as Slurm prints them: `3`, `0-3`, `[0-3]`, `[1,4-6%2]`
 * (the `%m` throttle is ignored). Throws for anything else.
 */
export function parseArrayIndices(text: string): number[] {
  const body = text.replace(/^\[(.*)\]$/, '$1').replace(/%\d+$/, '');
  const ids: number[] = [];
  for (const part of body.split(',')) {
    const m = /^(\d+)(?:-(\d+))?(?::(\d+))?$/.exec(part);
    if (!m) throw new ClusterError(`"${text}" is not an array index expression`);
    const [first, last, step] = [Number(m[1]), m[2] === undefined ? Number(m[1]) : Number(m[2]), m[3] === undefined ? 1 : Number(m[3])];
    if (last < first || step < 1) throw new ClusterError(`"${text}" is not an array index expression`);
    for (let i = first; i <= last; i += step) ids.push(i);
  }
  return ids;
}
