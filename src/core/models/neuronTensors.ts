/**
 * A batch of flattened networks as the feature tensors of a NetworkLayout (neuronLayout.ts), in TensorFlow.js.
 */
import { featureShape, type NetworkLayout } from './neuronLayout';
import { tf } from './tf';

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
