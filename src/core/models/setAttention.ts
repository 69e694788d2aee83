/**
 * A self-attention set block (SAB, Lee et al. 2019, as DWSNets' `set_layer="sab"`) over the neurons of a
 * feature tensor with one neuron axis, X [B, n, c] → [B, n, c]:
 *   Q = X·W_q + b_q,  K = X·W_k + b_k,  V = X·W_v + b_v, split into `heads` heads of c / heads channels
 *   O = Q + softmax(Q_h K_hᵀ / √c) V_h    (per head, heads joined again)
 *   out = O + ReLU(O·W_o + b_o)
 * (DWSNets' MAB without layer norm; it scales by √c, not by √(c / heads)). Law: attention weights depend only
 * on the pairs of neurons, so permuting the n neurons permutes the output rows the same way (equivariant).
 */
import { dense, type Dense } from './dense';
import type { ParamStore } from './paramStore';
import { tf } from './tf';

/** Heads of a block with `channels` channels: 4 where they divide evenly, else 1. */
export function attentionHeads(channels: number): number {
  return channels % 4 === 0 ? 4 : 1;
}

export class SetAttention {
  private readonly q: Dense;
  private readonly k: Dense;
  private readonly v: Dense;
  private readonly o: Dense;
  private readonly heads: number;

  constructor(
    store: ParamStore,
    name: string,
    private readonly channels: number,
  ) {
    this.q = store.linear(`${name}.q`, channels, channels);
    this.k = store.linear(`${name}.k`, channels, channels);
    this.v = store.linear(`${name}.v`, channels, channels);
    this.o = store.linear(`${name}.o`, channels, channels);
    this.heads = attentionHeads(channels);
  }

  apply(x: tf.Tensor): tf.Tensor {
    const [batch, n] = x.shape as [number, number, number];
    const h = this.heads;
    const d = this.channels / h;
    // [B, n, c] → [B·h, n, d]
    const split = (t: tf.Tensor) => tf.reshape(tf.transpose(tf.reshape(t, [batch, n, h, d]), [0, 2, 1, 3]), [batch * h, n, d]) as tf.Tensor3D;
    const q = dense(x, this.q);
    const [qh, kh, vh] = [q, dense(x, this.k), dense(x, this.v)].map(split) as [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D];
    const weights = tf.softmax(tf.div(tf.matMul(qh, kh, false, true), Math.sqrt(this.channels)));
    const attended = tf.reshape(tf.transpose(tf.reshape(tf.matMul(weights, vh), [batch, h, n, d]), [0, 2, 1, 3]), [batch, n, this.channels]);
    const o = tf.add(q, attended);
    return tf.add(o, tf.relu(dense(o, this.o)));
  }
}
