/**
 * The WebGPU fitting backend (WGSL kernel, src/core/gpu/sirenFitShader.ts) on this machine's adapter —
 * SwiftShader, the CPU Vulkan driver of Debian's chromium, where there is no GPU (CI installs chromium and
 * the Vulkan loader libvulkan1). Against the float64 reference with the WASM kernel's tolerances
 * (test/inr/kernel.test.ts says why these): loss of the initial weights within 1e-5 relative, PSNR after
 * 10 steps within 1e-4 dB, weights after 10 steps within 1e-3·lr·steps; then the FitBackend conformance
 * suite, and results that do not depend on which networks share a dispatch.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBundledDataset } from '../../src/core/dataset/bundledSource';
import { loadInr } from '../../src/core/dataset/loadInr';
import { readManifest } from '../../src/core/dataset/manifest';
import { renderSiren } from '../../src/core/inr/render';
import { psnr } from '../../src/core/inr/psnr';
import { pixelGrid } from '../../src/core/inr/spec';
import { createBackend, type FitBackend, type FitOptions } from '../../src/core/inr/backend';
import { resolveFitOptions } from '../../src/core/inr/fitting';
import { referenceFit, referenceLossAndGradients } from '../../src/core/inr/reference';
import { psnrFromMse } from '../../src/core/inr/psnr';
import { initSiren } from '../../src/core/inr/spec';
import { Rng } from '../../src/core/random/rng';
import { PADDED_VARIANTS, VARIANTS, coordsFor, makeTasks, resultBits, smoothTarget } from './cases';
import { describeBackendConformance } from './conformance';

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

let backend: FitBackend;
before(async () => {
  backend = await createBackend('webgpu');
});
after(async () => {
  await backend?.close();
});

// 13 × 11 = 143 pixels: no multiple of the kernel's 16-pixel tiles, so the masked last tile is exercised.
for (const { name, spec } of [...VARIANTS, ...PADDED_VARIANTS]) {
  test(`WebGPU kernel matches the reference: loss, PSNR and weights after 10 steps (${name})`, async () => {
    const coords = coordsFor(spec, 13, 11);
    const rng = new Rng(41);
    const target = smoothTarget(spec, coords, rng);
    const init = initSiren(spec, rng);
    const task = { id: name, target, init };

    const [initial] = await backend.fit([task], { spec, coords, steps: 0, targetPsnr: null });
    const reference = referenceLossAndGradients(spec, init, coords, target);
    assert.equal(initial!.steps, 0);
    assert.ok(Math.abs(initial!.psnr - psnrFromMse(reference.mse)) < 1e-4, `initial PSNR ${initial!.psnr} vs ${psnrFromMse(reference.mse)}`);
    const mse = 10 ** (-initial!.psnr / 10);
    assert.ok(Math.abs(mse / reference.mse - 1) < 1e-5, `loss ${mse} vs ${reference.mse}`);

    const options: FitOptions = { spec, coords, steps: 10, targetPsnr: null };
    const [fitted] = await backend.fit([task], options);
    const fit = resolveFitOptions(options);
    const expected = referenceFit(task, fit);
    assert.equal(fitted!.steps, expected.steps);
    assert.ok(Math.abs(fitted!.psnr - expected.psnr) < 1e-4, `PSNR ${fitted!.psnr} vs ${expected.psnr}`);
    const tolerance = 1e-3 * fit.lr * fit.steps;
    fitted!.layers.forEach((layer, l) => {
      assert.ok(maxAbsDifference(layer.W, expected.layers[l]!.W) <= tolerance, `layer ${l} W off by ${maxAbsDifference(layer.W, expected.layers[l]!.W)}`);
      assert.ok(maxAbsDifference(layer.b, expected.layers[l]!.b) <= tolerance, `layer ${l} b off by ${maxAbsDifference(layer.b, expected.layers[l]!.b)}`);
    });
  });
}

test('a network gets the same bits alone and among others in one dispatch, for the RGB spec too', async () => {
  const { spec } = VARIANTS.find((v) => v.spec.outputDim === 3)!;
  const coords = coordsFor(spec, 9, 7);
  const tasks = makeTasks(spec, coords, 6, 5);
  const options: FitOptions = { spec, coords, steps: 6, targetPsnr: null };
  const together = await backend.fit(tasks, options);
  const alone = await backend.fit([tasks[4]!], options);
  assert.equal(resultBits(alone[0]!), resultBits(together[4]!));
  assert.notEqual(resultBits(together[3]!), resultBits(together[4]!));
});

test('wslab generate --backend webgpu fits MNIST digits as the WASM kernel does; items record the backend and reconstruct at the PSNR they report', async () => {
  const generate = (backend: string) => {
    const out = mkdtempSync(join(tmpdir(), `wslab-${backend}-`));
    const run = spawnSync(
      process.execPath,
      ['dist/cli.js', 'generate', '--dataset', 'mnist', '--out', out, '--limit', '3', '--steps', '60', '--backend', backend, '--progress', 'json'],
      { encoding: 'utf8' },
    );
    assert.equal(run.status, 0, run.stderr);
    // The start event names the device; on a software adapter (SwiftShader here) the user is told it is slow.
    const start = JSON.parse(run.stdout.split('\n')[0]!) as { type: string; device: string | null };
    assert.equal(start.type, 'start');
    if (backend === 'webgpu')
      assert.equal(/webgpu runs on .*a CPU driver: correct but far slower/.test(run.stderr), /software/.test(start.device ?? ''), run.stderr);
    else assert.equal(start.device, null);
    return out;
  };
  const [gpu, wasm] = [generate('webgpu'), generate('wasm')];
  try {
    const [manifest, cpuManifest, source] = await Promise.all([readManifest(gpu), readManifest(wasm), loadBundledDataset('mnist')]);
    assert.equal(manifest.items.length, 3);
    for (const [k, item] of manifest.items.entries()) {
      const cpu = cpuManifest.items[k]!;
      assert.equal(item.backend, 'webgpu');
      assert.deepEqual([item.id, item.seed, item.steps], [cpu.id, cpu.seed, cpu.steps]);
      const inr = await loadInr(`${gpu}#${item.id}`);
      const rendered = psnr(renderSiren(inr.spec, inr.layers, pixelGrid(28)), (await source.image(item.index)).pixels);
      assert.ok(Math.abs(rendered - item.psnr) < 1e-3, `${item.id}: reported ${item.psnr} dB, rendered ${rendered} dB`);
      // Same initial weights and steps as the WASM kernel: the same fit up to float32 rounding.
      assert.ok(Math.abs(item.psnr - cpu.psnr) < 0.01, `${item.id}: ${item.psnr} dB on WebGPU, ${cpu.psnr} dB on ${cpu.backend}`);
    }
  } finally {
    for (const dir of [gpu, wasm]) rmSync(dir, { recursive: true, force: true });
  }
});

test('a spec the kernel cannot hold fails with a GpuError that names WebGPU and the limit; the backend stays usable', async () => {
  const spec = { ...VARIANTS[0]!.spec, hidden: [1024, 1024] };
  const coords = coordsFor(spec, 4);
  const tasks = makeTasks(spec, coords, 1, 2);
  await assert.rejects(
    backend.fit(tasks, { spec, coords, steps: 1, targetPsnr: null }),
    (e: Error) => e.name === 'GpuError' && /WebGPU/.test(e.message) && /workgroup memory/.test(e.message),
  );
  const { spec: small } = VARIANTS[2]!;
  const smallCoords = coordsFor(small, 4);
  const [result] = await backend.fit(makeTasks(small, smallCoords, 1, 2), { spec: small, coords: smallCoords, steps: 2, targetPsnr: null });
  assert.equal(result!.steps, 2);
});

describeBackendConformance('webgpu', () => createBackend('webgpu'));
