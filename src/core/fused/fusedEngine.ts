/**
 * Training on the fused WebAssembly kernels (equivariantProgram.ts): one step is forward, the soft-target
 * cross-entropy and its gradient, backward, and AdamW over the flat parameter vector — the same maths as
 * trainStep.ts + adamw.ts on tfjs, without tfjs's per-operation cost. The model's ParamStore stays the
 * home of the parameters between steps that save or inspect them: syncModel() writes them back.
 */
import type { WeightSpaceModel } from '../models/weightSpaceModel';
import type { AdamWSettings } from '../train/adamw';
import type { SplitScore } from '../train/evaluate';
import type { TrainEngine } from '../train/trainEngine';
import type { StepResult } from '../train/trainStep';
import { WeightSet } from '../weights/weightSet';
import { EquivariantProgram } from './equivariantProgram';
import { trainKernelModule } from './trainKernel';

/**
 * loss = −mean_n Σ_c t_nc · log softmax(z_n)_c over `count` rows; writes ∂loss/∂z into `dz` (when given)
 * and returns the loss and how many rows' largest logit is the target's largest class (first on ties).
 */
export function softCrossEntropyGrad(logits: Float32Array, targets: Float32Array, count: number, classes: number, dz?: Float32Array): { loss: number; correct: number } {
  let loss = 0;
  let correct = 0;
  for (let n = 0; n < count; n++) {
    const o = n * classes;
    let zMax = -Infinity;
    let predicted = 0;
    let tMax = -Infinity;
    let label = 0;
    let tSum = 0;
    for (let c = 0; c < classes; c++) {
      if (logits[o + c]! > zMax) (zMax = logits[o + c]!), (predicted = c);
      if (targets[o + c]! > tMax) (tMax = targets[o + c]!), (label = c);
      tSum += targets[o + c]!;
    }
    let expSum = 0;
    for (let c = 0; c < classes; c++) expSum += Math.exp(logits[o + c]! - zMax);
    const logZ = zMax + Math.log(expSum);
    for (let c = 0; c < classes; c++) {
      loss -= targets[o + c]! * (logits[o + c]! - logZ);
      if (dz) dz[o + c] = (Math.exp(logits[o + c]! - logZ) * tSum - targets[o + c]!) / count;
    }
    if (predicted === label) correct++;
  }
  return { loss: loss / count, correct };
}

export class FusedEngine implements TrainEngine {
  readonly program: EquivariantProgram;
  step = 0;
  readonly backend: string;

  constructor(
    private readonly model: WeightSpaceModel,
    private readonly settings: AdamWSettings,
    batchSize: number,
  ) {
    this.program = new EquivariantProgram(model.config, model.widths, model.classes, model.params, batchSize);
    this.backend = `fused (${trainKernelModule().flavour})`;
  }

  learningRate(t = this.step + 1): number {
    const { lr, warmupSteps } = this.settings;
    return warmupSteps > 0 ? lr * Math.min(1, t / warmupSteps) : lr;
  }

  /** One optimizer step on `count` networks x [count, P] (normalised) with soft targets [count, classes]. */
  trainStep(x: Float32Array, targets: Float32Array, count: number): StepResult {
    const p = this.program;
    p.setInput(x, count);
    const logits = p.forward(count, true);
    const result = softCrossEntropyGrad(logits, targets, count, p.classes, p.dLogits(count));
    p.backward(count);
    this.applyAdamW();
    return result;
  }

  private applyAdamW(): void {
    const { weightDecay, beta1, beta2, eps } = this.settings;
    this.step += 1;
    const lr = this.learningRate(this.step);
    const p = this.program;
    p.k.adamw(p.theta.ptr, p.grad.ptr, p.m.ptr, p.v.ptr, p.theta.length, lr, weightDecay, beta1, beta2, eps, 1 - beta1 ** this.step, 1 - beta2 ** this.step);
  }

  /** Loss and accuracy on a split (running statistics), in batches of the program's size. */
  evaluate(data: Float32Array, labels: Int32Array): SplitScore {
    const count = labels.length;
    if (count === 0) return { loss: Number.NaN, accuracy: Number.NaN, count };
    const p = this.program;
    const P = data.length / count;
    let lossSum = 0;
    let correct = 0;
    for (let start = 0; start < count; start += p.maxBatch) {
      const n = Math.min(p.maxBatch, count - start);
      p.setInput(data.subarray(start * P, (start + n) * P), n);
      const logits = p.forward(n, false);
      const targets = new Float32Array(n * p.classes);
      for (let i = 0; i < n; i++) targets[i * p.classes + labels[start + i]!] = 1;
      const score = softCrossEntropyGrad(logits, targets, n, p.classes);
      lossSum += score.loss * n;
      correct += score.correct;
    }
    return { loss: lossSum / count, accuracy: correct / count, count };
  }

  /** Writes the parameters and running statistics into the model's ParamStore. */
  syncModel(): void {
    this.model.params.load(this.program.weightSet(), 'fused training state');
  }

  /** AdamW's moments as `opt.m.<name>` / `opt.v.<name>`, as AdamW.stateTensors writes them. */
  stateTensors(names: readonly string[]): WeightSet {
    const p = this.program;
    const m = p.f32(p.m);
    const v = p.f32(p.v);
    return WeightSet.fromArrays(
      names.flatMap((name) => {
        const o = p.offsets.get(name)!;
        const shape = [...p.shapes.get(name)!];
        const size = shape.reduce((a, b) => a * b, 1);
        return [
          { name: `opt.m.${name}`, shape, data: m.slice(o, o + size) },
          { name: `opt.v.${name}`, shape, data: v.slice(o, o + size) },
        ];
      }),
    );
  }

  dispose(): void {} // the kernel's memory goes with the engine

  /** Restores the moments and step from a checkpoint (and the parameters from the model, loaded before). */
  restore(set: WeightSet, names: readonly string[], step: number, source: string): void {
    const p = this.program;
    p.loadParameters(this.model.params);
    for (const [kind, slot] of [['m', p.m], ['v', p.v]] as const) {
      const values = p.f32(slot);
      for (const name of names) {
        const key = `opt.${kind}.${name}`;
        if (!set.has(key)) throw new Error(`${source}: no optimizer state ${key}`);
        values.set(set.get(key).data, p.offsets.get(name)!);
      }
    }
    this.step = step;
  }
}
