// The 3-D INRs of a generated shapes3d dataset in the views (issue 22): the inspector finds them in a shard
// and reconstructs each as its ray-marched surface (at most 128 pixels a side), and the augmentation preview
// shows them too — exact augmentations (a 3-D rotation, a translation, a permutation) checked against the
// warped original on a grid of the cube to float32 precision, noise far from it.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAugmentations } from '../../src/core/augment/parse';
import { openPreviewInput } from '../../src/core/augment/preview';
import { previewSamples } from '../../src/core/augment/previewSamples';
import { loadInr } from '../../src/core/dataset/loadInr';
import { readManifest } from '../../src/core/dataset/manifest';
import { tinyShapesDataset } from '../helpers/tinyDataset';
import { BACKGROUND, rayMarchSdf } from '../../src/core/inr/rayMarch';
import { DEFAULT_SIREN } from '../../src/core/inr/spec';
import { InspectEngine } from '../../src/core/inspect/engine';

let out = '';
let ids: string[] = [];

before(async () => {
  out = await tinyShapesDataset();
  ids = (await readManifest(out)).items.map((i) => i.id);
});

const lit = (pixels: Float32Array) => pixels.filter((v) => v !== BACKGROUND).length;

test('the inspector finds the 3-D INRs of a shard and shows each as its surface', async () => {
  const shard = join(out, 'shards', readdirSync(join(out, 'shards'))[0]!);
  const engine = await InspectEngine.open(shard);
  try {
    assert.equal(engine.header.inrs?.kind, 'shard');
    assert.deepEqual(engine.header.inrs?.widths, [3, 32, 32, 1]);
    const r = await engine.reconstruct(0, 256);
    assert.deepEqual([r.width, r.height, r.channels], [128, 128, 1], 'a 3-D view is at most 128 pixels a side');
    const inr = await loadInr(`${out}#${r.name}`);
    assert.deepEqual(Array.from(r.pixels), Array.from(rayMarchSdf(inr.spec, inr.layers, 128)));
    assert.ok(lit(r.pixels) > 500, `only ${lit(r.pixels)} pixels show a surface`);
  } finally {
    await engine.close();
  }
});

test('the preview shows a 3-D INR; exact augmentations are checked against the warped original on the cube', async () => {
  const input = await openPreviewInput(`${out}#${ids[0]}`, undefined, DEFAULT_SIREN);
  const sample = (text: string) => previewSamples(input, parseAugmentations(text)[0]!, { seed: 2, count: 1, size: 48 });
  const [rotate, translate, permute, noise] = [
    await sample('rotate:degrees=90'),
    await sample('translate'),
    await sample('permute'),
    await sample('gaussian-noise'),
  ];
  assert.ok(lit(rotate.original.pixels) > 100, 'the original shows its surface');
  for (const [name, s] of [
    ['rotate', rotate],
    ['translate', translate],
    ['permute', permute],
  ] as const) {
    assert.ok(s.samples[0]!.error < 1e-4, `${name}: ${s.samples[0]!.error}`);
  }
  assert.equal(rotate.warped, true);
  assert.ok(noise.samples[0]!.error > 1e-2, `gaussian-noise: ${noise.samples[0]!.error}`);
  // A rotation moves the picture; a permutation does not change the function, so neither its picture.
  assert.notDeepEqual(rotate.samples[0]!.pixels, rotate.original.pixels);
  // (A ray grazing the surface may fall either side of it with float rounding: a few pixels at most.)
  const moved = permute.samples[0]!.pixels.filter((v, i) => Math.abs(v - permute.original.pixels[i]!) > 0.05).length;
  assert.ok(moved <= 3, `a permutation changed ${moved} pixels of the picture`);
});
