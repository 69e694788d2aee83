/**
 * psnr.ts and render.ts: the PSNR ↔ MSE identities, and the per-pixel renderer against the batched
 * reference forward pass (two independent implementations of f), on any grid.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { meanSquaredError, mseFromPsnr, psnr, psnrFromMse } from '../../src/core/inr/psnr';
import { referenceLossAndGradients } from '../../src/core/inr/reference';
import { renderSiren } from '../../src/core/inr/render';
import { initSiren, pixelGrid } from '../../src/core/inr/spec';
import { Rng } from '../../src/core/random/rng';
import { PADDED_VARIANTS, VARIANTS, coordsFor, smoothTarget } from './cases';

test('PSNR and MSE convert into each other, and a uniform error e gives −20·log10|e| dB', () => {
  const rng = new Rng(3);
  for (let k = 0; k < 200; k++) {
    const mse = 10 ** rng.uniform(-12, 0);
    assert.ok(Math.abs(mseFromPsnr(psnrFromMse(mse)) / mse - 1) < 1e-12);
    const e = rng.uniform(-1, 1);
    const image = Float64Array.from({ length: 16 }, () => rng.next());
    const shifted = image.map((v) => v + e);
    assert.ok(Math.abs(psnr(shifted, image) + 20 * Math.log10(Math.abs(e))) < 1e-6);
  }
  assert.equal(psnr(new Float32Array(4), new Float32Array(4)), Infinity);
  assert.throws(() => meanSquaredError(new Float32Array(2), new Float32Array(3)), /different lengths/);
});

for (const { name, spec } of [...VARIANTS, ...PADDED_VARIANTS]) {
  test(`renderSiren agrees with the reference forward pass (${name})`, () => {
    const coords = coordsFor(spec, 9, 7);
    const rng = new Rng(5);
    const target = smoothTarget(spec, coords, rng);
    const layers = initSiren(spec, rng);
    const image = renderSiren(spec, layers, coords);
    assert.equal(image.length, (coords.length / spec.inputDim) * spec.outputDim);
    const { mse } = referenceLossAndGradients(spec, layers, coords, target);
    assert.ok(Math.abs(meanSquaredError(image, target) / mse - 1) < 1e-6);
  });
}

test('renderSiren evaluates each coordinate on its own: any grid, any order', () => {
  const { spec } = VARIANTS[3]!;
  const layers = initSiren(spec, new Rng(8));
  const grid = pixelGrid(5, 8);
  const whole = renderSiren(spec, layers, grid);
  for (let p = 0; p < 40; p += 7) {
    const single = renderSiren(spec, layers, grid.slice(2 * p, 2 * p + 2));
    assert.deepEqual([...single], [...whole.slice(spec.outputDim * p, spec.outputDim * (p + 1))]);
  }
  assert.throws(() => renderSiren(spec, layers.slice(1), grid), /expected 3 layers/);
});
