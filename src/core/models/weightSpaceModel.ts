/**
 * A weight-space classifier: logits over the classes from a batch of flattened MLPs ([B, P], the
 * state-dict order W_0, b_0, W_1, b_1, … with each W (out, in); already normalised). The invariant
 * models stack equivariant layers with ReLU, mean-pool each tensor over its neuron axes, and finish with
 * an MLP head; the baseline MLP reads the flat vector directly.
 */
import { Rng } from '../random/rng';
import { EquivariantLayer } from './equivariantLayer';
import { meanPool, relu } from './gradOps';
import type { ModelConfig } from './modelConfig';
import { parameterCount } from '../augment/network';
import { networkLayout, toFeatures, withChannels, type NetworkLayout } from './neuronTensors';
import { ParamStore } from './paramStore';
import { tf } from './tf';

export interface WeightSpaceModel {
  readonly config: ModelConfig;
  /** [in, hidden…, out] of the networks it reads. */
  readonly widths: readonly number[];
  readonly classes: number;
  readonly params: ParamStore;
  /** Logits [B, classes]. Call inside tf.tidy (it allocates intermediates). */
  forward(flat: tf.Tensor2D): tf.Tensor2D;
}

type Dense = { weight: tf.Variable; bias: tf.Variable };

function dense(x: tf.Tensor2D, layer: Dense): tf.Tensor2D {
  return tf.add(tf.matMul(x, layer.weight), layer.bias);
}

function mlpHead(params: ParamStore, name: string, sizes: readonly number[]): (x: tf.Tensor2D) => tf.Tensor2D {
  const layers = sizes.slice(1).map((out, i) => params.linear(`${name}.${i}`, sizes[i]!, out));
  return (x) => layers.reduce((h, layer, i) => (i + 1 < layers.length ? tf.relu(dense(h, layer)) : dense(h, layer)), x);
}

/** Builds a model with parameters drawn from `seed`. */
export function createModel(config: ModelConfig, widths: readonly number[], classes: number, seed: number): WeightSpaceModel {
  const params = new ParamStore(new Rng(seed));
  if (config.kind === 'mlp') {
    const head = mlpHead(params, 'mlp', [parameterCount(widths), ...new Array<number>(config.layers).fill(config.hidden), classes]);
    return { config, widths, classes, params, forward: head };
  }
  const L = widths.length - 1;
  const fixed = new Set(config.kind === 'dwsnet' ? [0, L] : []);
  let layout: NetworkLayout = networkLayout(widths, fixed, 1);
  const inputLayout = layout;
  const layers: EquivariantLayer[] = [];
  for (let i = 0; i < config.layers; i++) {
    const next = withChannels(layout, config.hidden);
    layers.push(new EquivariantLayer(params, `eq${i}`, layout, next));
    layout = next;
  }
  const pooledChannels = layout.tensors.reduce((n, t) => n + t.channels, 0);
  const head = mlpHead(params, 'head', [pooledChannels, config.headHidden, classes]);
  const finalLayout = layout;
  return {
    config,
    widths,
    classes,
    params,
    forward(flat) {
      let features = toFeatures(inputLayout, flat);
      for (const layer of layers) features = layer.forward(features).map(relu);
      const pooled = features.map((f, i) => meanPool(f, finalLayout.tensors[i]!.axes.map((_, a) => a + 1)) as tf.Tensor2D);
      return head(tf.concat(pooled, 1));
    },
  };
}
