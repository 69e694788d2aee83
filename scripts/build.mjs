// One build for every bundle: extension host, workers and CLI (Node, CommonJS), one browser bundle per webview,
// and the WebAssembly SIREN kernels (scripts/build-wasm.mjs).
import * as esbuild from 'esbuild';
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildWasm } from './build-wasm.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints when a rebuild starts and ends, so the VS Code watch task knows when problems are current. */
const announce = {
  name: 'announce',
  setup(build) {
    if (!watch) return;
    build.onStart(() => console.log('[build] started'));
    build.onEnd((result) => console.log(`[build] finished with ${result.errors.length} errors`));
  },
};

const common = {
  bundle: true,
  plugins: [announce],
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};

const nodeBundles = {
  ...common,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode', '@tensorflow/tfjs-node-gpu'],
  entryPoints: {
    extension: 'src/extension/extension.ts',
    worker: 'src/worker/worker.ts',
    cli: 'src/cli/main.ts',
    'inr-worker': 'src/core/inr/wasmWorker.ts',
  },
  outdir: 'dist',
};

const webviewDir = 'webview';
const webviewEntries = Object.fromEntries(
  readdirSync(webviewDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(webviewDir, d.name, 'main.ts')))
    .map((d) => [d.name, join(webviewDir, d.name, 'main.ts')]),
);

const webviewBundles = {
  ...common,
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
  entryPoints: webviewEntries,
  outdir: 'media',
};

if (watch) {
  await buildWasm();
  const contexts = await Promise.all([esbuild.context(nodeBundles), esbuild.context(webviewBundles)]);
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('[build] watching for changes');
} else {
  await Promise.all([esbuild.build(nodeBundles), esbuild.build(webviewBundles), buildWasm()]);
}
