/**
 * The defaults of an experiment config besides the model's (modelConfig.ts MODEL_DEFAULTS), in a module of
 * their own so that what writes starter configs (the extension) does not load the config validator.
 */
import type { InputNorm } from './inputNorm';

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

/** The paper's trainer (PAPER.md) scaled to a 2-core machine: AdamW 1e-3, wd 5e-4, warm-up, batch 64. */
export const DEFAULT_OPTIMIZER: OptimizerConfig = { lr: 1e-3, weightDecay: 5e-4, warmupSteps: 100, epochs: 50, batchSize: 64, beta1: 0.9, beta2: 0.999, eps: 1e-8 };

/** The input normalisation measured best (docs/models.md). */
export const DEFAULT_INPUT_NORM: InputNorm = 'tensor';

