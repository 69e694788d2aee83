import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readWeightSet } from '../../src/core/formats/registry';
import { DEFAULT_SIREN, initSiren, pixelGrid, sirenParameterCount, validateSirenSpec } from '../../src/core/inr/spec';
import { Rng } from '../../src/core/random/rng';
import { fixturePath } from '../helpers/fixtures';

test('pixelGrid matches numpy meshgrid("xy") of linspace(-1, 1, n), row-major', async () => {
  for (const [file, h, w] of [
    ['grid28', 28, 28],
    ['grid5x7', 5, 7],
  ] as const) {
    const reference = (await readWeightSet(fixturePath('inr', `${file}.npy`))).tensors[0]!;
    assert.deepEqual(reference.shape, [h * w, 2]);
    assert.deepEqual(pixelGrid(h, w), reference.data, file);
  }
});

test('SIREN init: first layer U(±1/in), later layers U(±√(6/in)/w0), zero biases; same seed, same weights', () => {
  const spec = { ...DEFAULT_SIREN, hidden: [32, 16, 8] };
  const layers = initSiren(spec, new Rng(3));
  assert.deepEqual(
    layers.map((l) => [l.outFeatures, l.inFeatures]),
    [
      [32, 2],
      [16, 32],
      [8, 16],
      [1, 8],
    ],
  );
  assert.equal(
    layers.reduce((n, l) => n + l.W.length + l.b.length, 0),
    sirenParameterCount(spec),
  );
  layers.forEach((layer, i) => {
    const bound = i === 0 ? 1 / layer.inFeatures : Math.sqrt(6 / layer.inFeatures) / spec.w0;
    const max = Math.max(...layer.W.map(Math.abs));
    assert.ok(max <= bound, `layer ${i}: |w| ≤ ${bound}`);
    assert.ok(max > 0.8 * bound, `layer ${i}: weights spread over the range (max ${max} of ${bound})`);
    assert.ok(layer.b.every((b) => b === 0));
  });
  assert.deepEqual(initSiren(spec, new Rng(3)), layers);
  assert.notDeepEqual(initSiren(spec, new Rng(4))[0]!.W, layers[0]!.W);
});

test('spec validation names the problem', () => {
  assert.throws(() => validateSirenSpec({ ...DEFAULT_SIREN, hidden: [] }), /at least one hidden layer/);
  assert.throws(() => validateSirenSpec({ ...DEFAULT_SIREN, w0: 0 }), /w0 must be a positive number/);
  assert.throws(() => validateSirenSpec({ ...DEFAULT_SIREN, inputDim: 1.5 }), /input dimension/);
});

test('Rng: uniform in range, permutation is a permutation, normal has unit variance', () => {
  const rng = new Rng(42);
  const u = Array.from({ length: 20000 }, () => rng.next());
  assert.ok(u.every((x) => x >= 0 && x < 1));
  const mean = u.reduce((a, b) => a + b, 0) / u.length;
  assert.ok(Math.abs(mean - 0.5) < 0.01, `mean ${mean}`); // 4σ of the sample mean is 0.008
  const p = rng.permutation(1000);
  assert.deepEqual(
    [...p].sort((a, b) => a - b),
    Array.from({ length: 1000 }, (_, i) => i),
  );
  const n = Array.from({ length: 20000 }, () => rng.normal());
  const variance = n.reduce((a, b) => a + b * b, 0) / n.length;
  assert.ok(Math.abs(variance - 1) < 0.05, `variance ${variance}`); // 4σ of the sample variance is 0.04
});
