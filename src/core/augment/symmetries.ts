/**
 * Activation symmetries: per hidden neuron j of layer l, a change of its incoming weights (row j of W_l,
 * b_l[j]) undone by its outgoing weights (column j of W_{l+1}), so the function is unchanged exactly.
 * Hidden layers are every layer but the last (which is linear).
 */
import type { Rng } from '../random/rng';
import type { Transformed } from './augmentation';
import { cloneNetwork, hiddenWidths, type Layer, type Network } from '../weights/network';

/** Defaults: negation p = 0.5 and bias-shift kmax = 4 (official code); ReLU scaling factors in [1/2, 2] (ours). */
export const SYMMETRY_DEFAULTS = { negationP: 0.5, biasKmax: 4, reluFactor: 2 } as const;

/** What happens to the neurons of one hidden layer: row × rowScale, then bias + biasShift; column × colScale. */
interface NeuronChange {
  readonly rowScale: readonly number[];
  readonly colScale: readonly number[];
  readonly biasShift?: readonly number[];
}

/** Applies one NeuronChange per hidden layer (drawn in layer order by `changeOf`). */
function changeHiddenNeurons(network: Network, changeOf: (layer: number, width: number) => NeuronChange): Layer[] {
  const out = cloneNetwork(network);
  hiddenWidths(network).forEach((width, l) => {
    const { rowScale, colScale, biasShift } = changeOf(l, width);
    const layer = out[l]!;
    const next = out[l + 1]!;
    for (let j = 0; j < width; j++) {
      const r = rowScale[j]!;
      if (r !== 1) for (let i = 0; i < layer.inFeatures; i++) layer.W[j * layer.inFeatures + i] = layer.W[j * layer.inFeatures + i]! * r;
      layer.b[j] = layer.b[j]! * r + (biasShift?.[j] ?? 0);
      const c = colScale[j]!;
      if (c !== 1) for (let m = 0; m < next.outFeatures; m++) next.W[m * width + j] = next.W[m * width + j]! * c;
    }
  });
  return out;
}

/**
 * Law (SIREN, exact; sin is odd): sin(w0·(−z)) = −sin(w0·z), so negating neuron j's row and bias and its
 * outgoing column leaves f unchanged. Each hidden neuron is negated with probability p. Drawn: the sign
 * vector of each hidden layer. Float32-exact (negation rounds nothing).
 */
export function sirenNegation(network: Network, params: { readonly p: number }, rng: Rng): Transformed<{ signs: number[][] }> {
  const signs: number[][] = [];
  const result = changeHiddenNeurons(network, (_, width) => {
    const s = Array.from({ length: width }, () => (rng.next() < params.p ? -1 : 1));
    signs.push(s);
    return { rowScale: s, colScale: s };
  });
  return { network: result, drawn: { signs } };
}

/**
 * Law (SIREN, exact): sin(w0·z + kπ) = (−1)^k sin(w0·z), so b_l[j] += kπ/w0 with column j of W_{l+1}
 * negated when k is odd leaves f unchanged. k ~ U{−kmax, …, kmax−1} per hidden neuron (the official
 * randint range). Drawn: k per hidden layer.
 */
export function sirenBiasShift(network: Network, params: { readonly kmax: number; readonly w0: number }, rng: Rng): Transformed<{ k: number[][] }> {
  const k: number[][] = [];
  const result = changeHiddenNeurons(network, (_, width) => {
    const shifts = Array.from({ length: width }, () => rng.int(-params.kmax, params.kmax - 1));
    k.push(shifts);
    return {
      rowScale: shifts.map(() => 1),
      colScale: shifts.map((s) => (Math.abs(s) % 2 === 1 ? -1 : 1)),
      biasShift: shifts.map((s) => (s * Math.PI) / params.w0),
    };
  });
  return { network: result, drawn: { k } };
}

/**
 * Law (ReLU, exact): relu(a·z) = a·relu(z) for a > 0, so row j and b_l[j] × a with column j of W_{l+1}
 * × 1/a leaves f unchanged. a is log-uniform in [1/factor, factor] per hidden neuron. Drawn: a
 * per hidden layer.
 */
export function reluScaling(network: Network, params: { readonly factor: number }, rng: Rng): Transformed<{ a: number[][] }> {
  const a: number[][] = [];
  const logMax = Math.log(params.factor);
  const result = changeHiddenNeurons(network, (_, width) => {
    const factors = Array.from({ length: width }, () => Math.exp(rng.uniform(-logMax, logMax)));
    a.push(factors);
    return { rowScale: factors, colScale: factors.map((f) => 1 / f) };
  });
  return { network: result, drawn: { a } };
}
