/**
 * What wslab remembers about a job array, in OUT/slurm/job.json next to the job script and the task
 * logs: written with the script, and again with the job id when `--submit` submits it, so
 * `wslab slurm status OUT` finds the job without its id. `kind` says which command the tasks run
 * ('generate': dataset shards; 'sweep': training runs, named in `runs`, task i making runs[i]).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomicWrite';
import { ClusterError } from './errors';

export const JOB_RECORD_VERSION = 1;

export type JobKind = 'generate' | 'sweep';

export interface JobRecord {
  readonly version: typeof JOB_RECORD_VERSION;
  readonly kind: JobKind;
  /** null until submitted with --submit (a script submitted by hand: give its id to status with --job). */
  readonly jobId: string | null;
  readonly name: string;
  readonly tasks: number;
  /** Absolute paths: the output folder, the job script, the task log pattern (%A job, %a task, %x name). */
  readonly out: string;
  readonly script: string;
  readonly log: string;
  /** ISO 8601 time of submission, null before. */
  readonly submitted: string | null;
  /** A sweep's run folder names under `out`, by task. */
  readonly runs?: readonly string[];
}

/** The folder of the job files of output folder `out`: the script, logs/, job.json. */
export function slurmFolder(out: string): string {
  return join(out, 'slurm');
}

export function jobRecordPath(out: string): string {
  return join(slurmFolder(out), 'job.json');
}

export async function writeJobRecord(record: JobRecord): Promise<void> {
  await writeFileAtomic(jobRecordPath(record.out), new TextEncoder().encode(`${JSON.stringify(record, null, 2)}\n`));
}

export async function readJobRecord(out: string): Promise<JobRecord> {
  const path = jobRecordPath(out);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    throw new ClusterError(
      `${path}: ${missing ? `no job written here (write one with wslab slurm generate or sweep, or give the job id)` : `cannot read (${(e as Error).message})`}`,
    );
  }
  let record: JobRecord;
  try {
    record = JSON.parse(text) as JobRecord;
  } catch (e) {
    throw new ClusterError(`${path}: not valid JSON (${(e as Error).message})`);
  }
  const valid =
    record.version === JOB_RECORD_VERSION &&
    (record.jobId === null || typeof record.jobId === 'string') &&
    Number.isInteger(record.tasks) &&
    typeof record.log === 'string';
  if (!valid) throw new ClusterError(`${path}: unsupported or damaged job record`);
  return record;
}

/** The log file of one task: Slurm's %A, %a, %x and %% expanded as sbatch does. */
export function taskLogPath(pattern: string, jobId: string, task: number, name: string): string {
  return pattern.replace(/%(%|A|a|x)/g, (_, c: string) => (c === '%' ? '%' : c === 'A' ? jobId : c === 'a' ? String(task) : name));
}
