/**
 * The channel between the extension host and an inspector's worker thread (src/worker/inspectWorker.ts,
 * started by src/extension/panels/inspector/workerClient.ts), as rpc.ts methods. Both ends are this extension's
 * own code in one process; what the webview asked for was checked on the way in (INSPECTOR_RPC).
 */
import type { DiffReport, InspectHeader, Reconstruction, TensorStats } from '../core/inspect/reportTypes';
import type { TensorValues } from '../core/inspect/tensorValues';
import { returns } from './rpc';
import { integer, nonEmptyString, nullable, oneOf, string } from './shape';
import { inrView } from './inspector';

export interface InspectWorkerData {
  /** Absolute path of the inspected file. */
  readonly file: string;
}

export const INSPECT_WORKER_RPC = {
  stats: returns<TensorStats>()({ name: string }),
  values: returns<TensorValues>()({ name: string, bins: integer(1) }),
  reconstruct: returns<Reconstruction>()({ source: oneOf('file', 'other'), index: integer(0), resolution: integer(1), view: nullable(inrView) }),
  /** Opens the file to diff against (replacing any other); the result is its header. */
  openOther: returns<InspectHeader>()({ file: nonEmptyString }),
  diff: returns<DiffReport>()({}),
  closeOther: returns<null>()({}),
};
export type InspectWorkerRpc = typeof INSPECT_WORKER_RPC;
