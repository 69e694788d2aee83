/**
 * A histogram of a tensor's finite values: `bins` equal-width bins from the smallest to the largest
 * finite value (the largest falls in the last bin), NaN and ±Inf counted apart. A constant tensor gets
 * the range [v − ½, v + ½], so its one value sits in the middle bin. The range must be known before
 * counting, so a tensor read in chunks takes two passes: the first finds it (StatsPasses), the second
 * counts (HistogramCounter).
 */
import { StatsPasses } from '../weights/stats';

export interface Histogram {
  /** Left edge of the first bin. */
  readonly min: number;
  /** Right edge of the last bin. */
  readonly max: number;
  readonly counts: readonly number[];
  /** Values left out: NaN, +Inf, −Inf. */
  readonly nonFinite: number;
}

export const MAX_HISTOGRAM_BINS = 1024;

/** Counts values into `bins` bins over the finite range [min, max] (±Infinity when there is no finite value). */
export class HistogramCounter {
  private readonly lo: number;
  private readonly hi: number;
  private readonly counts: number[];
  private nonFinite = 0;

  constructor(min: number, max: number, bins: number) {
    checkBins(bins);
    this.counts = new Array<number>(bins).fill(0);
    [this.lo, this.hi] = min > max ? [0, 0] : min === max ? [min - 0.5, max + 0.5] : [min, max];
  }

  add(values: ArrayLike<number>): void {
    const { lo, counts } = this;
    const bins = counts.length;
    const scale = bins / (this.hi - lo);
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (!Number.isFinite(v)) {
        this.nonFinite++;
        continue;
      }
      const bin = Math.min(bins - 1, Math.floor((v - lo) * scale));
      counts[bin]!++;
    }
  }

  result(): Histogram {
    return { min: this.lo, max: this.hi, counts: [...this.counts], nonFinite: this.nonFinite };
  }
}

export function checkBins(bins: number): void {
  if (!Number.isInteger(bins) || bins < 1 || bins > MAX_HISTOGRAM_BINS) {
    throw new RangeError(`histogram bins must be an integer in [1, ${MAX_HISTOGRAM_BINS}], got ${bins}`);
  }
}

export function histogram(values: Float32Array, bins: number): Histogram {
  checkBins(bins);
  const range = new StatsPasses();
  range.first(values);
  const counter = new HistogramCounter(range.min, range.max, bins);
  counter.add(values);
  return counter.result();
}
