/**
 * What Slurm says about the tasks of a job array, and what that means: each Slurm state (PENDING,
 * RUNNING, COMPLETED, FAILED, …) falls in one of a few phases; a task Slurm no longer lists is `gone`.
 */

export interface TaskRecord {
  readonly task: number;
  /** Slurm's state word, e.g. RUNNING, COMPLETED, FAILED, CANCELLED (without "by <uid>"). */
  readonly state: string;
  /** Run time so far or in total, as Slurm prints it (e.g. "1:02", "1-02:03:04"); empty when not started. */
  readonly elapsed: string;
  /** Why it waits (squeue), or its node. */
  readonly reason: string;
  /** "exit:signal" from sacct; empty from squeue. */
  readonly exitCode: string;
}

export type TaskPhase = 'pending' | 'running' | 'completed' | 'failed' | 'gone';

const PHASES: Record<string, TaskPhase> = {
  PENDING: 'pending',
  REQUEUED: 'pending',
  REQUEUE_FED: 'pending',
  REQUEUE_HOLD: 'pending',
  RESV_DEL_HOLD: 'pending',
  CONFIGURING: 'pending',
  RESIZING: 'pending',
  RUNNING: 'running',
  COMPLETING: 'running',
  SUSPENDED: 'running',
  STOPPED: 'running',
  SIGNALING: 'running',
  STAGE_OUT: 'running',
  COMPLETED: 'completed',
};

/** The phase of a Slurm state; every ending other than COMPLETED (FAILED, TIMEOUT, CANCELLED, OUT_OF_MEMORY, …) is `failed`. */
export function taskPhase(state: string): TaskPhase {
  if (state === '') return 'gone';
  return PHASES[state] ?? 'failed';
}

/** True while Slurm may still run the task. */
export function isActive(phase: TaskPhase): boolean {
  return phase === 'pending' || phase === 'running';
}

/** One record per task 0…tasks−1, in order; tasks Slurm does not list get state "" (gone). */
export function tasksOf(records: readonly TaskRecord[], tasks: number): TaskRecord[] {
  const byTask = new Map(records.map((r) => [r.task, r]));
  return Array.from({ length: tasks }, (_, task) => byTask.get(task) ?? { task, state: '', elapsed: '', reason: '', exitCode: '' });
}

/** How many tasks are in each phase, e.g. { running: 2, pending: 1, completed: 1 }. */
export function countPhases(records: readonly TaskRecord[]): Partial<Record<TaskPhase, number>> {
  const counts: Partial<Record<TaskPhase, number>> = {};
  for (const r of records) counts[taskPhase(r.state)] = (counts[taskPhase(r.state)] ?? 0) + 1;
  return counts;
}
