/**
 * A training run read for plotting: its metric records as columns per split (float32, in file order),
 * its config flattened to dotted keys (for the table of differing hyper-parameters and for grouping
 * seeds), status and summary. `MetricsFollower` re-reads a growing metrics.jsonl and hands out only the
 * records appended since the last read, or tells that the file was rewritten (a resume truncates it).
 */
import { basename } from 'node:path';
import { readComparedRun } from './compareRuns';
import { readMetrics, type MetricRecord, type MetricSplit, type RunStatus, type RunSummary } from '../train/runFolder';

export const SERIES_SPLITS: readonly MetricSplit[] = ['train', 'val', 'test'];

/** One split's records as columns of equal length. */
export interface SeriesColumns {
  readonly step: Float32Array;
  readonly epoch: Float32Array;
  readonly time: Float32Array;
  readonly loss: Float32Array;
  readonly accuracy: Float32Array;
}

export type SplitColumns = Readonly<Record<MetricSplit, SeriesColumns>>;

export type FlatConfig = Readonly<Record<string, string | number | boolean | null>>;

export interface RunSeries {
  readonly name: string;
  readonly dir: string;
  readonly status: RunStatus | undefined;
  readonly summary: RunSummary | undefined;
  readonly config: FlatConfig;
  readonly metrics: SplitColumns;
}

/** A record's field as a float32 column value: NaN when it is missing, not a number, or beyond float32's range (1e39). */
function float32Value(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(Math.fround(v)) ? v : Number.NaN;
}

/** Splits records by split into float32 columns (NaN for a field a record lacks). */
export function toColumns(records: readonly MetricRecord[]): SplitColumns {
  const out = {} as Record<MetricSplit, SeriesColumns>;
  for (const split of SERIES_SPLITS) {
    const rows = records.filter((r) => r.split === split);
    const column = (key: keyof SeriesColumns) => Float32Array.from(rows, (r) => float32Value(r[key]));
    out[split] = { step: column('step'), epoch: column('epoch'), time: column('time'), loss: column('loss'), accuracy: column('accuracy') };
  }
  return out;
}

/**
 * Nested objects become dotted keys ({ model: { hidden: 8 } } → "model.hidden": 8); arrays and anything
 * else that is not a primitive become compact JSON ("augment": '[{"name":"rotate","p":0.5}]'). A value
 * nested more than MAX_FLAT_DEPTH levels (a damaged config.json) becomes a note instead: writing it out
 * would recurse as deep.
 */
export function flattenConfig(config: unknown, prefix = '', depth = 0): FlatConfig {
  const out = Object.create(null) as Record<string, string | number | boolean | null>; // a "__proto__" key stays a key
  if (typeof config !== 'object' || config === null || Array.isArray(config)) return out;
  for (const [key, value] of Object.entries(config)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && depth < MAX_FLAT_DEPTH)
      Object.assign(out, flattenConfig(value, name, depth + 1));
    else if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out[name] = value;
    else if (value !== undefined) out[name] = nestedDeeperThan(value, MAX_FLAT_DEPTH) ? `(nested more than ${MAX_FLAT_DEPTH} levels)` : JSON.stringify(value);
  }
  return out;
}

const MAX_FLAT_DEPTH = 64;

/** Whether arrays and objects nest more than `limit` levels in `value` (without recursing). */
function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (d > limit) return true;
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return false;
}

/**
 * Reads a run folder; throws RunFolderError (naming the file) when one of its files is malformed. With a
 * `follower` (new, for this folder) the metrics are its first read, so its next read returns only what
 * is appended after.
 */
export async function readRunSeries(dir: string, follower?: MetricsFollower): Promise<RunSeries> {
  const [run, records] = await Promise.all([readComparedRun(dir), follower ? follower.read().then((u) => u.records) : readMetrics(dir)]);
  return { name: basename(dir), dir, status: run.status, summary: run.summary, config: flattenConfig(run.config), metrics: toColumns(records) };
}

/** What changed in metrics.jsonl since the last read. */
export type MetricsUpdate =
  { readonly kind: 'append'; readonly records: readonly MetricRecord[] } | { readonly kind: 'rewritten'; readonly records: readonly MetricRecord[] };

const sameRecord = (a: MetricRecord, b: MetricRecord) => a.step === b.step && a.epoch === b.epoch && a.split === b.split && a.time === b.time;

/**
 * Follows one run's metrics.jsonl. `read()` returns the records appended since the previous call, or,
 * when the file no longer starts with what was read (truncated by a resume, or replaced), all of them as
 * `rewritten`. A partial last line (a write in progress) is left for the next read, as readMetrics does.
 */
export class MetricsFollower {
  private seen = 0;
  private last: MetricRecord | undefined;

  constructor(private readonly dir: string) {}

  async read(): Promise<MetricsUpdate> {
    const records = await readMetrics(this.dir);
    const continues = records.length >= this.seen && (this.seen === 0 || (this.last !== undefined && sameRecord(records[this.seen - 1]!, this.last)));
    const update: MetricsUpdate = continues ? { kind: 'append', records: records.slice(this.seen) } : { kind: 'rewritten', records };
    this.seen = records.length;
    this.last = records.at(-1);
    return update;
  }
}
