/**
 * Reading the tasks of a job array from `squeue`. Always available, but it lists only tasks that are
 * queued, running, or finished less than MinJobAge ago (300 s by default); older ones are gone from it.
 */
import { parseArrayIndices } from './arrayTasks';
import { ClusterError } from './errors';
import type { TaskRecord } from './taskState';

/** squeue's fields, `|`-separated: array job id, task id(s), state, time used, reason or node list. */
export const SQUEUE_FORMAT = '%F|%K|%T|%M|%R';

/** Arguments for squeue: every task of the job on its own line, finished ones included, no header. */
export function squeueArgs(jobId: string): string[] {
  return ['--jobs', jobId, '--array', '--states', 'all', '--noheader', '--format', SQUEUE_FORMAT];
}

/** squeue's answer for a job id it no longer knows (it exits 1 with this message). */
export function isUnknownJobMessage(stderr: string): boolean {
  return /invalid job id/i.test(stderr);
}

/** The task records of job `jobId` in squeue output printed with SQUEUE_FORMAT; other jobs' lines are skipped. */
export function parseSqueue(text: string, jobId: string): TaskRecord[] {
  const records: TaskRecord[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const fields = line.split('|');
    if (fields.length < 5) throw new ClusterError(`unexpected squeue line "${line}" (expected ${SQUEUE_FORMAT})`);
    const [arrayJob, taskIds, state, elapsed] = fields.map((f) => f.trim()) as [string, string, string, string];
    const reason = fields.slice(4).join('|').trim();
    if (arrayJob !== jobId) continue;
    const tasks = taskIds === 'N/A' ? [0] : parseArrayIndices(taskIds);
    for (const task of tasks) records.push({ task, state, elapsed: state === 'PENDING' ? '' : elapsed, reason, exitCode: '' });
  }
  return records;
}
