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
 *
 * Before that, with signs 'canonical', every network's hidden SIREN neurons are turned to non-negative
 * biases (signCanonical.ts: exact, and removes the sign symmetry that DWSNet-style models are not invariant
 * to); 'as-is' leaves them. The statistics are those of the networks as the model sees them.
 */
import { parameterCount, tensorSizes } from '../weights/network';
import { canonicaliseSigns } from '../weights/signCanonical';
import type { SplitData } from './datasetSplits';

export type InputNorm = 'tensor' | 'element' | 'none';
export const INPUT_NORMS: readonly InputNorm[] = ['tensor', 'element', 'none'];

export const INPUT_SIGNS = ['canonical', 'as-is'] as const;
export type InputSigns = (typeof INPUT_SIGNS)[number];

export interface Normalisation {
  /** Per parameter (state-dict order W_0, b_0, W_1, …): the training split's mean and std. */
  readonly mean: Float32Array;
  readonly std: Float32Array;
  /** Whether each network's signs are canonicalised first, and the widths [in, hidden…, out] that needs. */
  readonly signs: InputSigns;
  readonly widths: readonly number[];
}

/** Smallest std used, so a constant parameter does not divide by 0. */
const STD_FLOOR = 1e-8;

/** The statistics of `split` for `mode` (std floored at 1e-8), after its signs are made `signs`. */
export function inputStatistics(split: SplitData, widths: readonly number[], mode: InputNorm, signs: InputSigns): Normalisation {
  const P = parameterCount(widths);
  const mean = new Float32Array(P);
  const std = new Float32Array(P).fill(1);
  if (mode === 'none') return { mean, std, signs, widths };
  // Sums in float64 over the training networks, per parameter.
  const sum = new Float64Array(P);
  const sumSq = new Float64Array(P);
  const row = new Float32Array(P);
  for (let n = 0; n < split.count; n++) {
    row.set(split.data.subarray(n * P, (n + 1) * P));
    if (signs === 'canonical') canonicaliseSigns(row, widths);
    for (let i = 0; i < P; i++) {
      const v = row[i]!;
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
  return { mean, std, signs, widths };
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

/** The networks [N, P] as the model reads them, into a new array: signs made `norm.signs`, then (x − mean) / std per parameter. */
export function normalise(data: Float32Array, norm: Normalisation): Float32Array {
  const { mean, std } = norm;
  const P = mean.length;
  const out = norm.signs === 'canonical' ? canonicaliseSigns(data.slice(), norm.widths) : new Float32Array(data);
  for (let base = 0; base < out.length; base += P) {
    for (let i = 0; i < P; i++) out[base + i] = (out[base + i]! - mean[i]!) / std[i]!;
  }
  return out;
}
