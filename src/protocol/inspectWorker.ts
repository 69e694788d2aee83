/**
 * Messages between the extension host and an inspector's worker thread (src/worker/inspectWorker.ts,
 * started by src/extension/inspector/workerClient.ts). Both ends are this extension's own code in one
 * process, so messages are typed but not re-checked; what the webview asked for was checked on the way
 * in (parseInspectorMessage). Each request carries an id and gets exactly one reply with that id.
 */
import type { ErrorInfo } from './errorInfo';

export interface InspectWorkerData {
  /** Absolute path of the inspected file. */
  readonly file: string;
}

export type InspectWorkerOp =
  | { readonly op: 'stats'; readonly name: string }
  | { readonly op: 'values'; readonly name: string; readonly bins: number }
  | { readonly op: 'reconstruct'; readonly source: 'file' | 'other'; readonly index: number; readonly resolution: number }
  /** Opens the file to diff against (replacing any other); the result is its header. */
  | { readonly op: 'openOther'; readonly file: string }
  | { readonly op: 'diff' }
  | { readonly op: 'closeOther' };

export type ToInspectWorker = InspectWorkerOp & { readonly id: number };

export type FromInspectWorker =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly id: number; readonly ok: false; readonly error: ErrorInfo };
