/**
 * What runs a training session's maths: the fused WebAssembly kernels (src/core/fused) for the models that
 * have them, or TensorFlow.js (trainStep.ts + adamw.ts on its wasm, cpu or tfjs-node-gpu backend) — the
 * reference the fused kernels are tested against. Both start from the model's ParamStore and give the
 * same steps, evaluations and optimizer state, so the trainer, checkpoints and resume do not care which.
 *   backend  auto           fused where the model has kernels (dwsnet, nfn-np with norm batch/none, set layer ds),
 *                           else TensorFlow.js (tfjs-node-gpu when installed, else wasm)
 *            fused          the fused kernels, or an error naming what the model lacks
 *            wasm, cpu, tfjs-node-gpu, webgpu   that TensorFlow.js backend (webgpu reads results asynchronously:
 *                           its steps, evaluations and syncModel are promises, which the trainer awaits)
 * The fused engine splits each batch over `threads` threads with BatchNorm statistics of the whole batch:
 * for a seed, runs with the same thread count are bit-identical; another count sums floats in another order.
 */
import { availableParallelism } from 'node:os';
import { FusedEngine } from '../fused/fusedEngine';
import { fusedUnsupportedReason } from '../fused/equivariantProgram';
import type { ModelConfig } from '../models/modelConfig';
import { initTf, readsAsync, type TrainBackendName } from '../models/tf';
import type { TrainBackendChoice } from './backendChoice';
import type { TrainEngine } from './engine';
import type { WeightSpaceModel } from '../models/weightSpaceModel';
import type { WeightSet } from '../weights/weightSet';
import { AdamW, type AdamWSettings } from './adamw';
import { ConfigError } from './experimentConfig';
import { evaluateModel, evaluateModelAsync, type SplitScore } from './evaluate';
import { batchMaker, type BatchPlan, type BatchSource, type TrainingBatch } from './trainingBatch';
import { trainStep, trainStepAsync, type StepResult } from './trainStep';

export type { TrainBackendChoice } from './backendChoice';
export type { TrainEngine } from './engine';

/** Whether `choice` trains `model` on the fused kernels; throws when `fused` was asked for and cannot be. */
export function usesFusedKernels(choice: TrainBackendChoice, model: ModelConfig): boolean {
  const reason = fusedUnsupportedReason(model);
  if (choice === 'fused' && reason) throw new ConfigError(`backend "fused": ${reason}; use backend "auto" or "wasm"`);
  return choice === 'fused' || (choice === 'auto' && reason === null);
}

/**
 * Initialises TensorFlow.js for a session with this choice (the fused kernels need it only to hold the
 * ParamStore: its plain cpu backend) and returns whether the fused kernels run it.
 */
export async function prepareBackend(choice: TrainBackendChoice, model: ModelConfig): Promise<{ fused: boolean; tfBackend: string }> {
  const fused = usesFusedKernels(choice, model);
  return { fused, tfBackend: await initTf(fused ? 'cpu' : (choice as TrainBackendName)) };
}

class TfjsEngine implements TrainEngine {
  private readonly optimizer: AdamW;
  private readonly make: (plan: BatchPlan, from: number, to: number) => TrainingBatch;
  /** The backend reads only asynchronously (webgpu). */
  private readonly async = readsAsync();

  constructor(
    private readonly model: WeightSpaceModel,
    settings: AdamWSettings,
    readonly backend: string,
    source: BatchSource,
  ) {
    this.optimizer = new AdamW(model.params.list, settings);
    this.make = batchMaker(source);
  }

  get step(): number {
    return this.optimizer.step;
  }

  learningRate(t?: number): number {
    return this.optimizer.learningRate(t);
  }

  trainBatch(plan: BatchPlan): StepResult | Promise<StepResult> {
    const rows = this.make(plan, 0, plan.indices.length);
    return (this.async ? trainStepAsync : trainStep)(this.model, this.optimizer, rows.data, rows.targets, rows.count);
  }

  evaluate(data: Float32Array, labels: Int32Array): SplitScore | Promise<SplitScore> {
    return (this.async ? evaluateModelAsync : evaluateModel)(this.model, data, labels);
  }

  async syncModel(): Promise<void> {
    if (this.async) await Promise.all([this.model.params.fetch(), this.optimizer.fetch()]);
  }

  stateTensors(names: readonly string[]): WeightSet {
    return this.optimizer.stateTensors(names);
  }

  restore(set: WeightSet, names: readonly string[], step: number, source: string): void {
    this.optimizer.restore(set, names, step, source);
  }

  dispose(): void {
    this.optimizer.dispose();
  }
}

/** Threads for a `threads` setting: itself, or for 0 one per core, at most 8. */
export function fusedThreads(threads: number): number {
  return threads > 0 ? threads : Math.min(8, availableParallelism());
}

/**
 * The engine for a model whose backend prepareBackend set up, training on batches of `source`; `batchSize` is
 * the largest batch it steps, `threads` the fused engine's thread setting (0: one per core). The fused
 * engine's threads each make (augment, normalise) their own rows of every batch.
 */
export function createTrainEngine(
  model: WeightSpaceModel,
  settings: AdamWSettings,
  batchSize: number,
  backend: { fused: boolean; tfBackend: string },
  source: BatchSource,
  threads = 1,
): TrainEngine {
  return backend.fused
    ? new FusedEngine(model, settings, batchSize, fusedThreads(threads), source)
    : new TfjsEngine(model, settings, backend.tfBackend, source);
}
