/**
 * How a weight-space model sees an MLP: each weight W_l (out × in) and bias b_l as a feature tensor
 * indexed by the *neuron layers* it touches. Neuron layer k has widths[k] neurons (0 = input,
 * L = output); W_l is indexed by (l+1, l) — rows then columns — and b_l by (l+1).
 *
 * A neuron layer is either permutable (an axis of the tensor, shared by every tensor that touches it)
 * or fixed (its index is folded into the channels). DWSNet-style models fix the input and output
 * neurons (only hidden neurons have the permutation symmetry); NFN-NP treats every neuron layer as
 * permutable (NFN's "NP" assumption), which is stricter but still invariant to hidden permutations.
 */
import { tf } from './tf';

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

/**
 * Splits a batch of flattened networks ([B, P], state-dict order W_0, b_0, W_1, b_1, …, each W (out, in))
 * into one feature tensor per weight and bias with 1 channel, folding the fixed neuron layers.
 */
export function toFeatures(layout: NetworkLayout, flat: tf.Tensor2D): tf.Tensor[] {
  const { widths, fixed } = layout;
  const batch = flat.shape[0];
  const features: tf.Tensor[] = [];
  let offset = 0;
  for (let l = 0; l + 1 < widths.length; l++) {
    const rows = widths[l + 1]!;
    const cols = widths[l]!;
    let w: tf.Tensor = tf.reshape(tf.slice(flat, [0, offset], [batch, rows * cols]), [batch, rows, cols]);
    offset += rows * cols;
    // Fixed rows go to the channel end: [B, cols, rows] then fold.
    if (fixed.has(l + 1) && !fixed.has(l)) w = tf.transpose(w, [0, 2, 1]);
    features.push(tf.reshape(w, featureShape(layout, layout.tensors[2 * l]!, batch)));
    const b = tf.slice(flat, [0, offset], [batch, rows]);
    offset += rows;
    features.push(tf.reshape(b, featureShape(layout, layout.tensors[2 * l + 1]!, batch)));
  }
  return features;
}
