/**
 * A job array in one word and one count, for a list of jobs: `pending` (queued, nothing running yet),
 * `running`, then — once no task is queued or running — `done` (every task's work is there) or `failed`;
 * and how many tasks have done their work.
 */
import { taskWorkDone, type JobStatus } from './jobStatus';

export type JobState = 'pending' | 'running' | 'done' | 'failed';

export interface JobSummary {
  readonly state: JobState;
  readonly tasksDone: number;
  readonly tasks: number;
}

export function summarizeJob(status: JobStatus): JobSummary {
  const tasksDone = status.tasks.filter(taskWorkDone).length;
  const state: JobState = status.active ? (status.counts.running ? 'running' : 'pending') : status.done ? 'done' : 'failed';
  return { state, tasksDone, tasks: status.tasks.length };
}
