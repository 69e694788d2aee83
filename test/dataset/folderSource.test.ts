import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFolderDataset } from '../../src/core/dataset/folderSource';
import { decodeImage, encodePng } from '../../src/core/image/codec';
import { mulberry32 } from '../helpers/random';

function randomImage(seed: number, pixels: number, channels: number): Float32Array {
  const rng = mulberry32(seed);
  // Multiples of 1/255 survive 8-bit PNG exactly.
  return Float32Array.from({ length: pixels * channels }, () => Math.floor(rng() * 256) / 255);
}

test('PNG encode → decode returns the pixels (8-bit values exactly)', () => {
  for (const channels of [1, 3] as const) {
    const pixels = randomImage(channels, 5 * 4, channels);
    const decoded = decodeImage(encodePng(pixels, 5, 4, channels), 'x.png');
    assert.equal(decoded.width, 5);
    assert.equal(decoded.height, 4);
    for (let p = 0; p < 20; p++) {
      for (let c = 0; c < 3; c++) assert.equal(decoded.rgb[p * 3 + c], Math.fround(pixels[p * channels + (channels === 1 ? 0 : c)]!));
    }
  }
});

test('a folder of class sub-folders becomes a labelled source; grey images give one channel', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wslab-folder-'));
  const images: Record<string, Float32Array[]> = { cats: [], dogs: [] };
  let seed = 1;
  for (const name of ['dogs', 'cats']) {
    mkdirSync(join(dir, name));
    for (let i = 0; i < 3; i++) {
      const img = randomImage(seed++, 6 * 6, 1);
      images[name]!.push(img);
      writeFileSync(join(dir, name, `${i}.png`), encodePng(img, 6, 6, 1));
    }
  }
  writeFileSync(join(dir, 'cats', 'notes.txt'), 'ignored');
  const source = await loadFolderDataset(dir);
  assert.deepEqual(source.classes, ['cats', 'dogs']);
  assert.equal(source.count, 6);
  assert.equal(source.channels, 1);
  const fourth = await source.image(4);
  assert.equal(fourth.label, 1);
  assert.deepEqual(fourth.pixels, images.dogs![1]!.map(Math.fround));
});

test('folder errors name the offending file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wslab-folder-'));
  mkdirSync(join(dir, 'a'));
  writeFileSync(join(dir, 'a', '0.png'), encodePng(randomImage(1, 16, 3), 4, 4, 3));
  writeFileSync(join(dir, 'a', '1.png'), encodePng(randomImage(2, 9, 3), 3, 3, 3));
  writeFileSync(join(dir, 'a', '2.png'), 'not a png');
  const source = await loadFolderDataset(dir);
  assert.equal(source.channels, 3);
  await assert.rejects(source.image(1), /1\.png: image is 3×3 but the dataset is 4×4/);
  await assert.rejects(source.image(2), /2\.png: cannot decode image/);
  await assert.rejects(loadFolderDataset(join(dir, 'a')), /expected one sub-folder per class/);
});
