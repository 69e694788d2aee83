/**
 * The WASM backend: a pool of worker_threads, each with its own instance of the fused SIREN kernel
 * (wasmKernel.ts), compiled once here and shared. Networks are handed out dynamically, one per idle
 * worker; each is fitted independently and deterministically, so results do not depend on the number
 * of workers, and come back in task order. An abort rejects at once and stops handing out networks;
 * the networks in flight finish in the background before the pool takes the next fit call.
 * Specs the kernel cannot lay out are fitted by the reference fitter instead, with a process warning.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { startBundledWorker } from '../io/bundledWorker';
import type { FitBackend, FitHooks, FitOptions, FitResult, FitTask } from './fitBackend';
import { abortError, checkFitTask, fitOneByOne, flattenLayers, resolveFitOptions, unflattenLayers, type ResolvedFit } from './fitting';
import { referenceFit } from './reference';
import { kernelUnsupportedReason, loadKernelModule, type KernelFlavour, type KernelModule } from './wasmKernel';
import type { FromWorker, ToWorker, WorkerInit } from './wasmWorker';

/** A worker running wasmWorker.ts (dist/inr-worker.js, or the source under tsx). */
function startWorker(init: WorkerInit): Worker {
  return startBundledWorker('inr-worker.js', join(__dirname, 'wasmWorker.ts'), { workerData: init });
}

/** One worker fitting one network at a time; replaced by a fresh one if it dies. */
class PoolWorker {
  private worker!: Worker;
  private configuredFor: ResolvedFit | null = null;
  private pending: { resolve: (reply: FromWorker & { type: 'result' }) => void; reject: (error: Error) => void } | null = null;
  private closing = false;
  /** Set when a worker dies before starting (e.g. its script is missing): restarting would only repeat that. */
  private broken: Error | null = null;

  constructor(private readonly init: WorkerInit) {
    this.start();
  }

  private start(): void {
    const worker = startWorker(this.init);
    worker.unref();
    let crash: Error | null = null;
    let online = false;
    worker.on('online', () => (online = true));
    worker.on('message', (reply: FromWorker) => {
      const pending = this.settle();
      if (reply.type === 'result') pending?.resolve(reply);
      else pending?.reject(new Error(reply.message));
    });
    worker.on('error', (error) => (crash = error));
    worker.on('exit', (code) => {
      if (this.closing) return;
      const error = crash ?? new Error(`SIREN worker exited with code ${code}`);
      this.settle()?.reject(error);
      this.configuredFor = null;
      if (online) this.start();
      else this.broken = error;
    });
    this.worker = worker;
  }

  private settle(): PoolWorker['pending'] {
    const pending = this.pending;
    this.pending = null;
    this.worker.unref();
    return pending;
  }

  fit(fit: ResolvedFit, task: FitTask): Promise<FitResult> {
    return new Promise<FromWorker & { type: 'result' }>((resolve, reject) => {
      if (this.closing) throw new Error('the WASM fitting backend was closed');
      if (this.broken) throw this.broken;
      this.pending = { resolve, reject };
      this.worker.ref();
      if (this.configuredFor !== fit) {
        this.worker.postMessage({ type: 'configure', fit } satisfies ToWorker);
        this.configuredFor = fit;
      }
      this.worker.postMessage({
        type: 'fit',
        id: task.id,
        target: task.target,
        init: flattenLayers(task.init),
        coords: task.coords ?? null,
      } satisfies ToWorker);
    }).then((reply) => ({ id: task.id, layers: unflattenLayers(fit.spec, reply.params), psnr: reply.psnr, steps: reply.steps }));
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.worker.terminate();
    this.settle()?.reject(new Error('the WASM fitting backend was closed during the fit'));
  }
}

export class WasmBackend implements FitBackend {
  private readonly workers: PoolWorker[];
  /** Settles when the previous fit call has no network in flight. */
  private idle: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    readonly name: KernelFlavour,
    module: KernelModule,
    workerCount: number,
  ) {
    this.workers = Array.from({ length: workerCount }, () => new PoolWorker({ module }));
  }

  /** `workers` defaults to os.availableParallelism(). */
  static async create(workers = availableParallelism()): Promise<WasmBackend> {
    if (!Number.isInteger(workers) || workers < 1) throw new Error(`worker count must be a positive integer, got ${workers}`);
    const { module, flavour } = loadKernelModule();
    return new WasmBackend(flavour, module, workers);
  }

  async fit(tasks: readonly FitTask[], options: FitOptions, hooks: FitHooks = {}): Promise<FitResult[]> {
    if (this.closed) throw new Error('this WASM fitting backend is closed');
    const fit = resolveFitOptions(options);
    tasks.forEach((task) => checkFitTask(task, fit));
    const unsupported = kernelUnsupportedReason(fit.spec);
    if (unsupported) {
      process.emitWarning(`${unsupported}; fitting with the reference backend instead`);
      return fitOneByOne(tasks, options, hooks, referenceFit);
    }
    const { signal } = hooks;
    if (signal?.aborted) throw abortError();
    const run = this.idle.then(() => this.distribute(tasks, fit, hooks));
    this.idle = run.catch(() => undefined);
    if (!signal) return run;
    let onAbort = (): void => undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(abortError());
      signal.addEventListener('abort', onAbort, { once: true });
    });
    return Promise.race([run, aborted]).finally(() => signal.removeEventListener('abort', onAbort));
  }

  /** Each worker takes the next unfitted network until none is left; settles once none is in flight. */
  private async distribute(tasks: readonly FitTask[], fit: ResolvedFit, hooks: FitHooks): Promise<FitResult[]> {
    const results = new Array<FitResult>(tasks.length);
    let next = 0;
    let done = 0;
    let inrSteps = 0;
    let failed = false;
    const stopped = () => failed || hooks.signal?.aborted === true;
    const drain = async (worker: PoolWorker) => {
      try {
        while (next < tasks.length && !stopped()) {
          const index = next++;
          const result = await worker.fit(fit, tasks[index]!);
          if (stopped()) return;
          results[index] = result;
          inrSteps += result.steps;
          hooks.onResult?.(result);
          hooks.onProgress?.({ done: ++done, total: tasks.length, inrSteps });
        }
      } catch (error) {
        failed = true;
        throw error;
      }
    };
    const outcomes = await Promise.allSettled(this.workers.map(drain));
    if (hooks.signal?.aborted) throw abortError();
    const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failure) throw failure.reason;
    return results;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.close()));
  }
}
