/**
 * The symmetry laws of the weight-space models: the outputs of every invariant kind (dwsnet, nfn-np, gnn,
 * statnn, with each normalisation, pooling and set layer) do not change when the hidden neurons of the input
 * network are permuted — in training mode (batch statistics) and in eval mode (running statistics) — while
 * the plain MLP's do; one equivariant layer commutes with those permutations. Tolerance: the permuted input
 * changes only the order of float32 sums (pooling, batch statistics), so outputs agree to ~1e-6 relative;
 * 1e-4 absolute on logits of size ~1 leaves room while a real symmetry break (the MLP) differs by > 1e-2.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { batchOf } from '../../src/core/augment/batch';
import { permuteNeurons } from '../../src/core/augment/permutation';
import type { Layer } from '../../src/core/weights/network';
import { Rng } from '../../src/core/random/rng';
import { EquivariantLayer } from '../../src/core/models/equivariantLayer';
import { networkLayout, withChannels } from '../../src/core/models/neuronLayout';
import { toFeatures } from '../../src/core/models/neuronTensors';
import { ParamStore } from '../../src/core/models/paramStore';
import { initTf, tf } from '../../src/core/models/tf';
import { createModel } from '../../src/core/models/weightSpaceModel';
import { MODEL_DEFAULTS, type ModelConfig } from '../../src/core/models/modelConfig';

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

/** Training-mode logits of both batches (the first pass also moves the running statistics), then eval-mode logits. */
function logits(config: ModelConfig, widths: readonly number[], batches: readonly Layer[][][]): { training: Float32Array[]; evaluation: Float32Array[] } {
  const model = createModel(config, widths, 5, 7);
  const inputs = batches.map((networks) => batchOf(networks));
  const run = (training: boolean) =>
    inputs.map((b) => tf.tidy(() => model.forward(tf.tensor2d(b.data, [b.count, b.data.length / b.count]), training)).dataSync() as Float32Array);
  const training = run(true);
  const evaluation = run(false);
  model.params.dispose();
  return { training, evaluation };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

const SMALL = { hidden: 8, layers: 2, headHidden: 16 };
const CONFIGS: ModelConfig[] = [
  ...(['dwsnet', 'nfn-np', 'gnn', 'statnn'] as const).map((kind) => ({ ...MODEL_DEFAULTS[kind], ...SMALL })),
  { ...MODEL_DEFAULTS.dwsnet, ...SMALL, norm: 'none', pool: 'mean' },
  { ...MODEL_DEFAULTS.dwsnet, ...SMALL, norm: 'layer', pool: 'mean+max', setLayer: 'sab' },
  { ...MODEL_DEFAULTS['nfn-np'], ...SMALL, pool: 'mean+max', setLayer: 'sab' },
  { ...MODEL_DEFAULTS.gnn, ...SMALL, norm: 'batch', pool: 'max' },
];

for (const backend of ['wasm', 'cpu'] as const) {
  for (const widths of [
    [2, 6, 5, 1],
    [2, 32, 32, 1],
    [3, 4, 7, 5, 2],
  ]) {
    for (const config of CONFIGS) {
      test(`${config.kind} (norm ${config.norm}, pool ${config.pool}, ${config.setLayer}) is invariant to hidden-neuron permutations, widths [${widths}], ${backend}`, async () => {
        await initTf(backend);
        const rng = new Rng(widths.length * 100 + widths[1]!);
        const networks = Array.from({ length: 4 }, () => randomNetwork(widths, rng));
        const permuted = networks.map((n) => permuteNeurons(n, hiddenPermutations(widths, rng)));
        const { training, evaluation } = logits(config, widths, [networks, permuted]);
        assert.ok(maxAbsDiff(training[0]!, training[1]!) < 1e-4, `training mode: max |Δlogit| = ${maxAbsDiff(training[0]!, training[1]!)}`);
        assert.ok(maxAbsDiff(evaluation[0]!, evaluation[1]!) < 1e-4, `eval mode: max |Δlogit| = ${maxAbsDiff(evaluation[0]!, evaluation[1]!)}`);
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
  const { training, evaluation } = logits({ ...MODEL_DEFAULTS.mlp, ...SMALL }, widths, [networks, permuted]);
  assert.ok(maxAbsDiff(training[0]!, training[1]!) > 1e-2);
  assert.ok(maxAbsDiff(evaluation[0]!, evaluation[1]!) > 1e-2);
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
