/**
 * worker_threads entry of the WebGPU fitting backend (bundled as dist/webgpu-fit-worker.js): it opens the
 * device once, says which adapter it got, and fits what the backend sends, posting each network's weights
 * as it finishes. A 'cancel' stops the fit in progress between dispatches. The GPU lives in this thread so
 * that waiting on it never blocks the caller's event loop (the extension host stays responsive).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ResolvedFit } from '../inr/fitting';
import { openWebGpu, type AdapterSummary } from './webgpuDevice';
import { WebGpuSirenFitter, type GpuFitTask } from './webgpuSirenFitter';

export interface WebGpuWorkerInit {
  readonly allowSoftware: boolean;
}

export type ToWebGpuWorker = { readonly type: 'fit'; readonly fit: ResolvedFit; readonly tasks: readonly GpuFitTask[] } | { readonly type: 'cancel' };

export type FromWebGpuWorker =
  | { readonly type: 'ready'; readonly adapter: AdapterSummary }
  | { readonly type: 'result'; readonly index: number; readonly params: Float32Array; readonly mse: number; readonly steps: number }
  | { readonly type: 'done'; readonly cancelled: boolean }
  | { readonly type: 'error'; readonly name: string; readonly message: string };

function reportError(port: NonNullable<typeof parentPort>, error: unknown): void {
  const e = error instanceof Error ? error : new Error(String(error));
  port.postMessage({ type: 'error', name: e.name, message: e.message } satisfies FromWebGpuWorker);
}

async function serve(port: NonNullable<typeof parentPort>, init: WebGpuWorkerInit): Promise<void> {
  let fitter: WebGpuSirenFitter;
  try {
    const gpu = await openWebGpu({ allowSoftware: init.allowSoftware });
    fitter = new WebGpuSirenFitter(gpu);
    port.postMessage({ type: 'ready', adapter: gpu.adapter } satisfies FromWebGpuWorker);
  } catch (error) {
    reportError(port, error);
    return;
  }
  let cancelled = false;
  let queue = Promise.resolve();
  port.on('message', (message: ToWebGpuWorker) => {
    if (message.type === 'cancel') {
      cancelled = true;
      return;
    }
    cancelled = false;
    queue = queue.then(async () => {
      try {
        await fitter.fit(message.fit, message.tasks, {
          onResult: (index, params, mse, steps) =>
            port.postMessage({ type: 'result', index, params, mse, steps } satisfies FromWebGpuWorker, [params.buffer as ArrayBuffer]),
          stopped: () => cancelled,
        });
        port.postMessage({ type: 'done', cancelled } satisfies FromWebGpuWorker);
      } catch (error) {
        reportError(port, error);
      }
    });
  });
}

if (parentPort) void serve(parentPort, workerData as WebGpuWorkerInit);
