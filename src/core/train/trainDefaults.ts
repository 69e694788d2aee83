/**
 * The defaults of an experiment config besides the model's (modelConfig.ts MODEL_DEFAULTS), in a module of
 * their own so that what writes starter configs (the extension) does not load the config validator.
 */
import type { InputNorm, InputSigns } from './inputNorm';

export interface OptimizerConfig {
  readonly lr: number;
  readonly weightDecay: number;
  readonly warmupSteps: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
}

/**
 * The paper's trainer (AdamW, weight decay 5e-4, warm-up) at the settings measured best on 1,200 FMNIST INRs
 * on a 2-core machine (docs/models.md): lr 3e-3 (1e-3 was 7 points worse), batch 32, 20 epochs.
 */
export const DEFAULT_OPTIMIZER: OptimizerConfig = {
  lr: 3e-3,
  weightDecay: 5e-4,
  warmupSteps: 100,
  epochs: 20,
  batchSize: 32,
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-8,
};

/** The input normalisation measured best (docs/models.md). */
export const DEFAULT_INPUT_NORM: InputNorm = 'tensor';

/**
 * Canonical input signs (every hidden SIREN neuron turned to a non-negative bias) measured better than the
 * signs as fitted (docs/models.md).
 */
export const DEFAULT_INPUT_SIGNS: InputSigns = 'canonical';
