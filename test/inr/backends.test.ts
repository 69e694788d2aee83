/**
 * Every FitBackend through the shared conformance suite, plus what is specific to one: the WASM pool's
 * results do not depend on its worker count, it falls back to the reference fitter (with a warning) for
 * specs its kernel cannot lay out, and the optional tfjs-node-gpu backend fails clearly when absent.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createBackend, type FitOptions } from '../../src/core/inr/backend';
import { tfjsAvailable } from '../../src/core/inr/tfjsBackend';
import type { WebGpuBackend } from '../../src/core/inr/webgpuBackend';
import { hardwareWebGpuPossible } from '../../src/core/gpu/webgpuDevice';
import { DEFAULT_SIREN } from '../../src/core/inr/spec';
import { coordsFor, makeTasks, resultBits } from './cases';
import { describeBackendConformance } from './conformance';

const TFJS_ABSENT = tfjsAvailable() ? undefined : 'the optional module @tensorflow/tfjs-node-gpu is not installed';

describeBackendConformance('reference', () => createBackend('reference'));
describeBackendConformance('wasm, 1 worker', () => createBackend('wasm', { workers: 1 }));
describeBackendConformance('wasm, 2 workers', () => createBackend('wasm', { workers: 2 }));
describeBackendConformance('tfjs-node-gpu', () => createBackend('tfjs-node-gpu'), TFJS_ABSENT);

test('auto picks tfjs-node-gpu when it loads, else WebGPU on a hardware adapter, else wasm (never a software adapter)', async () => {
  const backend = await createBackend('auto', { workers: 1 });
  try {
    if (tfjsAvailable()) assert.equal(backend.name, 'tfjs-node-gpu');
    else if (backend.name === 'webgpu') assert.equal((backend as WebGpuBackend).adapter.software, false);
    else assert.match(backend.name, /^wasm-/);
    // Without a Vulkan driver (this machine: SwiftShader is only used when asked for), auto never loads Dawn.
    if (!hardwareWebGpuPossible()) assert.match(backend.name, /^wasm-/);
  } finally {
    await backend.close();
  }
});

test(
  'tfjs-node-gpu, when absent, is refused with the module name and the alternatives',
  { skip: TFJS_ABSENT === undefined && 'the module is installed' },
  async () => {
    await assert.rejects(createBackend('tfjs-node-gpu'), /@tensorflow\/tfjs-node-gpu.*use 'wasm' or 'reference'/);
  },
);

test('wasm: results are bit-identical with 1 and 2 workers', async () => {
  const spec = { ...DEFAULT_SIREN, hidden: [16, 16] };
  const coords = coordsFor(spec, 14);
  const tasks = makeTasks(spec, coords, 7, 21);
  const options: FitOptions = { spec, coords, steps: 40, targetPsnr: 28 };
  const fits = [];
  for (const workers of [1, 2]) {
    const backend = await createBackend('wasm', { workers });
    fits.push((await backend.fit(tasks, options)).map(resultBits));
    await backend.close();
  }
  assert.deepEqual(fits[1], fits[0]);
});

test('wasm: a spec beyond the kernel (9 hidden layers) is fitted by the reference fitter, with a warning', async () => {
  const spec = { ...DEFAULT_SIREN, hidden: Array<number>(9).fill(4) };
  const coords = coordsFor(spec, 5);
  const tasks = makeTasks(spec, coords, 2, 31);
  const options: FitOptions = { spec, coords, steps: 3, targetPsnr: null };
  const wasm = await createBackend('wasm', { workers: 1 });
  const reference = await createBackend('reference');
  try {
    const warning = once(process, 'warning');
    const results = await wasm.fit(tasks, options);
    assert.match(String((await warning)[0]), /at most 8 hidden layers.*reference backend/);
    assert.deepEqual(results.map(resultBits), (await reference.fit(tasks, options)).map(resultBits));
  } finally {
    await wasm.close();
  }
});

test('wasm: closing the backend during a fit rejects that fit instead of leaving it pending', async () => {
  const spec = { ...DEFAULT_SIREN, hidden: [32, 32, 32] };
  const coords = coordsFor(spec, 28);
  const backend = await createBackend('wasm', { workers: 1 });
  const fit = assert.rejects(backend.fit(makeTasks(spec, coords, 2, 61), { spec, coords, steps: 2000, targetPsnr: null }), /closed/);
  await backend.close();
  await fit;
});
