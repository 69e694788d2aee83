/**
 * The inspector's worker thread (bundled as dist/inspect-worker.js, started by
 * src/extension/inspector/workerClient.ts): it owns the open weight files of one inspector and does its
 * heavy work — reading and decoding tensors, statistics, histograms, heatmaps, INR renders, diffs — so
 * the extension host never blocks on it. Requests carry an id; each gets exactly one reply with that id,
 * the result or the typed error. The inspected file is opened on the first request; the file to diff
 * against by `openOther`, and let go by `closeOther`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { InspectEngine } from '../core/inspect/engine';
import { toErrorInfo } from '../core/labError';
import type { FromInspectWorker, InspectWorkerData, InspectWorkerOp, ToInspectWorker } from '../protocol/inspectWorker';

const { file } = workerData as InspectWorkerData;
let main: Promise<InspectEngine> | undefined;
let other: Promise<InspectEngine> | undefined;

function requireOther(): Promise<InspectEngine> {
  if (!other) throw new RangeError('no file to compare with: pick one first');
  return other;
}

async function run(request: InspectWorkerOp): Promise<unknown> {
  main ??= InspectEngine.open(file);
  switch (request.op) {
    case 'stats':
      return (await main).tensorStats(request.name);
    case 'values':
      return (await main).tensorValues(request.name, request.bins);
    case 'reconstruct':
      return (await (request.source === 'file' ? main : requireOther())).reconstruct(request.index, request.resolution);
    case 'openOther': {
      const previous = other;
      other = InspectEngine.open(request.file);
      other.catch(() => undefined);
      void previous?.then((engine) => engine.close(), () => undefined);
      return (await other).header;
    }
    case 'diff':
      return (await main).diff(await requireOther());
    case 'closeOther': {
      const previous = other;
      other = undefined;
      await previous?.then((engine) => engine.close(), () => undefined);
      return null;
    }
  }
}

/**
 * Requests run one at a time, in arrival order: each holds a 16 MiB chunk (a whole tensor when it cannot
 * be read in chunks), so running them side by side would multiply the memory for nothing (the work is CPU-bound on this one thread anyway).
 */
let queue: Promise<unknown> = Promise.resolve();

parentPort?.on('message', (message: ToInspectWorker) => {
  const done = queue.then(() => run(message));
  queue = done.catch(() => undefined);
  done.then(
    (result) => parentPort?.postMessage({ id: message.id, ok: true, result } satisfies FromInspectWorker),
    (e: unknown) => {
      const failedFile = message.op === 'openOther' ? message.file : file;
      parentPort?.postMessage({ id: message.id, ok: false, error: toErrorInfo(e, failedFile) } satisfies FromInspectWorker);
    },
  );
});
