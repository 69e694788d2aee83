// What the preview panel renders (src/core/augment/previewSamples.ts), on the tiny fixture dataset and the
// PyTorch-fitted sample SIREN: samples match `wslab preview`'s copies, errors separate exact augmentations
// from approximate ones, heatmap matrices are the layers' weights (downsampled by block max-|value| when
// large), and the MixUp comparison mixes the same pair with the same α both ways.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { parseAugmentations } from '../../src/core/augment/parse';
import { openPreviewInput, renderPreview } from '../../src/core/augment/preview';
import { downsampleMatrix, previewSamples, weightMatrices } from '../../src/core/augment/previewSamples';
import { DEFAULT_SIREN } from '../../src/core/inr/spec';
import { Rng } from '../../src/core/random/rng';

const ROOT = resolve(__dirname, '..', '..');
const TINY = join(ROOT, 'test', 'fixtures', 'dataset', 'tiny');
const SAMPLE = join(ROOT, 'samples', 'siren-sample.pth');

const step = (text: string) => parseAugmentations(text)[0]!;

test('samples are the copies `wslab preview` renders, with the augmented networks’ weights', async () => {
  const input = await openPreviewInput(`${TINY}#img409-v0`, undefined, DEFAULT_SIREN);
  const s = step('gaussian-noise:scale=0.5');
  const got = await previewSamples(input, s, { seed: 3, count: 8, size: 20 });
  const expected = await renderPreview(input, [s], { copies: 8, seed: 3, size: 20 });
  assert.equal(got.samples.length, 8);
  assert.deepEqual(got.original.pixels, expected.original);
  got.samples.forEach((sample, k) => {
    assert.deepEqual(sample.pixels, expected.copies[k]!.pixels);
    assert.equal(sample.error, expected.copies[k]!.error);
    assert.deepEqual(sample.weights, weightMatrices(expected.copies[k]!.network));
    assert.match(sample.description, /^gaussian-noise /);
  });
  assert.deepEqual(
    got.original.weights.map((m) => [m.rows, m.cols]),
    input.inr.layers.map((l) => [l.outFeatures, l.inFeatures]),
  );
  assert.equal(got.warped, false);
  assert.equal(got.mix, undefined);
  // Another seed draws other noise.
  const other = await previewSamples(input, s, { seed: 4, count: 1, size: 20 });
  assert.notDeepEqual(other.samples[0]!.pixels, got.samples[0]!.pixels);
});

test('the error is at float32 precision for exact augmentations (warps measured against the warped original), large for noise', async () => {
  const input = await openPreviewInput(SAMPLE, undefined, DEFAULT_SIREN);
  const rotate = await previewSamples(input, step('rotate:degrees=90'), { seed: 1, count: 1, size: 28 });
  const permute = await previewSamples(input, step('permute'), { seed: 1, count: 1, size: 28 });
  const noise = await previewSamples(input, step('gaussian-noise'), { seed: 1, count: 1, size: 28 });
  assert.equal(rotate.warped, true);
  assert.equal(permute.warped, false);
  assert.ok(rotate.samples[0]!.error < 1e-4, `rotate: ${rotate.samples[0]!.error}`);
  assert.ok(permute.samples[0]!.error < 1e-4, `permute: ${permute.samples[0]!.error}`);
  assert.ok(noise.samples[0]!.error > 1e-2, `gaussian-noise: ${noise.samples[0]!.error}`);
  // The rotated image itself differs from the original: the error is not against the unwarped f.
  const diff = rotate.samples[0]!.pixels.reduce((m, v, i) => Math.max(m, Math.abs(v - rotate.original.pixels[i]!)), 0);
  assert.ok(diff > 0.1, `a 90° rotation moved the pixels by at most ${diff}`);
  // Permuting changes the weights, not the function.
  assert.notDeepEqual(permute.samples[0]!.weights[1]!.values, permute.original.weights[1]!.values);
});

test('MixUp: the unaligned and aligned mixes use the same partner and α; each equals the sample of its own augmentation', async () => {
  const input = await openPreviewInput(`${TINY}#img409-v0`, `${TINY}#img9564-v0`, DEFAULT_SIREN);
  const plain = await previewSamples(input, step('mixup:min=0.3,max=0.7'), { seed: 5, count: 1, size: 16 });
  const aligned = await previewSamples(input, step('mixup-aligned:min=0.3,max=0.7'), { seed: 5, count: 1, size: 16 });
  for (const p of [plain, aligned]) {
    assert.ok(p.mix);
    assert.equal(p.mix.partner, `${TINY}#img9564-v0`);
    assert.ok(p.mix.alpha >= 0.3 && p.mix.alpha <= 0.7, String(p.mix.alpha));
  }
  assert.equal(plain.mix!.alpha, aligned.mix!.alpha);
  assert.deepEqual(plain.mix!.unaligned.pixels, plain.samples[0]!.pixels);
  assert.deepEqual(aligned.mix!.aligned.pixels, aligned.samples[0]!.pixels);
  assert.deepEqual(plain.mix!.aligned.pixels, aligned.mix!.aligned.pixels);
  assert.notDeepEqual(plain.mix!.unaligned.pixels, plain.mix!.aligned.pixels);
  // The partner is rendered as itself.
  const partner = await openPreviewInput(`${TINY}#img9564-v0`, undefined, DEFAULT_SIREN);
  const partnerPreview = await renderPreview(partner, [step('permute')], { copies: 1, seed: 0, size: 16 });
  assert.deepEqual(plain.mix!.partnerImage.pixels, partnerPreview.original);
});

test('a MixUp on a dataset INR without a chosen partner draws it from the split, as wslab augment does', async () => {
  const input = await openPreviewInput(`${TINY}#img409-v0`, undefined, DEFAULT_SIREN);
  const got = await previewSamples(input, step('mixup'), { seed: 0, count: 8, size: 8 });
  for (const s of got.samples) assert.ok(['img9564-v0', 'img8176-v0'].includes(s.partner!), s.partner);
  assert.ok(['img9564-v0', 'img8176-v0'].includes(got.mix!.partner));
  assert.equal(got.mix!.partner, got.samples[0]!.partner);
});

test('downsampleMatrix keeps small matrices and reduces large ones by block max-|value| (brute-force oracle)', () => {
  const rng = new Rng(7);
  const small = Float32Array.from({ length: 32 * 2 }, () => rng.normal());
  assert.deepEqual(downsampleMatrix(0, small, 32, 2).values, small);
  const [out, inn] = [150, 70];
  const W = Float32Array.from({ length: out * inn }, () => rng.normal());
  const m = downsampleMatrix(1, W, out, inn, 64);
  assert.deepEqual([m.rows, m.cols, m.outFeatures, m.inFeatures], [50, 35, 150, 70]);
  for (let r = 0; r < m.rows; r++) {
    for (let c = 0; c < m.cols; c++) {
      const block: number[] = [];
      for (let o = r * 3; o < r * 3 + 3; o++) for (let i = c * 2; i < c * 2 + 2; i++) block.push(W[o * inn + i]!);
      const expected = block.reduce((best, v) => (Math.abs(v) > Math.abs(best) ? v : best), 0);
      assert.equal(m.values[r * m.cols + c], expected);
    }
  }
  W[5 * inn + 5] = NaN;
  assert.ok(Number.isNaN(downsampleMatrix(1, W, out, inn, 64).values[1 * 35 + 2]!));
});
