/**
 * The status of a job array, task by task: Slurm's state (from sacct or squeue) joined with what the
 * task's outputs say (finished shards, or a sweep's run state) and where its log is. Once no task is
 * queued or running, the job is done when every output is there (or, without outputs to check, every task COMPLETED); the
 * tasks that fell short are its problems.
 */
import { taskLogPath } from './jobRecord';
import type { JobQuery } from './queryJob';
import type { TaskShards } from './generateProgress';
import type { TaskRun } from './sweepProgress';
import { countPhases, isActive, taskPhase, tasksOf, type TaskPhase, type TaskRecord } from './taskState';

export interface TaskStatus extends TaskRecord {
  readonly phase: TaskPhase;
  readonly log?: string;
  readonly shards?: readonly number[];
  readonly finished?: readonly number[];
  /** A sweep task's training run. */
  readonly run?: TaskRun;
}

export interface JobStatus {
  readonly jobId: string;
  readonly source: JobQuery['source'];
  readonly fallback?: string;
  readonly tasks: readonly TaskStatus[];
  readonly counts: Partial<Record<TaskPhase, number>>;
  /** Some task is pending or running. */
  readonly active: boolean;
  readonly shards?: { readonly total: number; readonly finished: number };
  readonly runs?: { readonly total: number; readonly done: number };
  /** Every task's work is done (all shards finished, every run done, or all tasks COMPLETED when there are no outputs to check). */
  readonly done: boolean;
  /** When nothing is active any more: the tasks that did not do their work. */
  readonly problems: readonly TaskStatus[];
}

export interface JobStatusInput {
  readonly jobId: string;
  readonly query: JobQuery;
  /** Tasks in the array; by default one more than the highest task Slurm lists. */
  readonly tasks?: number;
  readonly log?: { readonly pattern: string; readonly name: string };
  readonly outputs?: readonly TaskShards[];
  readonly runs?: readonly TaskRun[];
}

/** Whether a task's work is done: all its shards finished, its run done, or (without outputs to check) COMPLETED. */
export function taskWorkDone(t: TaskStatus): boolean {
  return t.shards ? t.finished!.length === t.shards.length : t.run ? t.run.state === 'done' : t.phase === 'completed';
}

export function jobStatus(input: JobStatusInput): JobStatus {
  const count = input.tasks ?? input.query.records.reduce((n, r) => Math.max(n, r.task + 1), 0);
  const outputs = new Map((input.outputs ?? []).map((o) => [o.task, o]));
  const runs = new Map((input.runs ?? []).map((r) => [r.task, r]));
  const tasks: TaskStatus[] = tasksOf(input.query.records, count).map((r) => {
    const o = outputs.get(r.task);
    return {
      ...r,
      phase: taskPhase(r.state),
      ...(input.log ? { log: taskLogPath(input.log.pattern, input.jobId, r.task, input.log.name) } : {}),
      ...(o ? { shards: o.shards, finished: o.finished } : {}),
      ...(runs.has(r.task) ? { run: runs.get(r.task)! } : {}),
    };
  });
  const active = tasks.some((t) => isActive(t.phase));
  const workDone = taskWorkDone;
  const shards = input.outputs
    ? { total: input.outputs.reduce((n, o) => n + o.shards.length, 0), finished: input.outputs.reduce((n, o) => n + o.finished.length, 0) }
    : undefined;
  return {
    jobId: input.jobId,
    source: input.query.source,
    ...(input.query.fallback === undefined ? {} : { fallback: input.query.fallback }),
    tasks,
    counts: countPhases(tasks),
    active,
    ...(shards ? { shards } : {}),
    ...(input.runs ? { runs: { total: input.runs.length, done: input.runs.filter((r) => r.state === 'done').length } } : {}),
    done: count > 0 && tasks.every(workDone),
    problems: active ? [] : tasks.filter((t) => !workDone(t)),
  };
}
