/**
 * The WebGPU backend: the WGSL fitting kernel (src/core/gpu/sirenFitShader.ts) on a WebGPU device, driven
 * from a worker thread (src/core/gpu/webgpuFitWorker.ts), many networks per dispatch. Each network is
 * fitted on its own workgroup with sums in a fixed order, so results are deterministic for a seed and do
 * not depend on how tasks are batched; they match the reference within float32 rounding (the kernel tests
 * say how close). An abort rejects at once and stops the device between dispatches; the next fit call
 * waits until it has stopped.
 */
import { join } from 'node:path';
import { SHARE_ENV, type Worker } from 'node:worker_threads';
import { startBundledWorker } from '../io/bundledWorker';
import type { AdapterSummary } from '../gpu/webgpuDevice';
import { describeAdapter, GpuError } from '../gpu/webgpuDevice';
import type { FromWebGpuWorker, ToWebGpuWorker, WebGpuWorkerInit } from '../gpu/webgpuFitWorker';
import type { FitBackend, FitHooks, FitOptions, FitResult, FitTask } from './fitBackend';
import { abortError, checkFitTask, flattenLayers, resolveFitOptions, unflattenLayers, type ResolvedFit } from './fitting';
import { psnrFromMse } from './psnr';

/**
 * dist/webgpu-fit-worker.js (or its source under tsx). The worker shares the process environment: Dawn's
 * Vulkan loader reads VK_ICD_FILENAMES from it (webgpuDevice.ts sets it to use SwiftShader), and a
 * worker's own copy of process.env would not reach it.
 */
function startWorker(init: WebGpuWorkerInit): Worker {
  return startBundledWorker('webgpu-fit-worker.js', join(__dirname, '..', 'gpu', 'webgpuFitWorker.ts'), { workerData: init, env: SHARE_ENV });
}

export interface WebGpuBackendOptions {
  /** Accept a software adapter (SwiftShader): correct, slow. */
  readonly allowSoftware?: boolean;
}

export class WebGpuBackend implements FitBackend {
  readonly name = 'webgpu';
  /** The message handler of the fit in progress. */
  private listener: ((message: FromWebGpuWorker) => void) | null = null;
  /** Settles when the worker has finished the previous fit call (also after an abort). */
  private idle: Promise<unknown> = Promise.resolve();
  private failure: Error | null = null;
  private closed = false;

  private constructor(
    private readonly worker: Worker,
    readonly adapter: AdapterSummary,
  ) {
    worker.on('message', (message: FromWebGpuWorker) => this.listener?.(message));
    const fail = (error: Error) => {
      this.failure ??= error;
      this.listener?.({ type: 'error', name: error.name, message: error.message });
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (!this.closed) fail(new GpuError(`the WebGPU worker exited with code ${code}`));
    });
    worker.unref();
  }

  /** Opens a device in a worker thread; rejects with a GpuError when there is none (or only software, unless allowed). */
  static async create(options: WebGpuBackendOptions = {}): Promise<WebGpuBackend> {
    const worker = startWorker({ allowSoftware: options.allowSoftware === true });
    const listeners: { message?: (m: FromWebGpuWorker) => void; error?: (e: Error) => void; exit?: (code: number) => void } = {};
    const adapter = await new Promise<AdapterSummary>((resolve, reject) => {
      listeners.message = (message) => {
        if (message.type === 'ready') resolve(message.adapter);
        else if (message.type === 'error') reject(new GpuError(message.message));
        else reject(new GpuError(`the WebGPU worker sent ${message.type} before it was ready`));
      };
      listeners.error = reject;
      listeners.exit = (code) => reject(new GpuError(`the WebGPU worker exited with code ${code} before it was ready`));
      worker.on('message', listeners.message).on('error', listeners.error).on('exit', listeners.exit);
    })
      .catch(async (error: unknown) => {
        await worker.terminate();
        throw error;
      })
      .finally(() => worker.off('message', listeners.message!).off('error', listeners.error!).off('exit', listeners.exit!));
    return new WebGpuBackend(worker, adapter);
  }

  /** "google swiftshader (SwiftShader driver 5.0.0, software)". */
  get device(): string {
    return describeAdapter(this.adapter);
  }

  /** "webgpu on google swiftshader (SwiftShader driver 5.0.0, software)". */
  describe(): string {
    return `webgpu on ${this.device}`;
  }

  async fit(tasks: readonly FitTask[], options: FitOptions, hooks: FitHooks = {}): Promise<FitResult[]> {
    if (this.closed) throw new Error('this WebGPU fitting backend is closed');
    const fit = resolveFitOptions(options);
    tasks.forEach((task) => checkFitTask(task, fit));
    const own = tasks.find((task) => task.coords);
    if (own)
      throw new GpuError(
        `task ${own.id} has coordinates of its own (a 3-D INR's sample points): the WebGPU kernel fits on one shared grid; use the wasm backend`,
      );
    const { signal } = hooks;
    if (signal?.aborted) throw abortError();
    const run = this.idle.then(() => this.run(tasks, fit, hooks));
    // The worker is idle again once this call's fit has ended in the worker, whatever the caller saw.
    this.idle = run.then(
      (r) => r.finished,
      () => undefined,
    );
    const outcome = run.then((r) => r.results);
    if (!signal) return outcome;
    let onAbort = (): void => undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => {
        this.worker.postMessage({ type: 'cancel' } satisfies ToWebGpuWorker);
        reject(abortError());
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
    return Promise.race([outcome, aborted]).finally(() => signal.removeEventListener('abort', onAbort));
  }

  /** Sends one fit to the worker: `results` settles with it (or its error); `finished` once the worker is done with it. */
  private run(tasks: readonly FitTask[], fit: ResolvedFit, hooks: FitHooks): Promise<{ results: Promise<FitResult[]>; finished: Promise<void> }> {
    if (this.failure) return Promise.reject(this.failure);
    if (hooks.signal?.aborted) return Promise.reject(abortError());
    // A fit in progress keeps the process alive (an idle backend does not).
    this.worker.ref();
    let settleFinished = (): void => undefined;
    const finished = new Promise<void>((resolve) => (settleFinished = resolve)).then(() => this.worker.unref());
    const results = new Promise<FitResult[]>((resolve, reject) => {
      const out = new Array<FitResult>(tasks.length);
      let done = 0;
      let inrSteps = 0;
      this.listener = (message) => {
        if (message.type === 'result') {
          const task = tasks[message.index]!;
          const result = { id: task.id, layers: unflattenLayers(fit.spec, message.params), psnr: psnrFromMse(message.mse), steps: message.steps };
          out[message.index] = result;
          inrSteps += result.steps;
          done++;
          if (hooks.signal?.aborted) return;
          hooks.onResult?.(result);
          hooks.onProgress?.({ done, total: tasks.length, inrSteps });
          return;
        }
        if (message.type === 'ready') return;
        this.listener = null;
        settleFinished();
        if (message.type === 'error') reject(new GpuError(`WebGPU fitting failed: ${message.message}`));
        else if (message.cancelled) reject(abortError());
        else resolve(out);
      };
    });
    this.worker.postMessage({ type: 'fit', fit, tasks: tasks.map((t) => ({ target: t.target, init: flattenLayers(t.init) })) } satisfies ToWebGpuWorker);
    return Promise.resolve({ results, finished });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listener = null;
    await this.worker.terminate();
  }
}
