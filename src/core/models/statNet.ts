/**
 * StatNN (Unterthiner et al. 2020, "Predicting neural network accuracy from weights"): each weight and bias
 * tensor of the input network summarised by 7 statistics — mean, variance (population) and the 0, 25, 50, 75
 * and 100 % quantiles (linear interpolation, as numpy and torch.quantile) — and an MLP on those 7 · #tensors
 * numbers: the configured normalisation first (so statistics of different scales are comparable), then
 * hidden × layers with normalisation and ReLU, then the classes. Law: a statistic of a tensor does not
 * depend on the order of its entries, so the model is invariant to any permutation within each tensor
 * (hidden-neuron permutations included). The statistics are of the (normalised) input, computed without
 * gradients: the input needs none.
 */
import { tensorSizes } from '../weights/network';
import { mlp } from './dense';
import { featureNorm } from './featureNorm';
import type { ModelConfig } from './modelConfig';
import type { ParamStore } from './paramStore';
import { tf } from './tf';
import type { Forward } from './forward';

export const STATISTICS = ['mean', 'var', 'q0', 'q25', 'q50', 'q75', 'q100'] as const;

/** The 7 statistics of `values` (sorted in place). */
export function tensorStatistics(values: Float64Array): number[] {
  const n = values.length;
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  let sq = 0;
  for (const v of values) sq += (v - mean) ** 2;
  values.sort();
  const quantile = (q: number) => {
    const position = q * (n - 1);
    const lo = Math.floor(position);
    const hi = Math.min(n - 1, lo + 1);
    return values[lo]! + (position - lo) * (values[hi]! - values[lo]!);
  };
  return [mean, sq / n, quantile(0), quantile(0.25), quantile(0.5), quantile(0.75), quantile(1)];
}

/** [B, P] networks → [B, 7 · #tensors] statistics, tensor after tensor. */
export function statisticsOf(flat: Float32Array, widths: readonly number[]): Float32Array {
  const sizes = tensorSizes(widths);
  const P = sizes.reduce((a, b) => a + b, 0);
  const count = flat.length / P;
  const out = new Float32Array(count * sizes.length * STATISTICS.length);
  let o = 0;
  for (let n = 0; n < count; n++) {
    let offset = n * P;
    for (const size of sizes) {
      for (const s of tensorStatistics(Float64Array.from(flat.subarray(offset, offset + size)))) out[o++] = s;
      offset += size;
    }
  }
  return out;
}

export function createStatNet(params: ParamStore, config: ModelConfig, widths: readonly number[], classes: number): Forward {
  const features = tensorSizes(widths).length * STATISTICS.length;
  const inputNorm = featureNorm(config.norm, params, 'stat.inputNorm', features);
  const norms = Array.from({ length: config.layers }, (_, i) => featureNorm(config.norm, params, `stat.norm${i}`, config.hidden));
  const net = mlp(params, 'stat', [features, ...new Array<number>(config.layers).fill(config.hidden), classes], (x, i, training) =>
    norms[i]!.apply(x, training),
  );
  return (flat, training) => {
    const stats = tf.tensor2d(statisticsOf(flat.dataSync() as Float32Array, widths), [flat.shape[0], features]);
    return net(inputNorm.apply(stats, training), training) as tf.Tensor2D;
  };
}
