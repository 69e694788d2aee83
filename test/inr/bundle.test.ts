/**
 * The WASM backend bundled by esbuild (as in dist/cli.js and dist/extension.js) finds the kernels
 * dist/siren-*.wasm and the worker bundle dist/inr-worker.js from the package root, and fits exactly
 * what the TypeScript sources fit under tsx. The test bundle goes to the git-ignored tmp/ folder.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { createBackend } from '../../src/core/inr/backend';
import { DEFAULT_SIREN } from '../../src/core/inr/spec';
import { coordsFor, makeTasks, resultBits } from './cases';

const ROOT = resolve(__dirname, '../..');
const spec = DEFAULT_SIREN;
const options = { spec, coords: coordsFor(spec, 10), steps: 25, targetPsnr: 30 };
const tasks = makeTasks(spec, options.coords, 3, 51);

test('the esbuild bundle of the WASM backend finds dist/ and fits exactly like the sources', async () => {
  const dir = join(ROOT, 'tmp', `inr-bundle-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  try {
    const entry = join(dir, 'entry.ts');
    writeFileSync(
      entry,
      `import { createBackend } from ${JSON.stringify(join(ROOT, 'src/core/inr/backend'))};
import { DEFAULT_SIREN } from ${JSON.stringify(join(ROOT, 'src/core/inr/spec'))};
import { coordsFor, makeTasks, resultBits } from ${JSON.stringify(join(ROOT, 'test/inr/cases'))};
const options = { spec: DEFAULT_SIREN, coords: coordsFor(DEFAULT_SIREN, 10), steps: 25, targetPsnr: 30 };
void (async () => {
  const backend = await createBackend('wasm', { workers: 2 });
  const results = await backend.fit(makeTasks(DEFAULT_SIREN, options.coords, 3, 51), options);
  await backend.close();
  process.stdout.write(JSON.stringify({ name: backend.name, results: results.map(resultBits) }));
})();
`,
    );
    const outfile = join(dir, 'entry.js');
    await build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['@tensorflow/tfjs-node-gpu'],
      logLevel: 'error',
    });
    const bundled = JSON.parse(execFileSync(process.execPath, [outfile], { encoding: 'utf8' })) as { name: string; results: string[] };

    const backend = await createBackend('wasm', { workers: 2 });
    try {
      assert.equal(bundled.name, backend.name);
      assert.deepEqual(bundled.results, (await backend.fit(tasks, options)).map(resultBits));
    } finally {
      await backend.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    try {
      rmdirSync(join(ROOT, 'tmp'));
    } catch {
      // tmp/ holds other files: leave it.
    }
  }
});
