/**
 * A histogram of a tensor's finite values: `bins` equal-width bins from the smallest to the largest
 * finite value (the largest falls in the last bin), NaN and ±Inf counted apart. A constant tensor gets
 * the range [v − ½, v + ½], so its one value sits in the middle bin.
 */
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

export function histogram(values: ArrayLike<number>, bins: number): Histogram {
  if (!Number.isInteger(bins) || bins < 1 || bins > MAX_HISTOGRAM_BINS) {
    throw new RangeError(`histogram bins must be an integer in [1, ${MAX_HISTOGRAM_BINS}], got ${bins}`);
  }
  let lo = Infinity;
  let hi = -Infinity;
  let nonFinite = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) nonFinite++;
    else {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  const counts = new Array<number>(bins).fill(0);
  if (lo > hi) return { min: 0, max: 0, counts, nonFinite };
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const scale = bins / (hi - lo);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    const bin = Math.min(bins - 1, Math.floor((v - lo) * scale));
    counts[bin]!++;
  }
  return { min: lo, max: hi, counts, nonFinite };
}
