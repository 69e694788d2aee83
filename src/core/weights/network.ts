/**
 * The one network type: the layers of an MLP, first layer first — what an augmentation transforms, a SIREN
 * is fitted as (inr/spec.ts), and an MLP read from a weight file is (mlp.ts's MlpLayer adds the tensor names).
 *
 * LAYOUT CONVENTION (the only one used in src/core): PyTorch's nn.Linear layout, as stored in
 * the weight files — W_l has shape (out, in), row-major, W[o·in + i]; b_l has length out. So
 *   "row j of W_l" (and b_l[j]) = the incoming weights of hidden neuron j of layer l,
 *   "column j of W_{l+1}"       = its outgoing weights,
 * and an input warp x ↦ A x + t becomes W_0' = W_0·A, b_0' = b_0 + W_0·t. The official augmentation
 * code transposes every weight to (in, out) (plus batch/channel axes); formulas copied from it must be
 * transposed before use here. We never transpose.
 *
 * Networks are never mutated: every function returns new arrays.
 */
export interface Layer {
  readonly inFeatures: number;
  readonly outFeatures: number;
  /** (out, in), row-major. */
  readonly W: Float32Array;
  readonly b: Float32Array;
}

/** Layers in order; layer l's outputs feed layer l+1. */
export type Network = readonly Layer[];

/** [in, hidden…, out]. */
export function widthsOf(network: Network): number[] {
  return [network[0]!.inFeatures, ...network.map((l) => l.outFeatures)];
}

/** Widths of the hidden layers (the neurons that symmetries act on): [] for a single linear layer. */
export function hiddenWidths(network: Network): number[] {
  return network.slice(0, -1).map((l) => l.outFeatures);
}

/** Sizes of W_0, b_0, W_1, b_1, … of a network with these widths (state-dict order). */
export function tensorSizes(widths: readonly number[]): number[] {
  return widths.slice(1).flatMap((out, l) => [out * widths[l]!, out]);
}

/** Parameters of a network with these widths (all weights and biases). */
export function parameterCount(widths: readonly number[]): number {
  let n = 0;
  for (let l = 0; l + 1 < widths.length; l++) n += widths[l + 1]! * (widths[l]! + 1);
  return n;
}

/** A layer with its own copies of W and b. */
export function copyLayer(layer: Layer): Layer {
  return { inFeatures: layer.inFeatures, outFeatures: layer.outFeatures, W: layer.W.slice(), b: layer.b.slice() };
}

export function cloneNetwork(network: Network): Layer[] {
  return network.map(copyLayer);
}

export function sameArchitecture(a: Network, b: Network): boolean {
  return a.length === b.length && a.every((l, i) => l.inFeatures === b[i]!.inFeatures && l.outFeatures === b[i]!.outFeatures);
}

/** ⟨a, b⟩ over every weight and bias, in float64 (the weight-matching objective). */
export function innerProduct(a: Network, b: Network): number {
  let sum = 0;
  a.forEach((layer, l) => {
    const other = b[l]!;
    for (let k = 0; k < layer.W.length; k++) sum += layer.W[k]! * other.W[k]!;
    for (let k = 0; k < layer.b.length; k++) sum += layer.b[k]! * other.b[k]!;
  });
  return sum;
}
