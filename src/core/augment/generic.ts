/**
 * Generic augmentations (approximate: they change the function or the label): Gaussian noise, dropout,
 * quantile dropout on the parameters, and label smoothing on the target. Tensors are taken in
 * state-dict order: W_0, b_0, W_1, b_1, …
 */
import type { Rng } from '../random/rng';
import type { Transformed } from './augmentation';
import { cloneNetwork, type Network } from '../weights/network';
import { smoothTarget } from './targets';

/** The paper's defaults (official code). */
export const GENERIC_DEFAULTS = { noiseScale: 0.32, dropoutP: 0.1, quantile: 0.1, smoothing: 0.1 } as const;

/** The weight and bias arrays of a network, in state-dict order. */
function tensorsOf(network: Network): Float32Array[] {
  return network.flatMap((l) => [l.W, l.b]);
}

/** Sample standard deviation (n − 1, as torch.std); 0 for fewer than two values (torch: NaN → nan_to_num). */
export function sampleStd(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 2) return 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i]!;
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i]! - mean) ** 2;
  return Math.sqrt(ss / (n - 1));
}

/**
 * Law: none (approximate). Every entry of each tensor T gets independent N(0, σ_T²) noise with
 * σ_T = scale·std(T) + 1e-8 (std of T before noise). Drawn: σ per tensor, in state-dict order. (The
 * official DWS-model path adds one constant per tensor instead; here every entry has its own draw.)
 */
export function gaussianNoise(network: Network, params: { readonly scale: number }, rng: Rng): Transformed<{ std: number[] }> {
  const out = cloneNetwork(network);
  const std: number[] = [];
  for (const tensor of tensorsOf(out)) {
    const sigma = params.scale * sampleStd(tensor) + 1e-8;
    std.push(sigma);
    for (let k = 0; k < tensor.length; k++) tensor[k] = tensor[k]! + sigma * rng.normal();
  }
  return { network: out, drawn: { std } };
}

/**
 * Law: none (approximate); E[g's parameters] = f's. Every weight and bias is zeroed with probability p,
 * the kept ones are divided by 1 − p (inverted dropout, as torch F.dropout). Drawn: how many were dropped.
 */
export function dropout(network: Network, params: { readonly p: number }, rng: Rng): Transformed<{ dropped: number; kept: number }> {
  const out = cloneNetwork(network);
  const keepScale = 1 / (1 - params.p);
  let dropped = 0;
  let kept = 0;
  for (const tensor of tensorsOf(out)) {
    for (let k = 0; k < tensor.length; k++) {
      if (rng.next() < params.p) {
        tensor[k] = 0;
        dropped++;
      } else {
        tensor[k] = tensor[k]! * keepScale;
        kept++;
      }
    }
  }
  return { network: out, drawn: { dropped, kept } };
}

/** The q-quantile of `values` with linear interpolation between order statistics (numpy/torch default). */
export function quantile(values: Float64Array, q: number): number {
  const sorted = Float64Array.from(values).sort();
  const position = q * (sorted.length - 1);
  const lo = Math.floor(position);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (position - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * Law: none (approximate): removes the smallest-magnitude parameters. q ~ U(0, quantile); every
 * parameter whose |value| is below the q-quantile of |all parameters of the network| becomes 0, the
 * others are unchanged. Drawn: q, the threshold and how many were zeroed.
 */
export function quantileDropout(
  network: Network,
  params: { readonly quantile: number },
  rng: Rng,
): Transformed<{ q: number; threshold: number; zeroed: number }> {
  const q = rng.uniform(0, params.quantile);
  const tensors = tensorsOf(network);
  const magnitudes = new Float64Array(tensors.reduce((n, t) => n + t.length, 0));
  let k = 0;
  for (const tensor of tensors) for (const v of tensor) magnitudes[k++] = Math.abs(v);
  const threshold = quantile(magnitudes, q);
  const out = cloneNetwork(network);
  let zeroed = 0;
  for (const tensor of tensorsOf(out)) {
    for (let i = 0; i < tensor.length; i++) {
      if (Math.abs(tensor[i]!) < threshold) {
        tensor[i] = 0;
        zeroed++;
      }
    }
  }
  return { network: out, drawn: { q, threshold, zeroed } };
}

/** Law: the network is unchanged; target' = (1−ε)·target + ε/C (still sums to 1). Nothing is drawn. */
export function labelSmoothing(target: readonly number[], params: { readonly epsilon: number }): number[] {
  return smoothTarget(target, params.epsilon);
}
