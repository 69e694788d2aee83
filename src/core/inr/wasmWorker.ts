/**
 * worker_threads entry of the WASM backend (bundled as dist/inr-worker.js): one SIREN kernel instance
 * per worker, instantiated from the module the pool compiled. It fits the networks the pool sends, one
 * at a time, and posts each result back (weights flattened, buffer transferred).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { flattenLayers, unflattenLayers, type ResolvedFit } from './fitting';
import { SirenKernel, type KernelModule } from './wasmKernel';

export interface WorkerInit {
  readonly module: KernelModule;
}

export type ToWorker =
  | { readonly type: 'configure'; readonly fit: ResolvedFit }
  | { readonly type: 'fit'; readonly id: string; readonly target: Float32Array; readonly init: Float32Array; readonly coords: Float32Array | null };

export type FromWorker =
  | { readonly type: 'result'; readonly params: Float32Array; readonly psnr: number; readonly steps: number }
  | { readonly type: 'error'; readonly message: string };

function serve(port: NonNullable<typeof parentPort>, init: WorkerInit): void {
  const kernel = new SirenKernel(init.module);
  // A configure failure is reported with the next fit, which is the only message that gets a reply.
  let configured: ResolvedFit | Error = new Error('the SIREN kernel is not configured');
  /** The coordinates the kernel is laid out for, when a task's own (the next task without them lays out the fit's again). */
  let ownCoords: Float32Array | null = null;
  port.on('message', (message: ToWorker) => {
    if (message.type === 'configure') {
      try {
        kernel.configure(message.fit.spec, message.fit.coords);
        configured = message.fit;
        ownCoords = null;
      } catch (error) {
        configured = error instanceof Error ? error : new Error(String(error));
      }
      return;
    }
    try {
      if (configured instanceof Error) throw configured;
      if (message.coords !== ownCoords) {
        kernel.configure(configured.spec, message.coords ?? configured.coords);
        ownCoords = message.coords;
      }
      const result = kernel.fit({ id: message.id, target: message.target, init: unflattenLayers(configured.spec, message.init) }, configured);
      const params = flattenLayers(result.layers);
      port.postMessage({ type: 'result', params, psnr: result.psnr, steps: result.steps } satisfies FromWorker, [params.buffer as ArrayBuffer]);
    } catch (error) {
      port.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) } satisfies FromWorker);
    }
  });
}

if (parentPort) serve(parentPort, workerData as WorkerInit);
