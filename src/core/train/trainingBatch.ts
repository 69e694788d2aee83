/**
 * One training batch: the chosen networks, each passed through the experiment's augmentation pipeline
 * (every step applied with its probability p, in order, drawing from one seeded Rng), with soft targets.
 * A MixUp-style step gets a partner drawn uniformly from the training split (never the example itself,
 * never from a held-out split). Label smoothing is applied last, to every target.
 */
import type { Activation } from '../augment/augmentation';
import { networkAt, writeNetwork, type NetworkBatch } from '../augment/batch';
import { applySteps, type AugmentStep } from '../augment/chain';
import { parameterCount } from '../augment/network';
import { findAugmentation } from '../augment/registry';
import { oneHot, smoothTarget } from '../augment/targets';
import type { Rng } from '../random/rng';
import type { SplitData } from './datasetSplits';
import type { AugmentEntry } from './experimentConfig';

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

export interface BatchContext {
  readonly split: SplitData;
  readonly widths: readonly number[];
  readonly classes: number;
  readonly activation: Activation;
  readonly pipeline: readonly PipelineStep[];
  readonly labelSmoothing: number;
}

export function makeTrainingBatch(context: BatchContext, indices: ArrayLike<number>, rng: Rng): TrainingBatch {
  const { split, widths, classes, pipeline, labelSmoothing } = context;
  const P = parameterCount(widths);
  const all: NetworkBatch = { widths, count: split.count, data: split.data };
  const count = indices.length;
  const data = new Float32Array(count * P);
  const targets = new Float32Array(count * classes);
  for (let n = 0; n < count; n++) {
    const index = indices[n]!;
    let target: readonly number[] = oneHot(split.labels[index]!, classes);
    const chosen = pipeline.filter((s) => rng.next() < s.p);
    if (chosen.length === 0) {
      data.set(split.data.subarray(index * P, (index + 1) * P), n * P);
    } else {
      let partner: number | undefined;
      if (chosen.some((s) => s.needsPartner) && split.count > 1) {
        do partner = rng.int(0, split.count - 1);
        while (partner === index);
      }
      const result = applySteps(
        chosen.map((s) => s.step),
        {
          example: { network: networkAt(all, index), target },
          partner: partner === undefined ? undefined : { network: networkAt(all, partner), target: oneHot(split.labels[partner]!, classes) },
          activation: context.activation,
        },
        rng,
      );
      writeNetwork(result.example.network, data, n * P);
      target = result.example.target ?? target;
    }
    if (labelSmoothing > 0) target = smoothTarget(target, labelSmoothing);
    targets.set(target, n * classes);
  }
  return { count, data, targets };
}
