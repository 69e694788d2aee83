/**
 * Nearest-neighbour enlargement (the report's digits): every output pixel is its source pixel, per
 * channel; bad factors and sizes are refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { upscaleNearest } from '../../src/core/image/upscale';

test('upscaleNearest repeats each pixel factor × factor times, channels kept together', () => {
  const rgb = Float32Array.from([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 0.0, 0.5]); // 2×2 RGB
  const big = upscaleNearest(rgb, 2, 3, 3);
  assert.equal(big.length, 6 * 6 * 3);
  for (let y = 0; y < 6; y++) {
    for (let x = 0; x < 6; x++) {
      const from = (Math.floor(y / 3) * 2 + Math.floor(x / 3)) * 3;
      assert.deepEqual([...big.subarray((y * 6 + x) * 3, (y * 6 + x) * 3 + 3)], [...rgb.subarray(from, from + 3)], `pixel ${x},${y}`);
    }
  }
  assert.deepEqual(upscaleNearest(Float32Array.from([0.25]), 1, 1), Float32Array.from([0.25]));
});

test('upscaleNearest refuses non-integer factors and mismatched sizes', () => {
  assert.throws(() => upscaleNearest(new Float32Array(4), 2, 1.5), /positive integer/);
  assert.throws(() => upscaleNearest(new Float32Array(4), 2, 0), /positive integer/);
  assert.throws(() => upscaleNearest(new Float32Array(5), 2, 2), /5 values for a 2×2×1 image/);
});
