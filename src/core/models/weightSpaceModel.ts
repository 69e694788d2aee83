/**
 * A weight-space classifier: logits over the classes from a batch of flattened MLPs ([B, P], the
 * state-dict order W_0, b_0, W_1, b_1, … with each W (out, in); already normalised, inputNorm.ts). One
 * builder per kind (modelConfig.ts): the plain MLP (mlpModel.ts), the equivariant dwsnet and nfn-np
 * (equivariantModel.ts), the neural-graph GNN (neuralGraph.ts) and StatNN (statNet.ts).
 */
import { createEquivariantModel } from './equivariantModel';
import { createMlpModel } from './mlpModel';
import type { ModelConfig } from './modelConfig';
import { createNeuralGraph } from './neuralGraph';
import { ParamStore } from './paramStore';
import { createStatNet } from './statNet';
import { Rng } from '../random/rng';
import type { tf } from './tf';

export interface WeightSpaceModel {
  readonly config: ModelConfig;
  /** [in, hidden…, out] of the networks it reads. */
  readonly widths: readonly number[];
  readonly classes: number;
  /** Trainable parameters and buffers (running statistics). */
  readonly params: ParamStore;
  /**
   * Logits [B, classes]. `training`: batch statistics (and their running averages updated) instead of the
   * running statistics. Call inside tf.tidy (it allocates intermediates).
   */
  forward(flat: tf.Tensor2D, training: boolean): tf.Tensor2D;
}

/** Builds a model with parameters drawn from `seed`. */
export function createModel(config: ModelConfig, widths: readonly number[], classes: number, seed: number): WeightSpaceModel {
  const params = new ParamStore(new Rng(seed));
  const build = { mlp: createMlpModel, 'nfn-np': createEquivariantModel, dwsnet: createEquivariantModel, gnn: createNeuralGraph, statnn: createStatNet }[
    config.kind
  ];
  const forward = build(params, config, widths, classes);
  return { config, widths, classes, params, forward };
}
