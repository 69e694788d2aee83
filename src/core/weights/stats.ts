/**
 * Summary statistics of a tensor, as shown by `wslab inspect` and the inspector. min, max, mean and
 * std (population, ddof = 0, like numpy's default) are over the finite values only; NaN and ±Inf are
 * counted apart so one bad value does not hide the rest. Accumulated in float64.
 *
 * Computed in two passes over the values, which may come in chunks (tensorChunks.ts): the first sums
 * them (and finds min, max, zeros), the second sums the squared deviations from that mean. This
 * two-pass method is numerically sound (no cancellation of large squares, unlike Σv² − n·mean²), and
 * since the chunks are visited in order it gives bit for bit the result of one in-memory array.
 */
import type { TensorChunks } from './tensorChunks';

export interface TensorStats {
  readonly params: number;
  readonly min: number | null;
  readonly max: number | null;
  readonly mean: number | null;
  readonly std: number | null;
  /** Percentage (0–100) of all values that are exactly zero. */
  readonly zerosPct: number;
  /** Count of NaN, +Inf and −Inf values. */
  readonly nonFinite: number;
}

/** The two passes' running sums; feed every chunk to `first`, then every chunk to `second`. */
export class StatsPasses {
  private count = 0;
  private finite = 0;
  private zeros = 0;
  private sum = 0;
  private squares = 0;
  /** Smallest and largest finite value so far (±Infinity before any). */
  min = Infinity;
  max = -Infinity;

  first(values: Float32Array): void {
    let { min, max, sum, finite, zeros } = this;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (!Number.isFinite(v)) continue;
      finite++;
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
      if (v === 0) zeros++;
    }
    Object.assign(this, { min, max, sum, finite, zeros });
    this.count += values.length;
  }

  /** The mean of the finite values after the first pass; null when there are none. */
  get mean(): number | null {
    return this.finite > 0 ? this.sum / this.finite : null;
  }

  second(values: Float32Array): void {
    const mean = this.mean;
    if (mean === null) return;
    let squares = this.squares;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (Number.isFinite(v)) squares += (v - mean) * (v - mean);
    }
    this.squares = squares;
  }

  result(): TensorStats {
    const { count, finite, mean } = this;
    return {
      params: count,
      min: finite > 0 ? this.min : null,
      max: finite > 0 ? this.max : null,
      mean,
      std: mean !== null ? Math.sqrt(this.squares / finite) : null,
      zerosPct: count > 0 ? (100 * this.zeros) / count : 0,
      nonFinite: count - finite,
    };
  }
}

export function tensorStats(values: Float32Array): TensorStats {
  const passes = new StatsPasses();
  passes.first(values);
  passes.second(values);
  return passes.result();
}

/** The statistics of a tensor read in chunks (two passes over them). */
export async function chunkedTensorStats(chunks: TensorChunks): Promise<TensorStats> {
  const passes = new StatsPasses();
  await chunks.forEach((chunk) => passes.first(chunk));
  await chunks.forEach((chunk) => passes.second(chunk));
  return passes.result();
}
