import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mlpFamilies, mlpToWeightSet, mlpView, NotAnMlpError } from '../../src/core/weights/mlp';
import { WeightSet } from '../../src/core/weights/weightSet';
import { mulberry32, randomInt } from '../helpers/random';

/** A random MLP named with `pattern` ('{i}' is the layer index), layers given in a shuffled order. */
function randomMlp(seed: number, pattern: string, indexOf = (i: number) => i) {
  const rng = mulberry32(seed);
  const widths = Array.from({ length: randomInt(rng, 2, 12) }, () => randomInt(rng, 1, 5));
  const entries = widths.slice(1).flatMap((out, i) => {
    const inp = widths[i]!;
    const name = pattern.replace('{i}', String(indexOf(i)));
    return [
      { name: `${name}.weight`, shape: [out, inp], data: Float32Array.from({ length: out * inp }, rng) },
      { name: `${name}.bias`, shape: [out], data: Float32Array.from({ length: out }, rng) },
    ];
  });
  for (let i = entries.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [entries[i], entries[j]] = [entries[j]!, entries[i]!];
  }
  return { widths, set: WeightSet.fromArrays(entries) };
}

for (const pattern of ['seq.{i}', 'layers.{i}', 'net.{i}.linear', '{i}', 'inr-00042/seq.{i}', 'model.3.blocks.{i}.fc']) {
  test(`MLP view recognises ${pattern}.weight and orders layers numerically`, () => {
    for (let seed = 1; seed <= 10; seed++) {
      // nn.Sequential-style gaps in the indices (0, 2, 4, …) and two-digit indices (10 after 9).
      const { widths, set } = randomMlp(seed, pattern, (i) => i * 2);
      const view = mlpView(set);
      assert.deepEqual(view.widths, widths, `seed ${seed}`);
      assert.equal(view.family, pattern);
      view.layers.forEach((layer, i) => {
        const name = pattern.replace('{i}', String(i * 2));
        assert.equal(layer.weightName, `${name}.weight`);
        assert.equal(layer.W, set.get(`${name}.weight`).data);
        assert.equal(layer.b, set.get(`${name}.bias`).data);
      });
    }
  });
}

test('mlpToWeightSet writes the DWSNets layout, which reads back as the same MLP', () => {
  const { set } = randomMlp(3, 'layers.{i}');
  const view = mlpView(set);
  const back = mlpView(mlpToWeightSet(view.layers));
  assert.equal(back.family, 'seq.{i}');
  assert.deepEqual(back.widths, view.widths);
  back.layers.forEach((l, i) => assert.deepEqual(l.W, view.layers[i]!.W));
});

test('a shard with several networks lists them and needs a choice', () => {
  const a = randomMlp(1, 'a/seq.{i}').set;
  const b = randomMlp(2, 'b/seq.{i}').set;
  const shard = new WeightSet([...a.tensors, ...b.tensors]);
  assert.deepEqual(mlpFamilies(shard), ['a/seq.{i}', 'b/seq.{i}']);
  assert.throws(() => mlpView(shard), /several networks/);
  assert.deepEqual(mlpView(shard, 'b/seq.{i}').widths, mlpView(b).widths);
});

test('says clearly why tensors are not an MLP', () => {
  const cases: [WeightSet, RegExp][] = [
    [WeightSet.fromArrays([{ name: 'embedding', shape: [2, 2], data: [1, 2, 3, 4] }]), /no layer weights found/],
    [
      WeightSet.fromArrays([
        { name: 'seq.0.weight', shape: [3, 2], data: new Float32Array(6) },
        { name: 'seq.1.weight', shape: [1, 4], data: new Float32Array(4) },
      ]),
      /"seq\.1\.weight" takes 4 inputs but the layer before it \("seq\.0\.weight"\) gives 3 outputs/,
    ],
    [WeightSet.fromArrays([{ name: 'seq.0.weight', shape: [3, 2, 1], data: new Float32Array(6) }]), /2-D/],
    [
      WeightSet.fromArrays([
        { name: 'seq.0.weight', shape: [3, 2], data: new Float32Array(6) },
        { name: 'seq.0.bias', shape: [2], data: new Float32Array(2) },
      ]),
      /needs a bias of shape \[3\]/,
    ],
    [
      WeightSet.fromArrays([
        { name: 'seq.0.weight', shape: [3, 2], data: new Float32Array(6) },
        { name: 'seq.1.bias', shape: [2], data: new Float32Array(2) },
      ]),
      /bias of layer 1, which has no weight/,
    ],
  ];
  for (const [set, message] of cases) {
    assert.throws(
      () => mlpView(set),
      (e: unknown) => e instanceof NotAnMlpError && message.test(e.message),
    );
  }
});

test('a layer without a bias gets zeros', () => {
  const set = WeightSet.fromArrays([{ name: '0.weight', shape: [2, 1], data: [1, 2] }]);
  const layer = mlpView(set).layers[0]!;
  assert.equal(layer.biasName, undefined);
  assert.deepEqual(Array.from(layer.b), [0, 0]);
});
