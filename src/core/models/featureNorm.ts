/**
 * Normalisation of feature tensors [B, …neuron axes, channels] over their channels (the last axis):
 *   batch  BatchNorm (PyTorch's BatchNorm1d: eps 1e-5, momentum 0.1). Training: each channel is
 *          standardised with the mean and biased variance over the batch and every neuron axis, and the
 *          running statistics move towards them (the variance made unbiased, n/(n−1)); eval: the running
 *          statistics. Law: one statistic per channel, pooled over all neurons, so permuting neurons permutes
 *          the output the same way (equivariant). The running statistics are buffers, saved in checkpoints.
 *   layer  LayerNorm over the channels of each entry, then a per-channel scale and shift: acts on every
 *          entry alike, so equivariant; no running statistics.
 *   none   the identity.
 * Both learn a scale γ (initially 1) and a shift β (initially 0) per channel.
 */
import type { FeatureNormKind } from './modelConfig';
import type { ParamStore } from './paramStore';
import { tf } from './tf';

export interface FeatureNorm {
  /** x normalised; in training mode a BatchNorm also updates its running statistics. */
  apply(x: tf.Tensor, training: boolean): tf.Tensor;
}

const EPS = 1e-5;
const MOMENTUM = 0.1;

const identity: FeatureNorm = { apply: (x) => x };

class BatchNorm implements FeatureNorm {
  private readonly gamma: tf.Variable;
  private readonly beta: tf.Variable;
  private readonly runningMean: tf.Variable;
  private readonly runningVar: tf.Variable;

  constructor(store: ParamStore, name: string, channels: number) {
    this.gamma = store.constant(`${name}.weight`, [channels], 1);
    this.beta = store.constant(`${name}.bias`, [channels], 0);
    this.runningMean = store.buffer(`${name}.runningMean`, [channels], 0);
    this.runningVar = store.buffer(`${name}.runningVar`, [channels], 1);
  }

  apply(x: tf.Tensor, training: boolean): tf.Tensor {
    if (!training) return tf.add(tf.mul(tf.div(tf.sub(x, this.runningMean), tf.sqrt(tf.add(this.runningVar, EPS))), this.gamma), this.beta);
    const axes = x.shape.slice(0, -1).map((_, i) => i);
    const n = x.size / x.shape[x.rank - 1]!;
    const mean = tf.mean(x, axes);
    const centred = tf.sub(x, mean);
    const variance = tf.mean(tf.square(centred), axes);
    tf.tidy(() => {
      const unbiased = n > 1 ? tf.mul(variance, n / (n - 1)) : variance;
      this.runningMean.assign(tf.add(tf.mul(this.runningMean, 1 - MOMENTUM), tf.mul(mean, MOMENTUM)));
      this.runningVar.assign(tf.add(tf.mul(this.runningVar, 1 - MOMENTUM), tf.mul(unbiased, MOMENTUM)));
    });
    return tf.add(tf.mul(tf.div(centred, tf.sqrt(tf.add(variance, EPS))), this.gamma), this.beta);
  }
}

class LayerNorm implements FeatureNorm {
  private readonly gamma: tf.Variable;
  private readonly beta: tf.Variable;

  constructor(store: ParamStore, name: string, channels: number) {
    this.gamma = store.constant(`${name}.weight`, [channels], 1);
    this.beta = store.constant(`${name}.bias`, [channels], 0);
  }

  apply(x: tf.Tensor): tf.Tensor {
    const axis = x.rank - 1;
    const centred = tf.sub(x, tf.mean(x, axis, true));
    const variance = tf.mean(tf.square(centred), axis, true);
    return tf.add(tf.mul(tf.div(centred, tf.sqrt(tf.add(variance, EPS))), this.gamma), this.beta);
  }
}

/** A normalisation of `channels` channels, its parameters (and buffers) named `${name}.…` in `store`. */
export function featureNorm(kind: FeatureNormKind, store: ParamStore, name: string, channels: number): FeatureNorm {
  switch (kind) {
    case 'batch':
      return new BatchNorm(store, name, channels);
    case 'layer':
      return new LayerNorm(store, name, channels);
    case 'none':
      return identity;
  }
}
