/**
 * Summary statistics of a tensor, as shown by `wslab inspect` and the inspector. min, max, mean and
 * std (population, ddof = 0, like numpy's default) are over the finite values only; NaN and ±Inf are
 * counted apart so one bad value does not hide the rest. Accumulated in float64.
 */
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

export function tensorStats(values: Float32Array): TensorStats {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let finite = 0;
  let zeros = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    finite++;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
    if (v === 0) zeros++;
  }
  const mean = finite > 0 ? sum / finite : null;
  let squares = 0;
  if (mean !== null) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (Number.isFinite(v)) squares += (v - mean) * (v - mean);
    }
  }
  return {
    params: values.length,
    min: finite > 0 ? min : null,
    max: finite > 0 ? max : null,
    mean,
    std: mean !== null ? Math.sqrt(squares / finite) : null,
    zerosPct: values.length > 0 ? (100 * zeros) / values.length : 0,
    nonFinite: values.length - finite,
  };
}
