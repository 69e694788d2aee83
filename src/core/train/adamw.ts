/**
 * AdamW (Loshchilov & Hutter; PyTorch's torch.optim.AdamW) over a model's tfjs variables, with linear
 * learning-rate warm-up. Written out rather than tf.train.adam so its state (step, m, v) is plain named
 * tensors that go into checkpoints, and a resumed run continues exactly:
 *   lr_t = lr · min(1, t / warmup)
 *   θ ← θ − lr_t·wd·θ;  m ← β1 m + (1−β1) g;  v ← β2 v + (1−β2) g²
 *   θ ← θ − lr_t · (m / (1−β1ᵗ)) / (√(v / (1−β2ᵗ)) + ε)
 */
import { WeightSet } from '../weights/weightSet';
import { tf } from '../models/tf';
import { warmupLearningRate } from './warmup';

export interface AdamWSettings {
  readonly lr: number;
  readonly weightDecay: number;
  readonly warmupSteps: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
}

/** The checkpoint name of a parameter's first (m) or second (v) moment: `opt.m.<name>`, `opt.v.<name>`. */
export function optimizerStateName(kind: 'm' | 'v', name: string): string {
  return `opt.${kind}.${name}`;
}

export class AdamW {
  step = 0;
  private readonly m: tf.Variable[];
  private readonly v: tf.Variable[];

  constructor(
    private readonly variables: readonly tf.Variable[],
    private readonly settings: AdamWSettings,
  ) {
    this.m = variables.map((x) => tf.variable(tf.zerosLike(x), false));
    this.v = variables.map((x) => tf.variable(tf.zerosLike(x), false));
  }

  /** The learning rate of step `t` (1-based). */
  learningRate(t = this.step + 1): number {
    return warmupLearningRate(this.settings, t);
  }

  /** One update from gradients given in the order of the variables. */
  apply(grads: readonly tf.Tensor[]): void {
    const { weightDecay, beta1, beta2, eps } = this.settings;
    this.step += 1;
    const lr = this.learningRate(this.step);
    const c1 = 1 - beta1 ** this.step;
    const c2 = 1 - beta2 ** this.step;
    tf.tidy(() => {
      this.variables.forEach((x, i) => {
        const g = grads[i]!;
        const m = tf.add(tf.mul(this.m[i]!, beta1), tf.mul(g, 1 - beta1));
        const v = tf.add(tf.mul(this.v[i]!, beta2), tf.mul(tf.square(g), 1 - beta2));
        this.m[i]!.assign(m);
        this.v[i]!.assign(v);
        const decayed = weightDecay > 0 ? tf.mul(x, 1 - lr * weightDecay) : x;
        const update = tf.div(tf.div(m, c1), tf.add(tf.sqrt(tf.div(v, c2)), eps));
        x.assign(tf.sub(decayed, tf.mul(update, lr)));
      });
    });
  }

  /** Reads the moments to the CPU, so that stateTensors works on a backend that reads only asynchronously. */
  async fetch(): Promise<void> {
    await Promise.all([...this.m, ...this.v].map((t) => t.data()));
  }

  /** The moments as tensors `opt.m.<name>` / `opt.v.<name>` (names of the variables, in order). */
  stateTensors(names: readonly string[]): WeightSet {
    return WeightSet.fromArrays(
      names.flatMap((name, i) => [
        { name: optimizerStateName('m', name), shape: [...this.m[i]!.shape], data: this.m[i]!.dataSync() as Float32Array },
        { name: optimizerStateName('v', name), shape: [...this.v[i]!.shape], data: this.v[i]!.dataSync() as Float32Array },
      ]),
    );
  }

  /** Restores moments and step from a checkpoint written by stateTensors. */
  restore(set: WeightSet, names: readonly string[], step: number, source: string): void {
    names.forEach((name, i) => {
      for (const [kind, target] of [
        ['m', this.m[i]!],
        ['v', this.v[i]!],
      ] as const) {
        const key = optimizerStateName(kind, name);
        if (!set.has(key)) throw new Error(`${source}: no optimizer state ${key}`);
        target.assign(tf.tensor(set.get(key).data, target.shape));
      }
    });
    this.step = step;
  }

  dispose(): void {
    for (const t of [...this.m, ...this.v]) t.dispose();
  }
}
