/**
 * The symmetry laws of the weight-space models: NFN-NP and DWSNet-style outputs do not change when the
 * hidden neurons of the input network are permuted (the plain MLP's do), and one equivariant layer
 * commutes with those permutations. Tolerance: the permuted input changes only the order of float32
 * sums in the mean-pooling (≤ 64 terms here), so outputs agree to ~1e-6 relative; 1e-4 absolute on
 * logits of size ~1 leaves room while a real symmetry break (the MLP) differs by > 1e-2.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { batchOf } from '../../src/core/augment/batch';
import { permuteNeurons } from '../../src/core/augment/permutation';
import type { Layer } from '../../src/core/augment/network';
import { Rng } from '../../src/core/random/rng';
import { EquivariantLayer } from '../../src/core/models/equivariantLayer';
import { networkLayout, toFeatures, withChannels } from '../../src/core/models/neuronTensors';
import { ParamStore } from '../../src/core/models/paramStore';
import { initTf, tf } from '../../src/core/models/tf';
import { createModel } from '../../src/core/models/weightSpaceModel';
import type { ModelKind } from '../../src/core/models/modelConfig';

function randomNetwork(widths: readonly number[], rng: Rng): Layer[] {
  return widths.slice(1).map((out, l) => {
    const inFeatures = widths[l]!;
    return {
      inFeatures,
      outFeatures: out,
      W: Float32Array.from({ length: out * inFeatures }, () => rng.normal()),
      b: Float32Array.from({ length: out }, () => rng.normal()),
    };
  });
}

function hiddenPermutations(widths: readonly number[], rng: Rng): Int32Array[] {
  return widths.slice(1, -1).map((n) => rng.permutation(n));
}

function logits(kind: ModelKind, widths: readonly number[], networks: readonly Layer[][]): Float32Array {
  const model = createModel({ kind, hidden: 8, layers: 2, headHidden: 16 }, widths, 5, 7);
  const batch = batchOf(networks);
  const out = tf.tidy(() => model.forward(tf.tensor2d(batch.data, [batch.count, batch.data.length / batch.count]))).dataSync() as Float32Array;
  model.params.dispose();
  return out;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

for (const backend of ['wasm', 'cpu'] as const) {
  for (const widths of [[2, 6, 5, 1], [2, 32, 32, 1], [3, 4, 7, 5, 2]]) {
    for (const kind of ['nfn-np', 'dwsnet'] as const) {
      test(`${kind} is invariant to hidden-neuron permutations, widths [${widths}], ${backend}`, async () => {
        await initTf(backend);
        const rng = new Rng(widths.length * 100 + widths[1]!);
        const networks = Array.from({ length: 4 }, () => randomNetwork(widths, rng));
        const permuted = networks.map((n) => permuteNeurons(n, hiddenPermutations(widths, rng)));
        const a = logits(kind, widths, networks);
        const b = logits(kind, widths, permuted);
        assert.ok(maxAbsDiff(a, b) < 1e-4, `max |Δlogit| = ${maxAbsDiff(a, b)}`);
        // The permutation really changed the input: the weights differ.
        assert.ok(maxAbsDiff(batchOf(networks).data, batchOf(permuted).data) > 0.1);
      });
    }
  }
}

test('the plain MLP is not permutation invariant (so the check above can fail)', async () => {
  await initTf('wasm');
  const widths = [2, 6, 5, 1];
  const rng = new Rng(3);
  const networks = Array.from({ length: 4 }, () => randomNetwork(widths, rng));
  const permuted = networks.map((n) => permuteNeurons(n, hiddenPermutations(widths, rng)));
  assert.ok(maxAbsDiff(logits('mlp', widths, networks), logits('mlp', widths, permuted)) > 1e-2);
});

test('an equivariant layer commutes with hidden permutations (DWSNet and NP layouts)', async () => {
  await initTf('wasm');
  const widths = [2, 5, 4, 3];
  for (const fixed of [new Set([0, 3]), new Set<number>()]) {
    const rng = new Rng(11);
    const input = networkLayout(widths, fixed, 1);
    const store = new ParamStore(new Rng(5));
    const layer = new EquivariantLayer(store, 'eq', input, withChannels(input, 3));
    const networks = Array.from({ length: 3 }, () => randomNetwork(widths, rng));
    const perms = hiddenPermutations(widths, rng);
    // Apply the layer, then permute each output tensor's hidden axes; compare with the layer applied to
    // the permuted networks. Neuron layer k (1 ≤ k ≤ L−1) uses perms[k−1].
    const run = (nets: Layer[][]) => {
      const batch = batchOf(nets);
      return tf.tidy(() => layer.forward(toFeatures(input, tf.tensor2d(batch.data, [batch.count, batch.data.length / batch.count]))).map((t) => t.arraySync()));
    };
    const before = run(networks);
    const after = run(networks.map((n) => permuteNeurons(n, perms)));
    const layout = withChannels(input, 3);
    layout.tensors.forEach((t, i) => {
      const gather = (value: unknown, axis: number): unknown => {
        if (axis === t.axes.length) return value;
        const k = t.axes[axis]!;
        const rows = value as unknown[];
        const p = k >= 1 && k < widths.length - 1 ? perms[k - 1]! : undefined;
        return rows.map((_, j) => gather(rows[p ? p[j]! : j], axis + 1));
      };
      const expected = (before[i] as unknown[]).map((sample) => gather(sample, 0));
      const flatE = (expected as number[]).flat(4) as number[];
      const flatA = (after[i] as number[]).flat(4) as number[];
      assert.ok(maxAbsDiff(flatE, flatA) < 1e-4, `${t.name}: ${maxAbsDiff(flatE, flatA)}`);
    });
    store.dispose();
  }
});
