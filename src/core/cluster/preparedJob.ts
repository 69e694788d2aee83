/**
 * A job array ready to go: its script text, its job record (jobId still null) and a line on what it
 * does. Writing it puts the script, the log folder and the record in place; submitting it runs sbatch
 * and records the job id and time, so `wslab slurm status` and the extension's Slurm jobs find it.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../io/atomicWrite';
import { writeJobRecord, type JobRecord } from './jobRecord';
import type { RunTool } from './runTool';
import { submitScript } from './submit';

export interface PreparedJob {
  readonly script: string;
  /** The record to write (jobId and submitted null); its `script` and `log` say where the files go. */
  readonly record: JobRecord;
  /** One line on what the job does, e.g. `2 task(s) × 1 CPU(s), …`. */
  readonly what: string;
  /** What to do after the job, appended to a submission message (e.g. `, then wslab merge OUT`). */
  readonly after?: string;
}

/** Writes the script, the log folder and the job record (not submitted). */
export async function writeJobFiles(job: PreparedJob): Promise<void> {
  await writeFileAtomic(job.record.script, new TextEncoder().encode(job.script));
  await mkdir(dirname(job.record.log), { recursive: true });
  await writeJobRecord(job.record);
}

export interface SubmitOptions {
  /** Give sbatch the script on stdin rather than its path (a login host over ssh). */
  readonly scriptOnStdin?: boolean;
  readonly now?: () => Date;
}

/** Writes the job's files, submits the script and records the job id; returns the record as written. */
export async function submitPreparedJob(job: PreparedJob, run: RunTool, options: SubmitOptions = {}): Promise<JobRecord> {
  await writeJobFiles(job);
  const jobId = await submitScript(job.record.script, run, options.scriptOnStdin ? job.script : undefined);
  const record: JobRecord = { ...job.record, jobId, submitted: (options.now?.() ?? new Date()).toISOString() };
  await writeJobRecord(record);
  return record;
}
