/**
 * The runs as the panel holds them: the host's CompareRun with its metric columns decoded to
 * Float32Arrays, grown in place by live `append` messages. Also the x value of each record for the chosen
 * axis: the step, the wall time, or a fractional epoch (step / steps per epoch, so train records spread
 * across their epoch and the end-of-epoch val record sits on the whole number).
 */
import { decodeFloat32 } from '../../src/protocol/wire';
import {
  COMPARE_SPLITS,
  METRIC_COLUMNS,
  type CompareRun,
  type CompareRunState,
  type CompareSplit,
  type CompareSummary,
  type MetricColumns,
} from '../../src/protocol/compare';

export type Column = (typeof METRIC_COLUMNS)[number];
export type Columns = Readonly<Record<Column, Float32Array>>;
export type XAxis = 'step' | 'epoch' | 'time';
export type Metric = 'loss' | 'accuracy';

export interface RunData {
  readonly id: string;
  readonly name: string;
  state: CompareRunState;
  readonly reason?: string;
  summary: CompareSummary | null;
  readonly config: CompareRun['config'];
  metrics: Record<CompareSplit, Columns>;
  readonly error?: CompareRun['error'];
}

/** Decodes one split's columns; throws a TypeError naming the column when they are bad or unequal. */
export function decodeColumns(wire: MetricColumns, where: string): Columns {
  const out = {} as Record<Column, Float32Array>;
  for (const key of METRIC_COLUMNS) {
    try {
      out[key] = decodeFloat32(wire[key]);
    } catch (e) {
      throw new TypeError(`${where}.${key}: ${(e as Error).message}`);
    }
  }
  const lengths = new Set(METRIC_COLUMNS.map((k) => out[k].length));
  if (lengths.size !== 1) throw new TypeError(`${where}: columns of different lengths (${METRIC_COLUMNS.map((k) => `${k} ${out[k].length}`).join(', ')})`);
  return out;
}

export function decodeRun(run: CompareRun): RunData {
  const metrics = {} as Record<CompareSplit, Columns>;
  for (const split of COMPARE_SPLITS) metrics[split] = decodeColumns(run.metrics[split], `run ${run.name} ${split}`);
  return { id: run.id, name: run.name, state: run.state, reason: run.reason, summary: run.summary, config: run.config, metrics, error: run.error };
}

function concat(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Adds appended records (already decoded) to a run's columns. */
export function appendColumns(run: RunData, added: Readonly<Record<CompareSplit, Columns>>): void {
  for (const split of COMPARE_SPLITS) {
    const old = run.metrics[split];
    run.metrics[split] = Object.fromEntries(METRIC_COLUMNS.map((k) => [k, concat(old[k], added[split][k])])) as Columns;
  }
}

/** Steps per epoch, from the latest record that closes an epoch (val), else from train; NaN if unknown. */
export function stepsPerEpoch(run: RunData): number {
  for (const split of ['val', 'train'] as const) {
    const { step, epoch } = run.metrics[split];
    const last = step.length - 1;
    if (last >= 0 && epoch[last]! > 0) return split === 'val' ? step[last]! / epoch[last]! : Math.max(1, step[last]! / epoch[last]!);
  }
  return Number.NaN;
}

/** The x value of every record of one split. */
export function xValues(run: RunData, split: CompareSplit, axis: XAxis): ArrayLike<number> {
  const columns = run.metrics[split];
  if (axis === 'step') return columns.step;
  if (axis === 'time') return columns.time;
  const per = stepsPerEpoch(run);
  if (!Number.isFinite(per) || per <= 0) return columns.epoch;
  return Float64Array.from(columns.step, (s) => s / per);
}
