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
  const tally = new Tally(labels);
  for (const batch of batches(labels.length, batchSize)) {
    const { lossSum, predicted } = batchTensors(model, data, labels, batch);
    tally.add(batch, lossSum.dataSync()[0]!, predicted.dataSync() as Int32Array);
    tf.dispose([lossSum, predicted]);
  }
  return tally.score();
}

/** evaluateModel for a backend that reads only asynchronously (tf.ts: readsAsync). */
export async function evaluateModelAsync(model: WeightSpaceModel, data: Float32Array, labels: Int32Array, batchSize = 256): Promise<SplitScore> {
  const tally = new Tally(labels);
  for (const batch of batches(labels.length, batchSize)) {
    const { lossSum, predicted } = batchTensors(model, data, labels, batch);
    const [loss, hits] = await Promise.all([lossSum.data(), predicted.data()]);
    tally.add(batch, loss[0]!, hits as Int32Array);
    tf.dispose([lossSum, predicted]);
  }
  return tally.score();
}

interface Batch {
  readonly start: number;
  readonly n: number;
}

function batches(count: number, batchSize: number): Batch[] {
  const out: Batch[] = [];
  for (let start = 0; start < count; start += batchSize) out.push({ start, n: Math.min(batchSize, count - start) });
  return out;
}

/** A batch's summed loss and predicted classes (kept tensors: the caller reads and disposes them). */
function batchTensors(model: WeightSpaceModel, data: Float32Array, labels: Int32Array, { start, n }: Batch): { lossSum: tf.Scalar; predicted: tf.Tensor1D } {
  const P = data.length / labels.length;
  return tf.tidy(() => {
    const logits = model.forward(tf.tensor2d(data.subarray(start * P, (start + n) * P), [n, P]), false);
    const y = tf.oneHot(tf.tensor1d(labels.subarray(start, start + n), 'int32'), model.classes) as tf.Tensor2D;
    return { lossSum: tf.mul(softCrossEntropy(logits, y), n) as tf.Scalar, predicted: tf.argMax(logits, 1) as tf.Tensor1D };
  });
}

/** Loss sum and hits over the batches of a split. */
class Tally {
  private lossSum = 0;
  private correct = 0;

  constructor(private readonly labels: Int32Array) {}

  add({ start, n }: Batch, loss: number, predicted: Int32Array): void {
    this.lossSum += loss;
    for (let i = 0; i < n; i++) if (predicted[i] === this.labels[start + i]) this.correct++;
  }

  score(): SplitScore {
    const count = this.labels.length;
    if (count === 0) return { loss: Number.NaN, accuracy: Number.NaN, count };
    return { loss: this.lossSum / count, accuracy: this.correct / count, count };
  }
}
