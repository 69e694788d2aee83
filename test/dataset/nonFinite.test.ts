/**
 * NaN/Inf never reach a dataset silently: an image with a NaN or infinite pixel makes its INR's loss and
 * weights non-finite; generation stops naming that INR (id, image, steps) before its shard is written,
 * keeping the shards finished before it. A shard that holds NaN weights anyway (written by something
 * else) is refused by the training loader, naming the INR and the tensor.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDataset } from '../../src/core/dataset/generate';
import { loadBundledDataset } from '../../src/core/dataset/bundledSource';
import { DatasetError, type ImageSource } from '../../src/core/dataset/imageSource';
import { planDataset } from '../../src/core/dataset/plan';
import { shardPath } from '../../src/core/dataset/manifest';
import { readFinishedShard, writeShard } from '../../src/core/dataset/shard';
import { readDatasetSettings, readManifest } from '../../src/core/dataset/manifest';
import { createBackend } from '../../src/core/inr/backend';
import { DEFAULT_SIREN } from '../../src/core/inr/spec';
import { loadDatasetSplits } from '../../src/core/train/datasetSplits';
import { readShardItem } from '../../src/core/dataset/shard';

const PLAN = { limit: 12, views: 1, seed: 2, valFraction: 0.25, testFraction: 0.25, shardSize: 4 };
const FIT = { steps: 15, targetPsnr: null, lr: 5e-4, beta1: 0.9, beta2: 0.999, eps: 1e-8 };

/** MNIST, except that image `index` has `value` at one pixel. */
function poisoned(source: ImageSource, index: number, value: number): ImageSource {
  return {
    name: source.name,
    count: source.count,
    height: source.height,
    width: source.width,
    channels: source.channels,
    classes: source.classes,
    label: (i) => source.label(i),
    image: async (i) => {
      const image = await source.image(i);
      if (i !== index) return image;
      const pixels = Float32Array.from(image.pixels);
      pixels[400] = value;
      return { ...image, pixels };
    },
  };
}

for (const [what, value] of [
  ['NaN', Number.NaN],
  ['an infinite', Number.POSITIVE_INFINITY],
] as const) {
  test(`an image with ${what} pixel: generation names the INR and writes nothing of its shard`, async () => {
    const mnist = await loadBundledDataset('mnist');
    const victim = planDataset({ sourceCount: mnist.count, ...PLAN }).find((item) => item.shard === 1)!;
    const out = mkdtempSync(join(tmpdir(), 'wslab-nonfinite-'));
    const backend = await createBackend('wasm', { workers: 1 });
    try {
      await assert.rejects(
        generateDataset({ out, source: poisoned(mnist, victim.index, value), spec: DEFAULT_SIREN, fit: FIT, ...PLAN, backend }),
        (e: unknown) => {
          assert.ok(e instanceof DatasetError, String(e));
          assert.match(e.message, new RegExp(`INR ${victim.id} \\(image ${victim.index}\\) diverged: .*after 15 steps; nothing was written for shard 1`));
          return true;
        },
      );
    } finally {
      await backend.close();
    }
    assert.deepEqual(readdirSync(join(out, 'shards')), ['00000.safetensors'], 'the shard before is kept; the poisoned one and those after are not written');
    const settings = await readDatasetSettings(out);
    const before = planDataset({ sourceCount: mnist.count, ...PLAN }).filter((i) => i.shard === 0);
    assert.ok('items' in (await readFinishedShard(shardPath(out, 0), settings, before)));
    assert.equal((await readManifest(out)).items.length, 4, 'the manifest lists only the finished shard');
  });
}

test('a shard holding NaN weights is refused by the training loader, naming the INR and tensor', async () => {
  const out = mkdtempSync(join(tmpdir(), 'wslab-nonfinite-load-'));
  const backend = await createBackend('wasm', { workers: 1 });
  try {
    await generateDataset({ out, source: await loadBundledDataset('mnist'), spec: DEFAULT_SIREN, fit: FIT, ...PLAN, backend });
  } finally {
    await backend.close();
  }
  await loadDatasetSplits(out); // clean: loads
  const manifest = await readManifest(out);
  const settings = await readDatasetSettings(out);
  const inShard2 = manifest.items.filter((i) => i.shard === 2);
  const fitted = [];
  for (const item of inShard2) {
    const set = await readShardItem(shardPath(out, 2), item.id);
    const layers = [0, 1, 2].map((l) => {
      const W = Float32Array.from(set.get(`seq.${l}.weight`).data);
      const b = Float32Array.from(set.get(`seq.${l}.bias`).data);
      return { W, b, inFeatures: set.get(`seq.${l}.weight`).shape[1]!, outFeatures: set.get(`seq.${l}.weight`).shape[0]! };
    });
    if (item === inShard2[1]) layers[1]!.W[7] = Number.NaN;
    fitted.push({ item, layers });
  }
  await writeShard(shardPath(out, 2), settings, fitted);
  await assert.rejects(loadDatasetSplits(out), (e: unknown) => {
    assert.ok(e instanceof DatasetError, String(e));
    assert.match(e.message, new RegExp(`00002\\.safetensors: INR ${inShard2[1]!.id} holds NaN in ${inShard2[1]!.id}/seq\\.1\\.weight\\[7\\]`));
    return true;
  });
  assert.ok(existsSync(shardPath(out, 2)));
});
