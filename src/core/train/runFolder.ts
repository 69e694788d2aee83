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
import { LabError } from '../labError';

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
  readonly last: {
    readonly trainLoss: number | null;
    readonly trainAccuracy: number | null;
    readonly valLoss: number | null;
    readonly valAccuracy: number | null;
  };
  readonly durationSec: number;
  readonly backend: string;
  readonly counts: { readonly train: number; readonly val: number; readonly test: number };
  /** Training networks per class name (the stratified `trainLimit` sample, or the whole split). Older runs lack it. */
  readonly trainClassCounts?: Readonly<Record<string, number>>;
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

export class RunFolderError extends LabError {
  override readonly name = 'RunFolderError';
  constructor(message: string) {
    super('bad-run-folder', message);
  }
}

const encode = (value: unknown) => new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);

async function readJson<T>(path: string): Promise<T | undefined> {
  return (await readJsonFile(path, (message) => new RunFolderError(message))) as T | undefined;
}

export async function writeStatus(dir: string, state: RunState, error?: string): Promise<void> {
  const status: RunStatus = { state, updated: new Date().toISOString(), pid: process.pid, ...(error !== undefined ? { error } : {}) };
  await writeFileAtomic(join(dir, RUN_FILES.status), encode(status));
}

const RUN_STATES: readonly RunState[] = ['running', 'done', 'failed', 'cancelled'];

/** A value for an error message: strings and numbers as JSON, containers by their kind (they may nest deeply). */
const describeValue = (v: unknown): string =>
  Array.isArray(v) ? 'an array' : typeof v === 'object' && v !== null ? 'an object' : typeof v === 'string' ? JSON.stringify(v.slice(0, 40)) : String(v);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The status file, checked: a known state, and pid and error (which readers act on) of their types when present. */
export async function readStatus(dir: string): Promise<RunStatus | undefined> {
  const path = join(dir, RUN_FILES.status);
  const status = await readJson<unknown>(path);
  if (status === undefined) return undefined;
  const state = isRecord(status) ? status.state : undefined;
  if (!isRecord(status) || !RUN_STATES.includes(state as RunState))
    throw new RunFolderError(`${path}: unknown state ${isRecord(status) ? describeValue(state) : `(the file holds ${describeValue(status)}, not an object)`}`);
  if (status.pid !== undefined && !(Number.isSafeInteger(status.pid) && (status.pid as number) > 0))
    throw new RunFolderError(`${path}: pid must be a positive integer`);
  if (status.error !== undefined && typeof status.error !== 'string') throw new RunFolderError(`${path}: error must be a string`);
  return status as unknown as RunStatus;
}

export async function writeJson(dir: string, file: string, value: unknown): Promise<void> {
  await writeFileAtomic(join(dir, file), encode(value));
}

/** Numbers of the summary that readers show; a summary of an older run may lack some, but none may be of another type. */
const SUMMARY_NUMBERS = ['epochs', 'epochsDone', 'steps', 'durationSec', 'parameters'] as const;
const SUMMARY_NULLABLE = ['bestValAccuracy', 'bestEpoch', 'testAccuracyAtBest'] as const;

export async function readSummary(dir: string): Promise<RunSummary | undefined> {
  const path = join(dir, RUN_FILES.summary);
  const summary = await readJson<unknown>(path);
  if (summary === undefined) return undefined;
  if (!isRecord(summary)) throw new RunFolderError(`${path}: the summary must be an object`);
  for (const key of [...SUMMARY_NUMBERS, ...SUMMARY_NULLABLE]) {
    const v = summary[key];
    const nullable = (SUMMARY_NULLABLE as readonly string[]).includes(key);
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v)) && !(nullable && v === null)) {
      throw new RunFolderError(`${path}: ${key} must be a finite number${nullable ? ' or null' : ''}`);
    }
  }
  return summary as unknown as RunSummary;
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
      if (!Number.isFinite(r?.step) || !Number.isFinite(r?.epoch) || typeof r?.split !== 'string') throw new Error('missing step, epoch or split');
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
    const isRun = await stat(join(dir, RUN_FILES.config)).then(
      (s) => s.isFile(),
      () => false,
    );
    if (isRun) runs.push({ name, dir, status: await readStatus(dir), summary: await readSummary(dir) });
  }
  return runs;
}
