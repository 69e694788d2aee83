/**
 * The input normalisation the models see: x' = (x − mean) / std per parameter, with mean and std computed
 * over the training split only and stored with every checkpoint, so eval and every later use apply the same.
 *   tensor   one mean and std per weight and bias tensor (W_0, b_0, W_1, …). One scalar per tensor is the
 *            same for every hidden neuron, so the normalised input keeps the permutation symmetry exactly.
 *   element  one mean and std per parameter (DWSNets' compute_statistics.py). Hidden neurons get their own
 *            statistics, so a permuted network is normalised slightly differently: the model stays
 *            invariant, the preprocessing only approximately (the statistics of exchangeable neurons agree
 *            up to sampling noise).
 *   none     mean 0, std 1.
 * Both are stored per parameter (length P), whatever the mode.
 */
import { parameterCount, tensorSizes } from '../weights/network';
import type { SplitData } from './datasetSplits';

export type InputNorm = 'tensor' | 'element' | 'none';
export const INPUT_NORMS: readonly InputNorm[] = ['tensor', 'element', 'none'];

export interface Normalisation {
  /** Per parameter (state-dict order W_0, b_0, W_1, …): the training split's mean and std. */
  readonly mean: Float32Array;
  readonly std: Float32Array;
}

/** Smallest std used, so a constant parameter does not divide by 0. */
const STD_FLOOR = 1e-8;

/** The statistics of `split` for `mode` (std floored at 1e-8). */
export function inputStatistics(split: SplitData, widths: readonly number[], mode: InputNorm): Normalisation {
  const P = parameterCount(widths);
  const mean = new Float32Array(P);
  const std = new Float32Array(P).fill(1);
  if (mode === 'none') return { mean, std };
  // Sums in float64 over the training networks, per parameter.
  const sum = new Float64Array(P);
  const sumSq = new Float64Array(P);
  for (let n = 0; n < split.count; n++) {
    for (let i = 0; i < P; i++) {
      const v = split.data[n * P + i]!;
      sum[i]! += v;
      sumSq[i]! += v * v;
    }
  }
  // Groups of parameters that share one statistic: each tensor, or each single parameter.
  const groups = mode === 'tensor' ? tensorSizes(widths) : new Array<number>(P).fill(1);
  let offset = 0;
  for (const size of groups) {
    let s = 0;
    let s2 = 0;
    for (let i = offset; i < offset + size; i++) {
      s += sum[i]!;
      s2 += sumSq[i]!;
    }
    const count = Math.max(1, split.count * size);
    const m = s / count;
    const sd = Math.max(STD_FLOOR, Math.sqrt(Math.max(0, s2 / count - m * m)));
    mean.fill(m, offset, offset + size);
    std.fill(sd, offset, offset + size);
    offset += size;
  }
  return { mean, std };
}

/** Per-tensor statistics (one value per tensor, as checkpoints before per-parameter storage held them) spread to every parameter. */
export function expandPerTensor(perTensor: Float32Array, widths: readonly number[]): Float32Array {
  const out = new Float32Array(parameterCount(widths));
  let offset = 0;
  tensorSizes(widths).forEach((size, t) => {
    out.fill(perTensor[t]!, offset, offset + size);
    offset += size;
  });
  return out;
}

/** (x − mean) / std per parameter, for networks [N, P], into a new array. */
export function normalise(data: Float32Array, norm: Normalisation): Float32Array {
  const { mean, std } = norm;
  const P = mean.length;
  const out = new Float32Array(data.length);
  for (let base = 0; base < data.length; base += P) {
    for (let i = 0; i < P; i++) out[base + i] = (data[base + i]! - mean[i]!) / std[i]!;
  }
  return out;
}
