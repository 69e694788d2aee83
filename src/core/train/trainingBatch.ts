/**
 * One training batch: the chosen networks, each passed through the experiment's augmentation pipeline
 * (every step applied with its probability p, in order), with soft targets. Each row draws from its own
 * Rng, seeded from the run's seed, the epoch and the row's position in the epoch, so any subset of a
 * batch's rows (a thread's shard) can be made alone and comes out the same. A MixUp-style step gets a
 * partner drawn uniformly from the training split (never the example itself, never from a held-out split).
 * Label smoothing is applied last, to every target.
 */
import type { Activation } from '../augment/augmentation';
import { networkAt, writeNetwork, type NetworkBatch } from '../augment/batch';
import { applySteps, type AugmentStep } from '../augment/chain';
import { parameterCount } from '../weights/network';
import { findAugmentation } from '../augment/registry';
import { oneHot, smoothTarget } from '../augment/targets';
import { deriveSeed, Rng } from '../random/rng';
import type { SplitData } from './datasetSplits';
import type { AugmentEntry } from './experimentConfig';
import { normalise, type Normalisation } from './inputNorm';

export interface PipelineStep {
  readonly step: AugmentStep;
  readonly p: number;
  readonly needsPartner: boolean;
}

export function buildPipeline(entries: readonly AugmentEntry[]): PipelineStep[] {
  return entries.map((e) => {
    const augmentation = findAugmentation(e.name);
    if (!augmentation) throw new Error(`unknown augmentation "${e.name}"`);
    return { step: { augmentation, params: augmentation.resolve(e.params) }, p: e.p, needsPartner: augmentation.requires.includes('partner') };
  });
}

export interface TrainingBatch {
  readonly count: number;
  /** [count, P], raw (not normalised) weights. */
  readonly data: Float32Array;
  /** [count, classes] soft targets. */
  readonly targets: Float32Array;
}

/** The training split and what every row of a batch is made with. */
interface RowsOf {
  readonly split: SplitData;
  readonly widths: readonly number[];
  readonly classes: number;
  readonly activation: Activation;
  readonly labelSmoothing: number;
}

export interface BatchContext extends RowsOf {
  readonly pipeline: readonly PipelineStep[];
}

/** `rngFor(n)`: the Rng of row n of the batch (drawn from only when the pipeline has steps). */
export function makeTrainingBatch(context: BatchContext, indices: ArrayLike<number>, rngFor: (row: number) => Rng): TrainingBatch {
  const { split, widths, classes, pipeline, labelSmoothing } = context;
  const P = parameterCount(widths);
  const all: NetworkBatch = { widths, count: split.count, data: split.data };
  const count = indices.length;
  const data = new Float32Array(count * P);
  const targets = new Float32Array(count * classes);
  for (let n = 0; n < count; n++) {
    const index = indices[n]!;
    let target: readonly number[] = oneHot(split.labels[index]!, classes);
    const rng = pipeline.length > 0 ? rngFor(n) : undefined;
    const chosen = rng ? pipeline.filter((s) => rng.next() < s.p) : [];
    if (chosen.length === 0) {
      data.set(split.data.subarray(index * P, (index + 1) * P), n * P);
    } else {
      let partner: number | undefined;
      if (chosen.some((s) => s.needsPartner) && split.count > 1) {
        do partner = rng!.int(0, split.count - 1);
        while (partner === index);
      }
      const result = applySteps(
        chosen.map((s) => s.step),
        {
          example: { network: networkAt(all, index), target },
          partner: partner === undefined ? undefined : { network: networkAt(all, partner), target: oneHot(split.labels[partner]!, classes) },
          activation: context.activation,
        },
        rng!,
      );
      writeNetwork(result.example.network, data, n * P);
      target = result.example.target ?? target;
    }
    if (labelSmoothing > 0) target = smoothTarget(target, labelSmoothing);
    targets.set(target, n * classes);
  }
  return { count, data, targets };
}

/**
 * Everything a thread needs to make training rows itself: plain data (the split may live in shared memory),
 * so a worker thread can make its own shard of every batch.
 */
export interface BatchSource extends RowsOf {
  readonly augment: readonly AugmentEntry[];
  /** The input normalisation applied to every row after augmentation. */
  readonly norm: Normalisation;
  readonly seed: number;
}

/** One optimizer step's batch: positions in the training split, and where it starts in its epoch's order. */
export interface BatchPlan {
  readonly indices: Int32Array;
  readonly epoch: number;
  /** The position of the batch's first row in the epoch's order. */
  readonly start: number;
}

/** Makes rows [from, to) of a planned batch, augmented and normalised: `make(plan, from, to)`. */
export function batchMaker(source: BatchSource): (plan: BatchPlan, from: number, to: number) => TrainingBatch {
  const context: BatchContext = { ...source, pipeline: buildPipeline(source.augment) };
  return (plan, from, to) => {
    const rows = makeTrainingBatch(context, plan.indices.subarray(from, to), (n) => new Rng(deriveSeed(source.seed, 3, plan.epoch, plan.start + from + n)));
    return { ...rows, data: normalise(rows.data, source.norm) };
  };
}
