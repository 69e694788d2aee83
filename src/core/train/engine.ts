/**
 * What runs a training session's maths, whichever it is (trainEngine.ts makes one: the fused kernels or
 * TensorFlow.js): steps, evaluations, the optimizer state, from and back to the model's ParamStore.
 */
import type { WeightSet } from '../weights/weightSet';
import type { SplitScore } from './evaluate';
import type { BatchPlan } from './trainingBatch';
import type { StepResult } from './trainStep';

export interface TrainEngine {
  /** What runs it, for summaries: 'fused (wasm-relaxed-simd)', 'wasm', 'cpu', 'tensorflow'. */
  readonly backend: string;
  /** AdamW's step count. */
  readonly step: number;
  /** The learning rate of step `t` (1-based; default the next step). */
  learningRate(t?: number): number;
  /** One optimizer step on a planned batch of the engine's BatchSource (made, augmented and normalised by it). */
  trainBatch(plan: BatchPlan): StepResult | Promise<StepResult>;
  /** Loss and accuracy on a split, eval mode (running statistics). */
  evaluate(data: Float32Array, labels: Int32Array): SplitScore | Promise<SplitScore>;
  /**
   * Makes the model's ParamStore hold the current parameters and buffers, readable along with the optimizer
   * state (before saving or checking them).
   */
  syncModel(): void | Promise<void>;
  /** The optimizer state as checkpoint tensors `opt.m.<name>`, `opt.v.<name>`. */
  stateTensors(names: readonly string[]): WeightSet;
  /** Continues from a checkpoint: the model's ParamStore already holds its parameters. */
  restore(set: WeightSet, names: readonly string[], step: number, source: string): void;
  dispose(): void;
}
