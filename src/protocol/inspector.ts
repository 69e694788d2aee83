/**
 * Messages between the inspector webview and the extension host: one interface per message, told
 * apart by `type`, gathered into one union per direction. Messages from the webview are untrusted
 * input; the host accepts them only through `parseInspectorMessage`.
 */
import type { InspectReport } from '../core/inspect/reportTypes';

export type { InspectReport, TensorReport } from '../core/inspect/reportTypes';

// ── webview → host ────────────────────────────────────────────────────────────────────────────────

/** The webview has loaded and has nothing to show yet. */
export interface InspectorReadyMessage {
  readonly type: 'ready';
}

/** The user asked to read the file again. */
export interface InspectorRefreshMessage {
  readonly type: 'refresh';
}

export type InspectorToHost = InspectorReadyMessage | InspectorRefreshMessage;

// ── host → webview ────────────────────────────────────────────────────────────────────────────────

/** The inspection report of the file the editor shows. */
export interface InspectorReportMessage {
  readonly type: 'report';
  readonly report: InspectReport;
}

/** Why the file could not be inspected: a WeightFileError's fields, or code 'internal' for anything else. */
export interface InspectorErrorMessage {
  readonly type: 'error';
  readonly error: { readonly code: string; readonly file: string; readonly message: string };
}

export type HostToInspector = InspectorReportMessage | InspectorErrorMessage;

// ── validation ────────────────────────────────────────────────────────────────────────────────────

const INSPECTOR_TO_HOST_TYPES: ReadonlySet<string> = new Set<InspectorToHost['type']>(['ready', 'refresh']);

/**
 * Returns a fresh, well-formed message, or undefined for anything else. Accepted: a plain object
 * (prototype Object.prototype or null) whose only own key is `type`, a data property holding the
 * name of a known message. Nothing of `value` itself is returned, so getters, extra keys and
 * prototype tricks (a `type` inherited through `__proto__`, say) never reach the host.
 */
export function parseInspectorMessage(value: unknown): InspectorToHost | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return undefined;
  const keys = Reflect.ownKeys(value);
  if (keys.length !== 1 || keys[0] !== 'type') return undefined;
  const type: unknown = Object.getOwnPropertyDescriptor(value, 'type')?.value;
  if (typeof type !== 'string' || !INSPECTOR_TO_HOST_TYPES.has(type)) return undefined;
  return { type: type as InspectorToHost['type'] };
}
