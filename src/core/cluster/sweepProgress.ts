/**
 * How far the runs of a sweep are, per array task: the state in each run folder's `status` file
 * ('missing' before the task has started it), read with the run-folder code, so it holds whatever
 * Slurm remembers.
 */
import { listRuns, type RunState } from '../train/runFolder';

export interface TaskRun {
  readonly task: number;
  readonly name: string;
  readonly state: RunState | 'missing';
}

export async function sweepProgress(runsDir: string, names: readonly string[]): Promise<TaskRun[]> {
  const byName = new Map((await listRuns(runsDir)).map((r) => [r.name, r]));
  return names.map((name, task) => ({ task, name, state: byName.get(name)?.status?.state ?? 'missing' }));
}
