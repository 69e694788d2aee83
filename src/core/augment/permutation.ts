/**
 * Hidden-neuron permutations. A permutation π of hidden layer l is a gather: the neuron at position j
 * of the result is neuron π[j] of the input, so
 *   W_l'[j, :] = W_l[π[j], :],  b_l'[j] = b_l[π[j]],  W_{l+1}'[:, j] = W_{l+1}[:, π[j]].
 * Weight matching returns permutations in the same convention (see weightMatching.ts).
 */
import type { Rng } from '../random/rng';
import type { Transformed } from './augmentation';
import { hiddenWidths, type Layer, type Network } from '../weights/network';

/**
 * Law (exact, any elementwise activation): reordering the neurons of a hidden layer together with the
 * inputs of the next layer leaves f unchanged. Float32-exact (values are only moved). One permutation
 * per hidden layer.
 */
export function permuteNeurons(network: Network, perms: readonly ArrayLike<number>[]): Layer[] {
  const widths = hiddenWidths(network);
  if (perms.length !== widths.length) throw new Error(`permuteNeurons: ${perms.length} permutations for ${widths.length} hidden layers`);
  perms.forEach((p, l) => {
    if (!isPermutation(p, widths[l]!)) throw new Error(`permuteNeurons: hidden layer ${l} needs a permutation of 0…${widths[l]! - 1}`);
  });
  return network.map((layer, l) => {
    const rows = perms[l];
    const cols = perms[l - 1];
    const { inFeatures, outFeatures } = layer;
    const W = new Float32Array(layer.W.length);
    const b = new Float32Array(outFeatures);
    for (let j = 0; j < outFeatures; j++) {
      const src = rows ? rows[j]! : j;
      b[j] = layer.b[src]!;
      for (let i = 0; i < inFeatures; i++) W[j * inFeatures + i] = layer.W[src * inFeatures + (cols ? cols[i]! : i)]!;
    }
    return { inFeatures, outFeatures, W, b };
  });
}

export function isPermutation(p: ArrayLike<number>, n: number): boolean {
  if (p.length !== n) return false;
  const seen = new Uint8Array(n);
  for (let j = 0; j < n; j++) {
    const v = p[j]!;
    if (!Number.isInteger(v) || v < 0 || v >= n || seen[v]) return false;
    seen[v] = 1;
  }
  return true;
}

/** The permutation σ with σ[π[j]] = j (gathering by π then by σ restores the order). */
export function invertPermutation(p: ArrayLike<number>): Int32Array {
  const inverse = new Int32Array(p.length);
  for (let j = 0; j < p.length; j++) inverse[p[j]!] = j;
  return inverse;
}

/** Law (exact): a uniformly random permutation of every hidden layer. Drawn: the permutations. */
export function randomPermutation(network: Network, rng: Rng): Transformed<{ perms: number[][] }> {
  const perms = hiddenWidths(network).map((n) => rng.permutation(n));
  return { network: permuteNeurons(network, perms), drawn: { perms: perms.map((p) => Array.from(p)) } };
}
