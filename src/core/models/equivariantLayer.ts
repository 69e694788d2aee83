/**
 * A linear layer between weight-space feature tensors that commutes with permutations of the
 * permutable neuron layers (law: permuting hidden neurons of the input network permutes the output
 * features the same way). For each output tensor T and each subset K of T's axes, every input tensor U
 * whose axes include K is mean-pooled over its other axes, the pooled inputs are concatenated along
 * channels and mapped by one matrix, then broadcast over T's axes outside K:
 *   out_T = bias_T + Σ_{K ⊆ axes(T)} broadcast_T( concat_{U : K ⊆ axes(U)} mean_{axes(U) \ K}(U) · M_{T,K} )
 * K = axes(T) with U = T is the weight→weight (or bias→bias) identity block; K = {row neurons} carries
 * bias→weight and weight→bias terms between tensors that share a neuron layer; K = ∅ gives every tensor
 * the global means of all others. Pooling is invariant and broadcasting equivariant, so every term is
 * equivariant — the DWSNets / NFN block structure, without the per-index terms of fixed layers (those are
 * folded into channels instead).
 */
import { broadcastSum, linear, meanPool } from './gradOps';
import type { ParamStore } from './paramStore';
import type { NetworkLayout, TensorLayout } from './neuronLayout';
import { tf } from './tf';

interface Block {
  /** Kept neuron layers, in T's axis order. */
  readonly keep: readonly number[];
  /** Indices of the input tensors feeding this block. */
  readonly sources: readonly number[];
  readonly weight: tf.Variable;
}

interface Target {
  readonly layout: TensorLayout;
  readonly blocks: readonly Block[];
  readonly bias: tf.Variable;
}

/** Every subset of `axes`, largest first, each in axis order. */
function subsets(axes: readonly number[]): number[][] {
  const result: number[][] = [];
  for (let mask = (1 << axes.length) - 1; mask >= 0; mask--) result.push(axes.filter((_, i) => mask & (1 << i)));
  return result;
}

export class EquivariantLayer {
  private readonly targets: Target[];

  constructor(
    store: ParamStore,
    name: string,
    private readonly input: NetworkLayout,
    private readonly output: NetworkLayout,
  ) {
    this.targets = output.tensors.map((t) => {
      const blocks = subsets(t.axes)
        .map((keep) => ({ keep, sources: input.tensors.flatMap((u, i) => (keep.every((k) => u.axes.includes(k)) ? [i] : [])) }))
        .filter((b) => b.sources.length > 0);
      const fanIn = blocks.reduce((n, b) => n + b.sources.reduce((c, i) => c + input.tensors[i]!.channels, 0), 0);
      const bound = 1 / Math.sqrt(fanIn);
      return {
        layout: t,
        blocks: blocks.map((b) => ({
          ...b,
          weight: store.uniform(
            `${name}.${t.name}.keep${b.keep.join('_') || 'none'}`,
            [b.sources.reduce((c, i) => c + input.tensors[i]!.channels, 0), t.channels],
            bound,
          ),
        })),
        bias: store.uniform(`${name}.${t.name}.bias`, [t.channels], bound),
      };
    });
  }

  forward(features: readonly tf.Tensor[]): tf.Tensor[] {
    const pooled = new Map<string, tf.Tensor>();
    const pool = (i: number, keep: readonly number[]): tf.Tensor => {
      const key = `${i}:${keep.join()}`;
      let p = pooled.get(key);
      if (!p) {
        const axes = this.input.tensors[i]!.axes;
        const over = axes.flatMap((k, a) => (keep.includes(k) ? [] : [a + 1]));
        p = meanPool(features[i]!, over);
        pooled.set(key, p);
      }
      return p;
    };
    const { widths } = this.output;
    return this.targets.map((target) => {
      const batch = features[0]!.shape[0];
      // Each block's term, shaped to broadcast over T's axes outside its kept set (largest block first).
      const terms = target.blocks.map((block) => {
        const parts = block.sources.map((i) => pool(i, block.keep));
        return linear(parts, block.weight as tf.Tensor2D, [
          batch,
          ...target.layout.axes.map((k) => (block.keep.includes(k) ? widths[k]! : 1)),
          target.layout.channels,
        ]);
      });
      // Sum the small terms first so only a few additions are full-size: bias + the global term go into
      // the smallest partial term, and the partial terms into the full one.
      const [full, ...partial] = terms;
      return broadcastSum(full!, partial, target.bias);
    });
  }
}
