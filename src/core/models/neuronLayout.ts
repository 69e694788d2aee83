/**
 * How a weight-space model sees an MLP: each weight W_l (out × in) and bias b_l as a feature tensor
 * indexed by the *neuron layers* it touches. Neuron layer k has widths[k] neurons (0 = input,
 * L = output); W_l is indexed by (l+1, l) — rows then columns — and b_l by (l+1).
 *
 * A neuron layer is either permutable (an axis of the tensor, shared by every tensor that touches it)
 * or fixed (its index is folded into the channels). DWSNet-style models fix the input and output
 * neurons (only hidden neurons have the permutation symmetry); NFN-NP treats every neuron layer as
 * permutable (NFN's "NP" assumption), which is stricter but still invariant to hidden permutations.
 * Plain data (no TensorFlow.js), so the fused kernels' threads use it too; neuronTensors.ts turns a batch
 * into these tensors.
 */
export interface TensorLayout {
  /** 'w0', 'b0', 'w1', … */
  readonly name: string;
  /** Neuron layers that are axes of the feature tensor, in axis order (0–2 of them). */
  readonly axes: readonly number[];
  /** Feature channels per entry: the model channels times the sizes of the folded (fixed) neuron layers. */
  readonly channels: number;
}

export interface NetworkLayout {
  readonly widths: readonly number[];
  readonly fixed: ReadonlySet<number>;
  readonly tensors: readonly TensorLayout[];
}

/** Layouts for an MLP of `widths` with `channels` channels per entry; `fixed` neuron layers are folded. */
export function networkLayout(widths: readonly number[], fixed: ReadonlySet<number>, channels: number): NetworkLayout {
  const tensors: TensorLayout[] = [];
  const folded = (layers: readonly number[]) => layers.filter((k) => fixed.has(k)).reduce((c, k) => c * widths[k]!, channels);
  for (let l = 0; l + 1 < widths.length; l++) {
    const weightLayers = [l + 1, l];
    tensors.push({ name: `w${l}`, axes: weightLayers.filter((k) => !fixed.has(k)), channels: folded(weightLayers) });
    tensors.push({ name: `b${l}`, axes: [l + 1].filter((k) => !fixed.has(k)), channels: folded([l + 1]) });
  }
  return { widths, fixed, tensors };
}

/** The same layout with another channel count per entry. */
export function withChannels(layout: NetworkLayout, channels: number): NetworkLayout {
  return networkLayout(layout.widths, layout.fixed, channels);
}

/** Shape of a tensor's features for a batch: [B, …axis sizes, channels]. */
export function featureShape(layout: NetworkLayout, tensor: TensorLayout, batch: number): number[] {
  return [batch, ...tensor.axes.map((k) => layout.widths[k]!), tensor.channels];
}
