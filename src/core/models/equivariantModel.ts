/**
 * dwsnet and nfn-np: equivariant layers (equivariantLayer.ts), each followed by an optional self-attention
 * set block (setAttention.ts, `setLayer: "sab"`), a normalisation per weight/bias tensor (featureNorm.ts)
 * and ReLU; then each tensor pooled over its neuron axes (invariantPool.ts), concatenated, and an MLP head
 * (pooled → headHidden → classes). Law: every layer commutes with permutations of the hidden neurons and
 * the pooling forgets them, so the logits are invariant to hidden-neuron permutations of the input network.
 * dwsnet keeps the input and output neurons' identity (folded into channels); nfn-np treats them as
 * permutable too.
 */
import { EquivariantLayer } from './equivariantLayer';
import { mlp } from './dense';
import { featureNorm, type FeatureNorm } from './featureNorm';
import { relu } from './gradOps';
import { invariantPool, pooledChannels } from './invariantPool';
import type { ModelConfig } from './modelConfig';
import { networkLayout, withChannels, type NetworkLayout } from './neuronLayout';
import { toFeatures } from './neuronTensors';
import type { ParamStore } from './paramStore';
import { SetAttention } from './setAttention';
import { tf } from './tf';
import type { Forward } from './forward';

interface Stage {
  readonly layer: EquivariantLayer;
  /** Per output tensor: its attention block (`sab`, tensors with one neuron axis) and its normalisation. */
  readonly attention: readonly (SetAttention | undefined)[];
  readonly norms: readonly FeatureNorm[];
}

export function createEquivariantModel(params: ParamStore, config: ModelConfig, widths: readonly number[], classes: number): Forward {
  const L = widths.length - 1;
  const fixed = new Set(config.kind === 'dwsnet' ? [0, L] : []);
  const inputLayout = networkLayout(widths, fixed, 1);
  let layout: NetworkLayout = inputLayout;
  const stages: Stage[] = [];
  for (let i = 0; i < config.layers; i++) {
    const next = withChannels(layout, config.hidden);
    const layer = new EquivariantLayer(params, `eq${i}`, layout, next);
    stages.push({
      layer,
      attention: next.tensors.map((t) =>
        config.setLayer === 'sab' && t.axes.length === 1 ? new SetAttention(params, `eq${i}.${t.name}.sab`, t.channels) : undefined,
      ),
      norms: next.tensors.map((t) => featureNorm(config.norm, params, `eq${i}.${t.name}.norm`, t.channels)),
    });
    layout = next;
  }
  const pooled = layout.tensors.reduce((n, t) => n + pooledChannels(config.pool, t.channels, t.axes.length), 0);
  const head = mlp(params, 'head', [pooled, config.headHidden, classes]);
  return (flat, training) => {
    let features = toFeatures(inputLayout, flat);
    for (const stage of stages) {
      features = stage.layer.forward(features).map((f, t) => {
        const attended = stage.attention[t]?.apply(f) ?? f;
        return relu(stage.norms[t]!.apply(attended, training));
      });
    }
    return head(
      tf.concat(
        features.map((f) => invariantPool(config.pool, f)),
        1,
      ),
      training,
    ) as tf.Tensor2D;
  };
}
