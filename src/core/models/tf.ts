/**
 * The one place that loads TensorFlow.js for the weight-space models and chooses its backend:
 *   wasm          @tensorflow/tfjs-backend-wasm (XNNPACK, SIMD), the default: fast and deterministic
 *   cpu           @tensorflow/tfjs-backend-cpu, plain JavaScript: slower, needs no WebAssembly file
 *   tfjs-node-gpu the optional @tensorflow/tfjs-node-gpu (CUDA), used by `auto` only when it is installed
 *   webgpu        @tensorflow/tfjs-backend-webgpu on Dawn (npm `webgpu`): any GPU, or SwiftShader without one
 *                 (very slow there: thousands of tiny dispatches a step). It reads results only
 *                 asynchronously (readsAsync()), so its callers await data() before any synchronous read.
 * `auto` picks tfjs-node-gpu when it loads, else wasm — the same selection as INR generation.
 * The wasm binaries are found next to the running bundle (dist/, copied there by the build) or in
 * node_modules when running from source.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
// A used import (not a bare side-effect one) so bundlers keep the module that registers the CPU backend.
import { version_cpu } from '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { provideNavigatorGpu } from '../gpu/webgpuDevice';

export { tf };

/** The versions of the tfjs packages in use. */
export const TFJS_VERSIONS = { core: tf.version_core, cpu: version_cpu } as const;

export type TrainBackendName = 'auto' | 'wasm' | 'cpu' | 'tfjs-node-gpu' | 'webgpu';
export const TRAIN_BACKENDS: readonly TrainBackendName[] = ['auto', 'wasm', 'cpu', 'tfjs-node-gpu', 'webgpu'];

const WASM_FILE = 'tfjs-backend-wasm-simd.wasm';

/** Where the tfjs wasm binaries are: beside the bundle (dist/), else the package's own dist folder. */
function wasmFolder(): string {
  if (existsSync(join(__dirname, WASM_FILE))) return `${__dirname}/`;
  // createRequire: resolved at run time from where this code runs (esbuild would otherwise want the package external).
  const pkg = createRequire(__filename).resolve('@tensorflow/tfjs-backend-wasm/package.json');
  return `${join(dirname(pkg), 'dist')}/`;
}

function tfjsNodeGpuLoads(): boolean {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional, and heavy: loaded only to see whether it can be
    require('@tensorflow/tfjs-node-gpu');
    return true;
  } catch {
    return false;
  }
}

let active: string | undefined;

/**
 * Initialises tfjs with the requested backend and returns the name of the one in use. Calling it again
 * with the same choice is free; a different explicit choice switches backend.
 */
export async function initTf(choice: TrainBackendName = 'auto'): Promise<string> {
  tf.enableProdMode(); // no debug checks, and no "install tfjs-node" banner on the CPU backend
  const wanted = choice === 'auto' ? (tfjsNodeGpuLoads() ? 'tensorflow' : 'wasm') : choice === 'tfjs-node-gpu' ? 'tensorflow' : choice;
  if (active === wanted && tf.getBackend() === wanted) return wanted;
  if (wanted === 'tensorflow' && !tfjsNodeGpuLoads()) {
    throw new Error('backend tfjs-node-gpu: @tensorflow/tfjs-node-gpu is not installed (it is optional; use --backend wasm)');
  }
  if (wanted === 'wasm') setWasmPaths(wasmFolder());
  if (wanted === 'webgpu' && !tf.findBackendFactory('webgpu')) {
    await provideNavigatorGpu({ allowSoftware: true });
    await import('@tensorflow/tfjs-backend-webgpu');
  }
  if (!(await tf.setBackend(wanted))) throw new Error(`tfjs backend "${wanted}" failed to initialise`);
  await tf.ready();
  active = wanted;
  return wanted;
}

/** Whether the active backend reads tensors only asynchronously (dataSync needs an awaited data() first). */
export function readsAsync(): boolean {
  return tf.getBackend() === 'webgpu';
}
