// dist/mnist.bin (the packaged extension's MNIST) decodes to exactly the numbers of the `mnist` package,
// so datasets generated from either are bit-identical; a damaged file or a foreign value is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadBundledDataset } from '../../src/core/dataset/bundledSource';
import { decodeMnist, encodeMnist, mnistValue } from '../../src/core/dataset/mnistBinary';

function packageClasses(): number[][] {
  const root = join(dirname(require.resolve('mnist/package.json')), 'src/digits');
  return Array.from({ length: 10 }, (_, c) => (JSON.parse(readFileSync(join(root, `${c}.json`), 'utf8')) as { data: number[] }).data);
}

test('encoded and decoded, MNIST is the package’s pixels and labels exactly', async () => {
  const perClass = packageClasses();
  const bytes = encodeMnist(perClass);
  assert.equal(bytes.length, 10 + 4 * 11 + 10_000 * 784);
  const { pixels, labels } = decodeMnist(bytes, 'mnist.bin');
  const fromPackage = await loadBundledDataset('mnist');
  assert.equal(labels.length, fromPackage.count);
  for (let i = 0; i < fromPackage.count; i += 1) {
    assert.equal(labels[i], fromPackage.label(i));
    const image = await fromPackage.image(i);
    const decoded = pixels.subarray(i * 784, (i + 1) * 784);
    if (!image.pixels.every((v, p) => Object.is(v, decoded[p]))) assert.fail(`image ${i} differs`);
  }
});

test('the 256 intensities are distinct and round-trip', () => {
  const values = Array.from({ length: 256 }, (_, k) => mnistValue(k));
  assert.equal(new Set(values).size, 256);
  assert.deepEqual(
    values.map((v) => Math.round(v * 255)),
    values.map((_, k) => k),
  );
});

test('a value the package never uses, a truncated file and a foreign file are refused by name', () => {
  assert.throws(() => encodeMnist([Array(784).fill(0.5)]), /class 0: 0\.5 is not an intensity the mnist package uses/);
  const bytes = encodeMnist([Array(784 * 2).fill(0)]);
  assert.throws(() => decodeMnist(bytes.subarray(0, bytes.length - 1), 'x.bin'), /x\.bin: \d+ bytes, expected \d+ for 2 images/);
  assert.throws(() => decodeMnist(new TextEncoder().encode('PK\x03\x04 not it'), 'y.bin'), /y\.bin: not an embedded MNIST file/);
});
