/**
 * The baseline: an MLP on the flattened weights ([B, P] → hidden × layers → classes), with the configured
 * normalisation before each hidden ReLU. Not permutation-aware: a permuted copy of a network is another input.
 */
import { parameterCount } from '../weights/network';
import { mlp } from './dense';
import { featureNorm } from './featureNorm';
import type { ModelConfig } from './modelConfig';
import type { ParamStore } from './paramStore';
import type { Forward } from './forward';
import type { tf } from './tf';

export function createMlpModel(params: ParamStore, config: ModelConfig, widths: readonly number[], classes: number): Forward {
  const norms = Array.from({ length: config.layers }, (_, i) => featureNorm(config.norm, params, `mlp.norm${i}`, config.hidden));
  const net = mlp(params, 'mlp', [parameterCount(widths), ...new Array<number>(config.layers).fill(config.hidden), classes], (x, i, training) =>
    norms[i]!.apply(x, training),
  );
  return (flat, training) => net(flat, training) as tf.Tensor2D;
}
