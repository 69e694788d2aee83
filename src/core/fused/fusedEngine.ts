/**
 * Training on the fused WebAssembly kernels (equivariantProgram.ts): one step is forward, the soft-target
 * cross-entropy and its gradient, backward, and AdamW over the flat parameter vector — the same maths as
 * trainStep.ts + adamw.ts on TensorFlow.js, without its per-operation cost. With `threads` > 1 the batch is
 * split into contiguous shards: this thread runs shard 0 and worker threads (fusedWorker.ts) the others, in
 * lockstep through shared memory (threadTeam.ts); BatchNorm uses the whole batch's statistics, so the maths
 * is the same as on one thread, up to the order of float sums. The model's ParamStore is the home of the
 * parameters whenever they are saved or inspected: syncModel() writes them back.
 */
import { join } from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { startBundledWorker } from '../io/bundledWorker';
import { networkLayout } from '../models/neuronLayout';
import { toFeatures } from '../models/neuronTensors';
import { tf } from '../models/tf';
import type { WeightSpaceModel } from '../models/weightSpaceModel';
import { optimizerStateName, type AdamWSettings } from '../train/adamw';
import { batchMaker, type BatchPlan, type BatchSource, type TrainingBatch } from '../train/trainingBatch';
import type { SplitData } from '../train/datasetSplits';
import type { SplitScore } from '../train/evaluate';
import type { TrainEngine } from '../train/engine';
import type { StepResult } from '../train/trainStep';
import { parameterCount } from '../weights/network';
import { WeightSet } from '../weights/weightSet';
import type { ProgramInit } from './equivariantProgram';
import { FusedShard } from './fusedShard';
import type { FusedWorkerInit, ToFusedWorker } from './fusedWorker';
import { createTeamBuffers, TeamAborted } from './threadTeam';
import { trainKernelModule } from './trainKernel';

/** The program's plain-data description of `model` (parameters, buffers and the input gather indices). */
function programInit(model: WeightSpaceModel, maxBatch: number): ProgramInit {
  const { config, widths, classes } = model;
  const L = widths.length - 1;
  const layout = networkLayout(widths, new Set(config.kind === 'dwsnet' ? [0, L] : []), 1);
  const P = parameterCount(widths);
  // toFeatures applied to the indices 0 … P−1 says where each feature entry comes from.
  const gather = tf.tidy(() =>
    toFeatures(
      layout,
      tf.tensor2d(
        Float32Array.from({ length: P }, (_, i) => i),
        [1, P],
      ),
    ).map((t) => Int32Array.from(t.dataSync())),
  );
  const tensors = model.params.toWeightSet().tensors.map((t) => ({ name: t.name, shape: t.shape, data: t.data as Float32Array }));
  return { config, widths, classes, names: model.params.names, tensors, gather, maxBatch };
}

/** The split with its networks and labels copied into shared memory (no ids: rows are made from indices). */
function sharedSplit(split: SplitData): SplitData {
  const data = new Float32Array(new SharedArrayBuffer(split.data.byteLength));
  data.set(split.data);
  const labels = new Int32Array(new SharedArrayBuffer(split.labels.byteLength));
  labels.set(split.labels);
  return { ids: [], labels, data, count: split.count };
}

/** A fused worker: the bundle dist/fused-worker.js, or the TypeScript source under tsx (as wasmBackend.ts does). */
function startWorker(init: FusedWorkerInit): Worker {
  return startBundledWorker('fused-worker.js', join(__dirname, 'fusedWorker.ts'), { workerData: init, transferList: [init.errors] });
}

interface Helper {
  readonly worker: Worker;
  readonly errors: MessagePort;
}

export class FusedEngine implements TrainEngine {
  private readonly shard: FusedShard;
  private readonly helpers: Helper[] = [];
  private readonly batchX: Float32Array | null = null;
  private readonly batchTargets: Float32Array | null = null;
  /** Splits copied into shared memory for the helpers, by identity (the trainer evaluates the same arrays each epoch). */
  private readonly sharedSplits = new WeakMap<Float32Array, { data: SharedArrayBuffer; labels: SharedArrayBuffer }>();
  readonly backend: string;
  readonly threads: number;
  /** Makes rows of planned batches (trainBatch); absent when the engine only takes ready batches (trainStep). */
  private readonly make: ((plan: BatchPlan, from: number, to: number) => TrainingBatch) | null = null;

  constructor(
    private readonly model: WeightSpaceModel,
    settings: AdamWSettings,
    batchSize: number,
    threads = 1,
    source?: BatchSource,
  ) {
    this.threads = Math.max(1, Math.min(threads, batchSize));
    const { module, flavour } = trainKernelModule();
    const init = programInit(model, Math.ceil(batchSize / this.threads));
    const team = this.threads > 1 ? createTeamBuffers(this.threads, init.tensors.reduce((n, t) => n + t.data.length, 0) + 8) : undefined;
    this.shard = new FusedShard({ program: init, settings, team, index: 0 }, module);
    this.backend = `fused (${flavour}${this.threads > 1 ? `, ${this.threads} threads` : ''})`;
    // The helpers read the training split from one copy in shared memory (this thread uses it too).
    const shared = source && team ? { ...source, split: sharedSplit(source.split) } : source;
    if (shared) this.make = batchMaker(shared);
    if (!team) return;
    const P = init.gather.reduce((n, g) => n + g.length, 0);
    const batch = new SharedArrayBuffer(4 * batchSize * (P + model.classes));
    this.batchX = new Float32Array(batch, 0, batchSize * P);
    this.batchTargets = new Float32Array(batch, 4 * batchSize * P, batchSize * model.classes);
    for (let index = 1; index < this.threads; index++) {
      const channel = new MessageChannel();
      const worker = startWorker({
        shard: { program: init, settings, team, index },
        module,
        errors: channel.port2,
        batch,
        batchRows: batchSize,
        source: shared,
      });
      worker.unref();
      this.helpers.push({ worker, errors: channel.port1 });
    }
  }

  get step(): number {
    return this.shard.step;
  }

  /** The program of this thread (its parameters are every thread's parameters). */
  get program() {
    return this.shard.program;
  }

  learningRate(t?: number): number {
    return this.shard.learningRate(t);
  }

  /** Runs `own` (this thread's part of a command) after sending `message` to the helpers; a helper's failure is thrown here. */
  private together<T>(message: ToFusedWorker, own: () => T): T {
    for (const h of this.helpers) h.worker.postMessage(message);
    try {
      return own();
    } catch (error) {
      this.shard.abort();
      if (error instanceof TeamAborted) {
        // The failed helper posted its report before raising the flag; give it a moment to arrive.
        let report: string | undefined;
        for (const deadline = Date.now() + 1000; report === undefined && Date.now() < deadline;) {
          report = this.helpers.map((h) => receiveMessageOnPort(h.errors)?.message as string | undefined).find(Boolean);
        }
        throw new Error(`fused training: a worker thread failed: ${report ?? error.message}`);
      }
      throw error;
    }
  }

  /** One optimizer step on a planned batch: every thread makes (augments, normalises) its own rows. */
  trainBatch(plan: BatchPlan): StepResult {
    if (!this.make) throw new Error('this FusedEngine was made without a batch source');
    const make = this.make;
    const count = plan.indices.length;
    const own = () => {
      const [start, end] = this.shard.rowsOf(count);
      const rows = make(plan, start, end);
      return this.shard.trainRows(rows.data, rows.targets, count);
    };
    const r = this.helpers.length === 0 ? own() : this.together({ type: 'batch', indices: plan.indices, epoch: plan.epoch, start: plan.start }, own);
    return { loss: r.lossSum / count, correct: r.correct };
  }

  /** One optimizer step on `count` networks x [count, P] (normalised) with soft targets [count, classes]. */
  trainStep(x: Float32Array, targets: Float32Array, count: number): StepResult {
    if (!this.batchX || !this.batchTargets) {
      const r = this.shard.trainStep(x, targets, count);
      return { loss: r.lossSum / count, correct: r.correct };
    }
    this.batchX.set(x);
    this.batchTargets.set(targets);
    const P = x.length / count;
    const r = this.together({ type: 'step', count }, () =>
      this.shard.trainStep(this.batchX!.subarray(0, count * P), this.batchTargets!.subarray(0, count * this.model.classes), count),
    );
    return { loss: r.lossSum / count, correct: r.correct };
  }

  /** Loss and accuracy on a split (running statistics), its rows shared among the threads. */
  evaluate(data: Float32Array, labels: Int32Array): SplitScore {
    const count = labels.length;
    if (count === 0) return { loss: Number.NaN, accuracy: Number.NaN, count };
    let r;
    if (this.helpers.length === 0) r = this.shard.evaluate(data, labels);
    else {
      let shared = this.sharedSplits.get(data);
      if (!shared) {
        shared = { data: new SharedArrayBuffer(data.byteLength), labels: new SharedArrayBuffer(labels.byteLength) };
        new Float32Array(shared.data).set(data);
        new Int32Array(shared.labels).set(labels);
        this.sharedSplits.set(data, shared);
      }
      const s = shared;
      r = this.together({ type: 'eval', data: s.data, labels: s.labels }, () => this.shard.evaluate(new Float32Array(s.data), new Int32Array(s.labels)));
    }
    return { loss: r.lossSum / count, accuracy: r.correct / count, count };
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
          { name: optimizerStateName('m', name), shape, data: m.slice(o, o + size) },
          { name: optimizerStateName('v', name), shape, data: v.slice(o, o + size) },
        ];
      }),
    );
  }

  /** Restores the moments and step from a checkpoint, and the parameters from the model (loaded before). */
  restore(set: WeightSet, names: readonly string[], step: number, source: string): void {
    const p = this.program;
    const state = this.model.params.toWeightSet();
    p.loadParameters(state);
    for (const [kind, slot] of [
      ['m', p.m],
      ['v', p.v],
    ] as const) {
      const values = p.f32(slot);
      for (const name of names) {
        const key = optimizerStateName(kind, name);
        if (!set.has(key)) throw new Error(`${source}: no optimizer state ${key}`);
        values.set(set.get(key).data, p.offsets.get(name)!);
      }
    }
    this.shard.step = step;
    const tensors = state.tensors.map((t) => ({ name: t.name, shape: t.shape, data: t.data as Float32Array }));
    for (const h of this.helpers) h.worker.postMessage({ type: 'load', tensors, m: p.f32(p.m).slice(), v: p.f32(p.v).slice(), step } satisfies ToFusedWorker);
  }

  dispose(): void {
    for (const h of this.helpers) {
      h.errors.close();
      void h.worker.terminate();
    }
    this.helpers.length = 0;
  }
}
