/**
 * The starter experiment config that "New Experiment Config…" writes: every key a first experiment
 * needs, with the defaults of `wslab train`, and a "$comment" that explains each one (JSON has no
 * comments; the schema allows "$comment" and `wslab train` ignores it). It validates against
 * schemas/experiment.schema.json as written.
 */
import type { ModelKind } from '../models/modelConfig';

export interface StarterOptions {
  /** The dataset folder, relative to the config file (forward slashes). */
  readonly dataset: string;
  readonly model: ModelKind;
  readonly epochs?: number;
  readonly description?: string;
}

export const STARTER_COMMENT: readonly string[] = [
  'A Weight Space Lab experiment: train it with "Weight Space Lab: Train Experiment" or `wslab train --config THIS_FILE`.',
  'dataset: an INR dataset folder (made by "Generate INR Dataset…"), relative to this file.',
  'model.kind: mlp (baseline), nfn-np or dwsnet (invariant to hidden-neuron permutations).',
  'optimizer: AdamW; epochs and batchSize set the length of the run.',
  'augment: weight-space augmentations applied to each training INR with probability p, e.g. translate, rotate, siren-negation, permute, mixup-aligned (the list: `wslab augment --list`).',
  'trainLimit: train on the first N training INRs only (small-data experiments); null uses all.',
  'seed: seeds initialisation, data order and augmentation draws. Hover any key for its documentation.',
];

export function starterConfig(o: StarterOptions): string {
  const config = {
    $comment: STARTER_COMMENT,
    ...(o.description ? { description: o.description } : {}),
    dataset: o.dataset,
    trainLimit: null,
    model: { kind: o.model, hidden: 16, layers: 2, headHidden: 64 },
    optimizer: { lr: 0.001, weightDecay: 0.0005, warmupSteps: 100, epochs: o.epochs ?? 10, batchSize: 64 },
    augment: [
      { name: 'translate', p: 0.5 },
      { name: 'siren-negation', p: 0.5 },
    ],
    labelSmoothing: 0,
    seed: 0,
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}
