/**
 * The job records of a workspace: where `wslab slurm generate` and the extension put them, in
 * DATASETS/<name>/slurm/job.json for generation arrays and RUNS/slurm/job.json for sweeps. Only
 * submitted jobs (with a job id) are listed; a record that cannot be read is listed with its error.
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { jobRecordPath, readJobRecord, type JobRecord } from './jobRecord';

export type FoundJob = { readonly path: string; readonly record: JobRecord } | { readonly path: string; readonly error: string };

export interface JobFolders {
  readonly datasetsFolder: string;
  readonly runsFolder: string;
}

async function subfolders(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => join(dir, e.name))
      .sort();
  } catch {
    return [];
  }
}

export async function findWorkspaceJobs(root: string, folders: JobFolders): Promise<FoundJob[]> {
  const candidates = [...(await subfolders(resolve(root, folders.datasetsFolder))), resolve(root, folders.runsFolder)];
  const found: FoundJob[] = [];
  for (const out of candidates) {
    const path = jobRecordPath(out);
    if (!existsSync(path)) continue;
    try {
      const record = await readJobRecord(out);
      if (record.jobId !== null) found.push({ path, record });
    } catch (e) {
      found.push({ path, error: (e as Error).message });
    }
  }
  return found;
}
