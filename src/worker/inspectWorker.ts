/**
 * The inspector's worker thread (bundled as dist/inspect-worker.js, started by
 * src/extension/panels/inspector/workerClient.ts): it owns the open weight files of one inspector and does its
 * heavy work — reading and decoding tensors, statistics, histograms, heatmaps, INR renders, diffs — so
 * the extension host never blocks on it. It serves INSPECT_WORKER_RPC (rpc.ts): one reply per request,
 * the result or the typed error. The inspected file is opened on the first request; the file to diff
 * against by `openOther`, and let go by `closeOther`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { InspectEngine } from '../core/inspect/engine';
import { RemoteError, toErrorInfo } from '../core/labError';
import { INSPECT_WORKER_RPC, type InspectWorkerData } from '../protocol/inspectWorker';
import { RpcServer } from '../protocol/rpc';

const { file } = workerData as InspectWorkerData;
let main: Promise<InspectEngine> | undefined;
let other: Promise<InspectEngine> | undefined;

function requireOther(): Promise<InspectEngine> {
  if (!other) throw new RangeError('no file to compare with: pick one first');
  return other;
}

const engine = () => (main ??= InspectEngine.open(file));

/**
 * Requests run one at a time, in arrival order: each holds a 16 MiB chunk (a whole tensor when it cannot
 * be read in chunks), so running them side by side would multiply the memory for nothing (the work is CPU-bound on this one thread anyway).
 */
let queue: Promise<unknown> = Promise.resolve();
function inTurn<T>(run: () => Promise<T>): Promise<T> {
  const done = queue.then(run);
  queue = done.catch(() => undefined);
  return done;
}

const server = new RpcServer(
  INSPECT_WORKER_RPC,
  {
    stats: ({ name }) => inTurn(async () => (await engine()).tensorStats(name)),
    values: ({ name, bins }) => inTurn(async () => (await engine()).tensorValues(name, bins)),
    reconstruct: ({ source, index, resolution, view }) =>
      inTurn(async () => (await (source === 'file' ? engine() : requireOther())).reconstruct(index, resolution, view ?? undefined)),
    openOther: (p) =>
      inTurn(async () => {
        const previous = other;
        other = InspectEngine.open(p.file);
        other.catch(() => undefined);
        void previous?.then(
          (e) => e.close(),
          () => undefined,
        );
        try {
          return (await other).header;
        } catch (e) {
          throw new RemoteError(toErrorInfo(e, p.file)); // the error is about the other file
        }
      }),
    diff: () => inTurn(async () => (await engine()).diff(await requireOther())),
    closeOther: () =>
      inTurn(async () => {
        const previous = other;
        other = undefined;
        await previous?.then(
          (e) => e.close(),
          () => undefined,
        );
        return null;
      }),
  },
  (reply) => parentPort?.postMessage(reply),
  file,
);

parentPort?.on('message', (message: unknown) => void server.receive(message));
