/**
 * The run folder: the contract between the trainer and everything that reads runs (`wslab eval`, the
 * experiment tree, the compare view).
 *   RUN/config.json       the resolved experiment config (defaults filled in, absolute dataset path)
 *   RUN/metrics.jsonl     one MetricRecord per line, appended as training goes
 *   RUN/summary.json      RunSummary, rewritten (atomically) after every epoch
 *   RUN/best.safetensors  the model at the best validation accuracy
 *   RUN/last.safetensors  the last finished epoch: model + optimizer state, to resume from
 *   RUN/status            RunStatus as JSON: running / done / failed / cancelled (with the error)
 * Every file but metrics.jsonl is written atomically; a crash can leave at most one partial last line in
 * metrics.jsonl, which readers skip and a resume removes.
 */
import { appendFile, readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomicWrite';
import { readJsonFile } from '../io/readJsonFile';
import { writeFailure } from '../io/writeError';

export type RunState = 'running' | 'done' | 'failed' | 'cancelled';
export type MetricSplit = 'train' | 'val' | 'test';

export interface RunStatus {
  readonly state: RunState;
  /** ISO time of the last change. */
  readonly updated: string;
  readonly pid?: number;
  /** Why it failed (or was cancelled). */
  readonly error?: string;
}

export interface MetricRecord {
  /** Optimizer steps done. */
  readonly step: number;
  /** 1-based epoch the record belongs to. */
  readonly epoch: number;
  readonly split: MetricSplit;
  readonly loss: number;
  readonly accuracy: number;
  readonly lr: number;
  /** Seconds of training since the run started (resumed sessions add up). */
  readonly time: number;
}

export interface RunSummary {
  readonly name: string;
  readonly epochs: number;
  readonly epochsDone: number;
  readonly steps: number;
  readonly bestValAccuracy: number | null;
  readonly bestEpoch: number | null;
  /** Test accuracy of the best-validation model (never used for selection). */
  readonly testAccuracyAtBest: number | null;
  readonly last: { readonly trainLoss: number | null; readonly trainAccuracy: number | null; readonly valLoss: number | null; readonly valAccuracy: number | null };
  readonly durationSec: number;
  readonly backend: string;
  readonly counts: { readonly train: number; readonly val: number; readonly test: number };
  readonly parameters: number;
  readonly versions: Readonly<Record<string, string>>;
}

export const RUN_FILES = {
  config: 'config.json',
  metrics: 'metrics.jsonl',
  summary: 'summary.json',
  best: 'best.safetensors',
  last: 'last.safetensors',
  status: 'status',
} as const;

export class RunFolderError extends Error {
  override readonly name = 'RunFolderError';
}

const encode = (value: unknown) => new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);

async function readJson<T>(path: string): Promise<T | undefined> {
  return (await readJsonFile(path, (message) => new RunFolderError(message))) as T | undefined;
}

export async function writeStatus(dir: string, state: RunState, error?: string): Promise<void> {
  const status: RunStatus = { state, updated: new Date().toISOString(), pid: process.pid, ...(error !== undefined ? { error } : {}) };
  await writeFileAtomic(join(dir, RUN_FILES.status), encode(status));
}

export async function readStatus(dir: string): Promise<RunStatus | undefined> {
  const status = await readJson<RunStatus>(join(dir, RUN_FILES.status));
  if (status && !['running', 'done', 'failed', 'cancelled'].includes(status.state)) throw new RunFolderError(`${join(dir, RUN_FILES.status)}: unknown state ${JSON.stringify(status.state)}`);
  return status;
}

export async function writeJson(dir: string, file: string, value: unknown): Promise<void> {
  await writeFileAtomic(join(dir, file), encode(value));
}

export async function readSummary(dir: string): Promise<RunSummary | undefined> {
  return readJson<RunSummary>(join(dir, RUN_FILES.summary));
}

export async function readRunConfig<T = unknown>(dir: string): Promise<T | undefined> {
  return readJson<T>(join(dir, RUN_FILES.config));
}

export async function appendMetrics(dir: string, records: readonly MetricRecord[]): Promise<void> {
  if (!records.length) return;
  const path = join(dir, RUN_FILES.metrics);
  try {
    await appendFile(path, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
  } catch (e) {
    throw writeFailure(path, e, 'earlier records are kept (at most a partial last line, which readers skip)');
  }
}

/** Every complete metric line (a partial last line from a crash is skipped; any other bad line is an error). */
export async function readMetrics(dir: string): Promise<MetricRecord[]> {
  const path = join(dir, RUN_FILES.metrics);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new RunFolderError(`${path}: cannot read (${(e as Error).message})`);
  }
  const lines = text.split('\n');
  const records: MetricRecord[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      const r = JSON.parse(line) as MetricRecord;
      if (typeof r.step !== 'number' || typeof r.epoch !== 'number' || typeof r.split !== 'string') throw new Error('missing step, epoch or split');
      records.push(r);
    } catch (e) {
      const isLast = lines.slice(i + 1).every((l) => l.trim() === '');
      if (!isLast) throw new RunFolderError(`${path}: line ${i + 1} is not a metric record (${(e as Error).message})`);
    }
  });
  return records;
}

/** Keeps only the records of epochs ≤ `epoch` (a resume from that epoch's checkpoint), atomically. */
export async function truncateMetrics(dir: string, epoch: number): Promise<void> {
  const kept = (await readMetrics(dir)).filter((r) => r.epoch <= epoch);
  await writeFileAtomic(join(dir, RUN_FILES.metrics), new TextEncoder().encode(kept.map((r) => `${JSON.stringify(r)}\n`).join('')));
}

export interface RunInfo {
  readonly name: string;
  readonly dir: string;
  readonly status: RunStatus | undefined;
  readonly summary: RunSummary | undefined;
}

/** The runs under `runsDir` (folders holding a config.json), by name. */
export async function listRuns(runsDir: string): Promise<RunInfo[]> {
  let entries: string[];
  try {
    entries = await readdir(runsDir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new RunFolderError(`${runsDir}: cannot list (${(e as Error).message})`);
  }
  const runs: RunInfo[] = [];
  for (const name of entries.sort()) {
    const dir = join(runsDir, name);
    const isRun = await stat(join(dir, RUN_FILES.config)).then((s) => s.isFile(), () => false);
    if (isRun) runs.push({ name, dir, status: await readStatus(dir), summary: await readSummary(dir) });
  }
  return runs;
}
