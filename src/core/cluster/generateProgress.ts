/**
 * Which shards of a dataset in the making are finished, per array task: read from the shard files
 * themselves (a shard exists complete or not at all), so it holds whatever Slurm remembers.
 */
import { planFromSettings } from '../dataset/generate';
import { readDatasetSettings, shardPath } from '../dataset/manifest';
import { groupByShard } from '../dataset/plan';
import { readFinishedShard } from '../dataset/shard';
import { shardsOfTask } from './arrayTasks';

export interface TaskShards {
  readonly task: number;
  /** The shards this task makes. */
  readonly shards: readonly number[];
  readonly finished: readonly number[];
}

export async function shardProgress(out: string, tasks: number): Promise<TaskShards[]> {
  const settings = await readDatasetSettings(out);
  const byShard = groupByShard(planFromSettings(settings));
  const progress: TaskShards[] = [];
  for (let task = 0; task < tasks; task++) {
    const shards = shardsOfTask(task, tasks, byShard.length);
    const finished: number[] = [];
    for (const k of shards) {
      if ('items' in (await readFinishedShard(shardPath(out, k), settings, byShard[k]!))) finished.push(k);
    }
    progress.push({ task, shards, finished });
  }
  return progress;
}
