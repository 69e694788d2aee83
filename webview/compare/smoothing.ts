/**
 * TensorBoard's scalar smoothing: an exponential moving average with debiasing.
 *   last = last·w + (1 − w)·x          (last starts at 0)
 *   smoothed = last / (1 − w^(i+1))    (i counts the finite values so far; this undoes the pull towards 0)
 * Non-finite values pass through and do not enter the average; a constant series is returned as is (as
 * TensorBoard does, so float error cannot make a flat line wiggle). w = 0 is no smoothing; w must be < 1.
 */

export function smooth(values: ArrayLike<number>, weight: number): Float64Array {
  if (!(weight >= 0 && weight < 1)) throw new RangeError(`smoothing weight must be in [0, 1), got ${weight}`);
  const out = new Float64Array(values.length);
  const first = values.length ? values[0]! : 0;
  let constant = true;
  for (let i = 0; i < values.length; i++) if (values[i] !== first) constant = false;
  if (weight === 0 || constant) {
    for (let i = 0; i < values.length; i++) out[i] = values[i]!;
    return out;
  }
  let last = 0;
  let power = 1; // w^(number of finite values so far), by multiplication: Math.pow per point is 10× slower
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (!Number.isFinite(x)) {
      out[i] = x;
      continue;
    }
    last = last * weight + (1 - weight) * x;
    power *= weight;
    out[i] = last / (1 - power);
  }
  return out;
}
