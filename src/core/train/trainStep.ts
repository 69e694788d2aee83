/**
 * One optimizer step: forward, soft-target cross-entropy, gradients of every model parameter, AdamW
 * update. Returns the batch's mean loss and how many predictions matched the targets' most likely class.
 * Shared by the trainer and the training benchmark, so both time the same work.
 */
import type { WeightSpaceModel } from '../models/weightSpaceModel';
import { tf } from '../models/tf';
import type { AdamW } from './adamw';
import { softCrossEntropy } from './evaluate';

export interface StepResult {
  readonly loss: number;
  readonly correct: number;
}

/** `x` is [count, P] (normalised networks), `targets` [count, classes]. */
export function trainStep(model: WeightSpaceModel, optimizer: AdamW, x: Float32Array, targets: Float32Array, count: number): StepResult {
  const { loss, hits } = stepTensors(model, optimizer, x, targets, count);
  const result = { loss: loss.dataSync()[0]!, correct: hits.dataSync()[0]! };
  tf.dispose([loss, hits]);
  return result;
}

/** trainStep for a backend that reads only asynchronously (tf.ts: readsAsync). */
export async function trainStepAsync(model: WeightSpaceModel, optimizer: AdamW, x: Float32Array, targets: Float32Array, count: number): Promise<StepResult> {
  const { loss, hits } = stepTensors(model, optimizer, x, targets, count);
  const [l, h] = await Promise.all([loss.data(), hits.data()]);
  tf.dispose([loss, hits]);
  return { loss: l[0]!, correct: h[0]! };
}

/** The step, up to its mean loss and number of hits (kept tensors: the caller reads and disposes them). */
function stepTensors(model: WeightSpaceModel, optimizer: AdamW, x: Float32Array, targets: Float32Array, count: number): { loss: tf.Scalar; hits: tf.Scalar } {
  const variables = model.params.list;
  return tf.tidy(() => {
    const input = tf.tensor2d(x, [count, x.length / count]);
    const target = tf.tensor2d(targets, [count, model.classes]);
    let predicted: tf.Tensor | undefined;
    const { value, grads } = tf.variableGrads(() => {
      const logits = model.forward(input, true);
      predicted = tf.keep(tf.argMax(logits, 1)); // variableGrads disposes everything else made here
      return softCrossEntropy(logits, target);
    }, variables);
    optimizer.apply(
      variables.map((v, i) => {
        const g = grads[v.name];
        // A parameter the loss does not depend on is a bug in the model, not in the data: name it.
        if (!g) throw new Error(`model ${model.config.kind}: parameter ${model.params.names[i]} gets no gradient (it does not affect the loss)`);
        return g;
      }),
    );
    const hits = tf.sum(tf.cast(tf.equal(predicted!, tf.argMax(target, 1)), 'float32')) as tf.Scalar;
    predicted!.dispose();
    return { loss: value, hits };
  });
}
