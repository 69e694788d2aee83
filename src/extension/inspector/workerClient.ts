/**
 * The extension host's handle on one inspector's worker thread (src/worker/inspectWorker.ts).
 *
 * Why a worker thread, not slicing the work with setImmediate on the host: statistics, histograms and
 * heatmaps stream over a tensor in 16 MiB chunks, but a 1 GiB tensor still takes seconds of CPU, and
 * tensors that cannot be read in chunks (deflated npz members, strided pth views) and SIREN renders are
 * single synchronous calls. In a worker none of it blocks the extension host's event loop, the arrays
 * live on the worker's heap, and `dispose` (terminate) ends an inspection that is no longer wanted,
 * mid-tensor. A thread rather than a forked process (src/worker/worker.ts): it starts
 * in tens of milliseconds and its answers need no serialising to JSON.
 *
 * The worker starts on the first request, not when the editor opens (the header comes from the host
 * itself, so the table shows at once). No vscode import: tests drive it in plain Node.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ErrorInfo } from '../../core/labError';
import { startBundledWorker } from '../../core/io/bundledWorker';
import type { FromInspectWorker, InspectWorkerData, InspectWorkerOp } from '../../protocol/inspectWorker';

/** A request the worker answered with a typed error. */
export class InspectRequestError extends Error {
  override readonly name = 'InspectRequestError';
  constructor(readonly info: ErrorInfo) {
    super(info.message);
  }
}

/** `script` when given, else dist/inspect-worker.js (or its source under tsx). */
function startWorker(data: InspectWorkerData, script: string | undefined): Worker {
  if (script) return new Worker(script, { workerData: data });
  return startBundledWorker('inspect-worker.js', join(__dirname, '..', '..', 'worker', 'inspectWorker.ts'), { workerData: data });
}

interface Pending {
  resolve(result: unknown): void;
  reject(error: Error): void;
}

export class InspectWorkerClient {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private disposed = false;

  /** `script`: the worker bundle to run instead of the default (tests and measurements use dist/inspect-worker.js). */
  constructor(
    private readonly file: string,
    private readonly script?: string,
  ) {}

  /** Sends one request; resolves with the worker's result or rejects with an InspectRequestError. */
  request<T>(op: InspectWorkerOp): Promise<T> {
    if (this.disposed) return Promise.reject(new Error('the inspector was closed'));
    const worker = (this.worker ??= this.start());
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (r: unknown) => void, reject });
      worker.postMessage({ ...op, id });
    });
  }

  /** The worker's thread id, while one runs (for measurements). */
  get threadId(): number | undefined {
    return this.worker?.threadId;
  }

  /** Stops the worker (at once, even mid-tensor) and fails what is pending. */
  dispose(): void {
    this.disposed = true;
    this.stop(new Error('the inspector was closed'));
  }

  /** Stops the worker but stays usable: the next request starts a fresh one (after the file changed). */
  restart(): void {
    this.stop(new Error('the file changed; the request was dropped'));
  }

  private stop(reason: Error): void {
    const worker = this.worker;
    this.worker = undefined;
    this.failAll(reason);
    void worker?.terminate();
  }

  private start(): Worker {
    const worker = startWorker({ file: this.file }, this.script);
    worker.on('message', (message: FromInspectWorker) => {
      const waiting = this.pending.get(message.id);
      if (!waiting) return;
      this.pending.delete(message.id);
      if (message.ok) waiting.resolve(message.result);
      else waiting.reject(new InspectRequestError(message.error));
    });
    // A worker that dies (out of memory, a crash) fails what it held; the next request starts a new one.
    worker.on('error', (e) => {
      if (this.worker === worker) this.worker = undefined;
      this.failAll(new InspectRequestError({ code: 'internal', file: this.file, message: `the inspector's worker failed: ${e.message}` }));
    });
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.failAll(new InspectRequestError({ code: 'internal', file: this.file, message: `the inspector's worker stopped (exit code ${code})` }));
    });
    return worker;
  }

  private failAll(error: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}
