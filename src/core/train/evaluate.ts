/**
 * Loss and accuracy of a model on a split (forward passes only, in batches), and the soft-target
 * cross-entropy used for training: loss = −mean_n Σ_c t_nc · log softmax(z_n)_c.
 */
import { tf } from '../models/tf';
import type { WeightSpaceModel } from '../models/weightSpaceModel';

export function softCrossEntropy(logits: tf.Tensor2D, targets: tf.Tensor2D): tf.Scalar {
  return tf.neg(tf.mean(tf.sum(tf.mul(targets, tf.logSoftmax(logits)), 1))) as tf.Scalar;
}

export interface SplitScore {
  readonly loss: number;
  readonly accuracy: number;
  readonly count: number;
}

/** `data` is [count, P], already normalised; `labels` hard labels. */
export function evaluateModel(model: WeightSpaceModel, data: Float32Array, labels: Int32Array, batchSize = 256): SplitScore {
  const count = labels.length;
  if (count === 0) return { loss: Number.NaN, accuracy: Number.NaN, count };
  const P = data.length / count;
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < count; start += batchSize) {
    const n = Math.min(batchSize, count - start);
    const [loss, predicted] = tf.tidy(() => {
      const logits = model.forward(tf.tensor2d(data.subarray(start * P, (start + n) * P), [n, P]), false);
      const y = tf.oneHot(tf.tensor1d(labels.subarray(start, start + n), 'int32'), model.classes) as tf.Tensor2D;
      return [tf.mul(softCrossEntropy(logits, y), n).dataSync()[0]!, tf.argMax(logits, 1).dataSync() as Int32Array] as const;
    });
    lossSum += loss;
    for (let i = 0; i < n; i++) if (predicted[i] === labels[start + i]) correct++;
  }
  return { loss: lossSum / count, accuracy: correct / count, count };
}
