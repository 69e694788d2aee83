// Settings are read through an accessor (no vscode): defaults, valid values, wrong types reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SETTINGS, fitBackendFor, readSettings, trainBackendFor } from '../../src/extension/settings';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const read = (values: Record<string, unknown>) => readSettings((key) => values[key]);

test('unset settings are the defaults, which match package.json', () => {
  assert.deepEqual(read({}), DEFAULT_SETTINGS);
  const manifest = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, { default: unknown }> } };
  };
  const declared = Object.fromEntries(
    Object.entries(manifest.contributes.configuration.properties).map(([k, v]) => [k.replace(/^weightSpaceLab\./, ''), v.default]),
  );
  assert.deepEqual(declared, {
    backend: DEFAULT_SETTINGS.backend,
    workerThreads: DEFAULT_SETTINGS.workerThreads,
    datasetsFolder: DEFAULT_SETTINGS.datasetsFolder,
    runsFolder: DEFAULT_SETTINGS.runsFolder,
    'generation.steps': DEFAULT_SETTINGS.fittingSteps,
    'generation.targetPsnr': DEFAULT_SETTINGS.targetPsnr,
    maxConcurrentTasks: DEFAULT_SETTINGS.maxConcurrentTasks,
    // Blank text means unset (null).
    'slurm.loginHost': '',
    'slurm.pollSeconds': DEFAULT_SETTINGS.slurm.pollSeconds,
    'slurm.cpusPerTask': DEFAULT_SETTINGS.slurm.cpusPerTask,
    'slurm.sbatchOptions': DEFAULT_SETTINGS.slurm.sbatchOptions,
    'slurm.wslabCommand': '',
  });
});

test('valid values are taken; a target PSNR of 0 means no early stop', () => {
  const s = read({
    backend: 'cpu',
    workerThreads: 3,
    datasetsFolder: 'data/inrs',
    runsFolder: 'out',
    'generation.steps': 250,
    'generation.targetPsnr': 0,
    maxConcurrentTasks: 2,
  });
  assert.deepEqual(
    { ...s, problems: undefined },
    {
      backend: 'cpu',
      workerThreads: 3,
      datasetsFolder: 'data/inrs',
      runsFolder: 'out',
      fittingSteps: 250,
      targetPsnr: null,
      maxConcurrentTasks: 2,
      slurm: DEFAULT_SETTINGS.slurm,
      problems: undefined,
    },
  );
  assert.deepEqual(s.problems, []);
});

test('a wrong value falls back to the default and says which setting and why', () => {
  const s = read({ backend: 'cuda', workerThreads: -1, runsFolder: '', 'generation.steps': 1.5, 'generation.targetPsnr': 'high', maxConcurrentTasks: 99 });
  assert.equal(s.backend, 'auto');
  assert.equal(s.workerThreads, 0);
  assert.equal(s.runsFolder, 'runs');
  assert.equal(s.fittingSteps, 1000);
  assert.equal(s.targetPsnr, 40);
  assert.equal(s.maxConcurrentTasks, 1);
  assert.equal(s.problems.length, 6);
  assert.ok(
    s.problems.some((p) => /^weightSpaceLab\.backend must be auto, wasm, webgpu, cpu, gpu, got "cuda"; using "auto"$/.test(p)),
    s.problems.join('\n'),
  );
});

test('the backend setting maps onto the fitting and training backends', () => {
  assert.deepEqual(
    ['auto', 'wasm', 'webgpu', 'cpu', 'gpu'].map((b) => fitBackendFor(b as never)),
    ['auto', 'wasm', 'webgpu', 'reference', 'tfjs-node-gpu'],
  );
  assert.deepEqual(
    ['auto', 'wasm', 'webgpu', 'cpu', 'gpu'].map((b) => trainBackendFor(b as never)),
    [undefined, undefined, undefined, 'cpu', 'tfjs-node-gpu'],
  );
});
