/**
 * The starter experiment config that "New Experiment Config…" writes: every key a first experiment
 * needs, with the defaults of `wslab train`, and a "$comment" that explains each one (JSON has no
 * comments; the schema allows "$comment" and `wslab train` ignores it). It validates against
 * schemas/experiment.schema.json as written.
 */
import { MODEL_DEFAULTS, type ModelKind } from '../models/modelConfig';
import { DEFAULT_OPTIMIZER } from '../train/trainDefaults';

export interface StarterOptions {
  /** The dataset folder, relative to the config file (forward slashes). */
  readonly dataset: string;
  readonly model: ModelKind;
  readonly epochs?: number;
  readonly description?: string;
}

/** Lines short enough (≤ COMMENT_WIDTH) to read without scrolling in an editor beside the sidebar. */
export const COMMENT_WIDTH = 88;

export const STARTER_COMMENT: readonly string[] = [
  'A Weight Space Lab experiment. Train it with "Weight Space Lab: Train Experiment"',
  'or `wslab train --config THIS_FILE`. Hover any key for its documentation.',
  'dataset: an INR dataset folder (from "Generate INR Dataset…"), relative to this file.',
  'model.kind: dwsnet, nfn-np or gnn (invariant to hidden-neuron permutations),',
  '  statnn (per-tensor statistics: the sanity baseline) or mlp (flattened weights).',
  '  The other model keys are the measured defaults of the kind',
  '  (norm: normalisation between layers; pool: the invariant readout).',
  'optimizer: AdamW; epochs and batchSize set the length of the run.',
  'augment: weight-space augmentations applied to each training INR with probability p,',
  '  e.g. translate, rotate, siren-negation, permute (all of them: wslab augment --list).',
  'trainLimit: train on a seeded, class-stratified sample of N training INRs; null: all.',
  'seed: seeds the initialisation, the data order and the augmentation draws.',
];

export function starterConfig(o: StarterOptions): string {
  const config = {
    $comment: STARTER_COMMENT,
    ...(o.description ? { description: o.description } : {}),
    dataset: o.dataset,
    trainLimit: null,
    model: MODEL_DEFAULTS[o.model],
    optimizer: {
      lr: DEFAULT_OPTIMIZER.lr,
      weightDecay: DEFAULT_OPTIMIZER.weightDecay,
      warmupSteps: DEFAULT_OPTIMIZER.warmupSteps,
      epochs: o.epochs ?? 10,
      batchSize: DEFAULT_OPTIMIZER.batchSize,
    },
    augment: [
      { name: 'translate', p: 0.5 },
      { name: 'siren-negation', p: 0.5 },
    ],
    labelSmoothing: 0,
    seed: 0,
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}
