/**
 * The fused WASM kernel against the float64 reference, per spec variant (including the shapes it pads):
 * loss, gradients, and weights after 10 Adam steps from the same initial weights. The loader picks the
 * relaxed-SIMD (FMA) build here; the plain-SIMD build is checked by running this file again with
 * WSLAB_WASM_KERNEL=wasm-simd.
 *
 * Tolerances: the kernel works in f32 with sin/cos accurate to ≈ 3e-7 (after w0·u range reduction);
 * summing ≤ 784 per-pixel terms in f32 gives a relative error ≲ √784·2⁻²⁴ ≈ 2e-6 of the magnitude of
 * the terms. So loss within 1e-5 relative, every gradient within 1e-5 of its layer tensor's largest
 * entry. Adam normalises each update to ≈ lr, so such gradient errors move weights by ≪ lr per step:
 * after 10 steps the weights agree within 1e-3·lr·steps (the weights themselves move by ≈ lr·steps).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolveFitOptions } from '../../src/core/inr/fitting';
import { referenceFit, referenceLossAndGradients } from '../../src/core/inr/reference';
import { initSiren } from '../../src/core/inr/spec';
import { Rng } from '../../src/core/random/rng';
import { KERNEL_ENV, SirenKernel, kernelPath, loadKernelModule } from '../../src/core/inr/wasmKernel';
import { PADDED_VARIANTS, VARIANTS, coordsFor, smoothTarget } from './cases';

const EXPECTED_FLAVOUR_ENV = 'SIREN_KERNEL_EXPECTED_FLAVOUR';
const { module, flavour } = loadKernelModule();
const webAssembly = (globalThis as unknown as { WebAssembly: { validate(bytes: Uint8Array): boolean } }).WebAssembly;

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

const maxAbs = (a: ArrayLike<number>) => Math.max(...Array.from(a, Math.abs));

test('the loader picks the relaxed-SIMD build exactly when this runtime validates it', () => {
  const relaxedValidates = webAssembly.validate(readFileSync(kernelPath('wasm-relaxed-simd')));
  assert.equal(flavour, relaxedValidates ? 'wasm-relaxed-simd' : 'wasm-simd');
  const expected = process.env[EXPECTED_FLAVOUR_ENV];
  if (expected) assert.equal(flavour, expected);
});

// 13 × 11 = 143 pixels: no multiple of the kernel's 16-pixel blocks, so the masked padding is exercised.
for (const { name, spec } of [...VARIANTS, ...PADDED_VARIANTS]) {
  test(`${flavour} kernel matches the reference: loss, gradients and weights after 10 steps (${name})`, () => {
    const coords = coordsFor(spec, 13, 11);
    const rng = new Rng(41);
    const target = smoothTarget(spec, coords, rng);
    const init = initSiren(spec, rng);
    const kernel = new SirenKernel(module);
    kernel.configure(spec, coords);

    const ours = kernel.lossAndGradients(init, target);
    const reference = referenceLossAndGradients(spec, init, coords, target);
    assert.ok(Math.abs(ours.mse / reference.mse - 1) < 1e-5, `loss ${ours.mse} vs ${reference.mse}`);
    ours.gradients.forEach((g, l) => {
      const r = reference.gradients[l]!;
      const scale = Math.max(maxAbs(r.W), maxAbs(r.b));
      assert.ok(maxAbsDifference(g.W, r.W) <= 1e-5 * scale, `layer ${l} ∂W off by ${maxAbsDifference(g.W, r.W)} (max ${scale})`);
      assert.ok(maxAbsDifference(g.b, r.b) <= 1e-5 * scale, `layer ${l} ∂b off by ${maxAbsDifference(g.b, r.b)} (max ${scale})`);
    });

    const fit = resolveFitOptions({ spec, coords, steps: 10, targetPsnr: null });
    const task = { id: name, target, init };
    const fitted = kernel.fit(task, fit);
    const expected = referenceFit(task, fit);
    assert.equal(fitted.steps, expected.steps);
    assert.ok(Math.abs(fitted.psnr - expected.psnr) < 1e-4, `PSNR ${fitted.psnr} vs ${expected.psnr}`);
    fitted.layers.forEach((layer, l) => {
      const tolerance = 1e-3 * fit.lr * fit.steps;
      assert.ok(maxAbsDifference(layer.W, expected.layers[l]!.W) <= tolerance, `layer ${l} W off by ${maxAbsDifference(layer.W, expected.layers[l]!.W)}`);
      assert.ok(maxAbsDifference(layer.b, expected.layers[l]!.b) <= tolerance, `layer ${l} b off by ${maxAbsDifference(layer.b, expected.layers[l]!.b)}`);
    });
  });
}

test('one kernel instance refits from scratch: the same task twice gives bit-identical weights', () => {
  const { spec } = VARIANTS[0]!;
  const coords = coordsFor(spec, 10);
  const rng = new Rng(43);
  const task = { id: 'again', target: smoothTarget(spec, coords, rng), init: initSiren(spec, rng) };
  const kernel = new SirenKernel(module);
  kernel.configure(spec, coords);
  const fit = resolveFitOptions({ spec, coords, steps: 20, targetPsnr: null });
  const first = kernel.fit(task, fit);
  kernel.fit({ ...task, target: smoothTarget(spec, coords, rng) }, fit);
  const second = kernel.fit(task, fit);
  assert.deepEqual(second, first);
});

test(
  'the plain-SIMD build passes the same checks (WSLAB_WASM_KERNEL=wasm-simd)',
  { skip: process.env[EXPECTED_FLAVOUR_ENV] !== undefined && 'this is that run' },
  () => {
    const { NODE_TEST_CONTEXT: _runnerOfThisProcess, ...env } = process.env;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', __filename], {
      env: { ...env, [KERNEL_ENV]: 'wasm-simd', [EXPECTED_FLAVOUR_ENV]: 'wasm-simd' },
      encoding: 'utf8',
    });
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /wasm-simd kernel matches the reference/);
  },
);

test(
  'on this Node the loader enables and picks the relaxed-SIMD build by itself',
  { skip: process.env[EXPECTED_FLAVOUR_ENV] !== undefined && 'the plain-SIMD run' },
  () => {
    assert.equal(flavour, 'wasm-relaxed-simd');
  },
);
