/**
 * Reading the tasks of a job array from `sacct`: final states and exit codes, long after the tasks
 * ended — but only where the cluster keeps accounting (slurmdbd). Without it sacct fails with
 * "Slurm accounting storage is disabled", and callers fall back to squeue.
 */
import { parseArrayIndices } from './arrayTasks';
import { ClusterError } from './errors';
import type { TaskRecord } from './taskState';

export const SACCT_FIELDS = 'JobID,State,ExitCode,Elapsed,NodeList';

export function sacctArgs(jobId: string): string[] {
  return ['--jobs', jobId, '--noheader', '--parsable2', `--format=${SACCT_FIELDS}`];
}

/**
 * Task records of job `jobId` from `sacct --parsable2` output with SACCT_FIELDS: one per task (lines of
 * job steps such as `123_4.batch` are skipped; a pending range `123_[5-9]` gives one record per task).
 */
export function parseSacct(text: string, jobId: string): TaskRecord[] {
  const records: TaskRecord[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const fields = line.split('|');
    if (fields.length !== 5) throw new ClusterError(`unexpected sacct line "${line}" (expected ${SACCT_FIELDS})`);
    const [id, stateText, exitCode, elapsed, nodes] = fields.map((f) => f.trim()) as [string, string, string, string, string];
    if (id.includes('.')) continue;
    const m = /^(\d+)(?:_(.+))?$/.exec(id);
    if (!m || m[1] !== jobId) continue;
    const state = stateText.split(' ')[0]!;
    const tasks = m[2] === undefined ? [0] : parseArrayIndices(m[2]);
    for (const task of tasks)
      records.push({ task, state, elapsed: state === 'PENDING' ? '' : elapsed, reason: nodes === 'None assigned' ? '' : nodes, exitCode });
  }
  return records;
}
