/**
 * Linear layers as the models use them: x · W + b over the last axis of a tensor of any rank, with W stored
 * [fan_in, fan_out] (the transpose of PyTorch's nn.Linear weight) and PyTorch's default initialisation, and
 * the MLP head that turns an invariant feature vector into logits.
 */
import type { ParamStore } from './paramStore';
import { tf } from './tf';

export interface Dense {
  readonly weight: tf.Variable;
  readonly bias: tf.Variable;
}

/** x [..., in] · W [in, out] + b → [..., out]. */
export function dense(x: tf.Tensor, layer: Dense): tf.Tensor {
  const [fanIn, fanOut] = layer.weight.shape as [number, number];
  if (x.rank === 2) return tf.add(tf.matMul(x as tf.Tensor2D, layer.weight as tf.Tensor2D), layer.bias);
  const y = tf.add(tf.matMul(tf.reshape(x, [-1, fanIn]) as tf.Tensor2D, layer.weight as tf.Tensor2D), layer.bias);
  return tf.reshape(y, [...x.shape.slice(0, -1), fanOut]);
}

/**
 * An MLP of `sizes` (in, hidden…, out) with ReLU between layers; `between` (e.g. a normalisation) is
 * applied to each hidden layer's output before its ReLU.
 */
export function mlp(
  params: ParamStore,
  name: string,
  sizes: readonly number[],
  between?: (x: tf.Tensor, i: number, training: boolean) => tf.Tensor,
): (x: tf.Tensor, training: boolean) => tf.Tensor {
  const layers = sizes.slice(1).map((out, i) => params.linear(`${name}.${i}`, sizes[i]!, out));
  return (x, training) =>
    layers.reduce((h, layer, i) => {
      const y = dense(h, layer);
      return i + 1 < layers.length ? tf.relu(between ? between(y, i, training) : y) : y;
    }, x);
}
