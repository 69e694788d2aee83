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
import { startBundledWorker } from '../../../core/io/bundledWorker';
import type { InspectWorkerData, InspectWorkerRpc } from '../../../protocol/inspectWorker';
import { ThreadClient } from '../../threadClient';

/** `script` when given, else dist/inspect-worker.js (or its source under tsx). */
function startWorker(data: InspectWorkerData, script: string | undefined): Worker {
  if (script) return new Worker(script, { workerData: data });
  return startBundledWorker('inspect-worker.js', join(__dirname, '..', '..', '..', 'worker', 'inspectWorker.ts'), { workerData: data });
}

export class InspectWorkerClient extends ThreadClient<InspectWorkerRpc> {
  /** `script`: the worker bundle to run instead of the default (tests and measurements use dist/inspect-worker.js). */
  constructor(file: string, script?: string) {
    super(() => startWorker({ file }, script), "the inspector's worker", file);
  }

  /** Stops the worker (at once, even mid-tensor) and fails what is pending. */
  override dispose(): void {
    super.dispose('the inspector was closed');
  }

  /** Stops the worker but stays usable: the next request starts a fresh one (after the file changed). */
  override restart(): void {
    super.restart('the file changed; the request was dropped');
  }
}
