/**
 * The invariant readout: each feature tensor [B, …neuron axes, C] reduced over its neuron axes to [B, C]
 * (`mean`, `max`, or both concatenated: [B, 2C]); a tensor without neuron axes is already invariant and is
 * passed once. Law: a mean or a max over an axis does not change when the axis is permuted, so the result is
 * invariant to permutations of the neurons those axes index.
 */
import { meanPool } from './gradOps';
import type { Pooling } from './modelConfig';
import { tf } from './tf';

/** Output channels of pooling a tensor of `channels` channels with `neuronAxes` neuron axes. */
export function pooledChannels(pool: Pooling, channels: number, neuronAxes: number): number {
  return pool === 'mean+max' && neuronAxes > 0 ? 2 * channels : channels;
}

/** x [B, …neuron axes, C] → [B, C] (or [B, 2C] for mean+max: the means, then the maxima). */
export function invariantPool(pool: Pooling, x: tf.Tensor): tf.Tensor2D {
  const axes = x.shape.slice(1, -1).map((_, i) => i + 1);
  if (axes.length === 0) return x as tf.Tensor2D;
  if (pool === 'mean') return meanPool(x, axes) as tf.Tensor2D;
  if (pool === 'max') return tf.max(x, axes) as tf.Tensor2D;
  return tf.concat([meanPool(x, axes) as tf.Tensor2D, tf.max(x, axes) as tf.Tensor2D], 1);
}
