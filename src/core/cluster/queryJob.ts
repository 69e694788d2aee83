/**
 * The state of every task of a job array: from sacct when the cluster keeps accounting (it remembers
 * finished tasks and their exit codes), else from squeue, saying so — squeue forgets tasks a few
 * minutes after they end, which then show as `gone`.
 */
import { ClusterError } from './errors';
import { describeFailure, type RunTool } from './runTool';
import { parseSacct, sacctArgs } from './sacct';
import { isUnknownJobMessage, parseSqueue, squeueArgs } from './squeue';
import type { TaskRecord } from './taskState';

export interface JobQuery {
  readonly source: 'sacct' | 'squeue';
  /** Why sacct was not used, when it was not. */
  readonly fallback?: string;
  readonly records: readonly TaskRecord[];
}

export function checkJobId(jobId: string): void {
  if (!/^\d+$/.test(jobId)) throw new ClusterError(`"${jobId}" is not a Slurm job id (a number)`);
}

export async function queryArrayJob(jobId: string, run: RunTool): Promise<JobQuery> {
  checkJobId(jobId);
  let fallback: string;
  const sacct = await run('sacct', sacctArgs(jobId)).catch((e: Error) => e);
  if (sacct instanceof Error) fallback = sacct.message;
  else if (sacct.code !== 0) fallback = (sacct.stderr.trim() || sacct.stdout.trim() || `exit code ${sacct.code}`).split('\n')[0]!;
  else {
    const records = parseSacct(sacct.stdout, jobId);
    // Accounting may lag a just-submitted job; then squeue knows more.
    if (records.length > 0) return { source: 'sacct', records };
    fallback = `sacct does not know job ${jobId} yet`;
  }
  const args = squeueArgs(jobId);
  const squeue = await run('squeue', args);
  if (squeue.code !== 0) {
    if (isUnknownJobMessage(squeue.stderr)) return { source: 'squeue', fallback, records: [] };
    throw new ClusterError(describeFailure('squeue', args, squeue));
  }
  return { source: 'squeue', fallback, records: parseSqueue(squeue.stdout, jobId) };
}
