/** Which SIREN fitting backend runs (the contract every one keeps is in fitBackend.ts). */
import { BACKEND_KINDS, type BackendKind } from './backendKinds';
import type { FitBackend } from './fitBackend';
import { ReferenceBackend } from './reference';
import { createTfjsBackend, tfjsAvailable } from './tfjsBackend';
import { WasmBackend } from './wasmBackend';
import { WebGpuBackend } from './webgpuBackend';
import { GpuError, hardwareWebGpuPossible } from '../gpu/webgpuDevice';

export { DEFAULT_FIT } from './fitBackend';
export { BACKEND_KINDS, type BackendKind } from './backendKinds';
export type { FitBackend, FitHooks, FitOptions, FitProgress, FitResult, FitTask } from './fitBackend';

/**
 * 'auto' = tfjs-node-gpu when that optional module resolves, else WebGPU on a hardware adapter (never a
 * software one), else wasm. 'webgpu' takes the best WebGPU adapter, a software one (SwiftShader: correct,
 * slow) only when there is no GPU.
 */
export async function createBackend(kind: BackendKind, options: { workers?: number } = {}): Promise<FitBackend> {
  if (kind === 'tfjs-node-gpu' || (kind === 'auto' && tfjsAvailable())) return createTfjsBackend();
  if (kind === 'reference') return new ReferenceBackend();
  if (kind === 'webgpu') return WebGpuBackend.create({ allowSoftware: true });
  if (kind === 'auto' && hardwareWebGpuPossible()) {
    const gpu = await WebGpuBackend.create({ allowSoftware: false }).catch((e: unknown) => {
      if (e instanceof GpuError) return null;
      throw e;
    });
    if (gpu) return gpu;
  }
  if (kind === 'wasm' || kind === 'auto') return WasmBackend.create(options.workers);
  throw new Error(`unknown SIREN fitting backend '${String(kind)}' (expected ${BACKEND_KINDS.join(', ')})`);
}
