/**
 * The status of the job a job record describes: Slurm's task states (sacct, else squeue) joined with
 * what the outputs say — the finished shards of a generation, the run states of a sweep — and each
 * task's log path. What `wslab slurm status OUT` prints and the extension's Slurm jobs show.
 */
import { ClusterError } from './errors';
import { shardProgress } from './generateProgress';
import type { JobRecord } from './jobRecord';
import { jobStatus, type JobStatus } from './jobStatus';
import { checkJobId, queryArrayJob } from './queryJob';
import type { RunTool } from './runTool';
import { sweepProgress } from './sweepProgress';

/** `jobId` overrides the record's (a script submitted by hand). */
export async function recordStatus(record: JobRecord, run: RunTool, jobId: string | null = record.jobId): Promise<JobStatus> {
  if (jobId === null) throw new ClusterError(`${record.script} was written but not submitted: give the id sbatch printed`);
  checkJobId(jobId);
  const query = await queryArrayJob(jobId, run);
  return jobStatus({
    jobId,
    query,
    tasks: record.tasks,
    log: { pattern: record.log, name: record.name },
    outputs: record.kind === 'generate' ? await shardProgress(record.out, record.tasks) : undefined,
    runs: record.kind === 'sweep' ? await sweepProgress(record.out, record.runs ?? []) : undefined,
  });
}
