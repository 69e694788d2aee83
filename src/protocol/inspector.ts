/**
 * Messages between the inspector webview (webview/inspector) and the extension host: one interface per
 * message, told apart by `type`, gathered into one union per direction. The host first pushes the
 * file's `header` (no tensor data read); the webview then asks for what it shows — statistics per
 * tensor, a tensor's values to draw, INR reconstructions, a diff — each request carrying `requestId`
 * and answered by one message carrying `replyTo` (or `failed`). The webview never names a path: the
 * file to diff against is chosen in the host's own dialog. Float arrays travel as base64
 * (src/protocol/wire.ts). Messages from the webview are untrusted input: the host accepts them only
 * through `parseInspectorMessage`, built from the shape.ts checkers.
 */
import type { Histogram } from '../core/inspect/histogram';
import type { DiffReport, InspectHeader, Reconstruction, TensorStats } from '../core/inspect/reportTypes';
import type { TensorValues } from '../core/inspect/tensorValues';
import { integer, oneOf, ProtocolError, tagged, type Check } from './shape';
import { encodeFloat32 } from './wire';
import type { ErrorInfo } from './errorInfo';

export type {
  DiffReport,
  InrCatalog,
  InspectHeader,
  InspectReport,
  TensorDiff,
  TensorDiffStatus,
  TensorHeader,
  TensorReport,
  TensorStats,
} from '../core/inspect/reportTypes';
export type { Histogram } from '../core/inspect/histogram';

/** Bounds the webview's requests may ask for (the host also bounds the work, whatever it is asked). */
export const INSPECTOR_LIMITS = {
  maxBins: 1024,
  minResolution: 4,
  maxResolution: 512,
  /** INR indices (a shard holds at most a few thousand). */
  maxInrIndex: 1 << 24,
  /** Tensor names longer than this are not in any file we open (safetensors' header is 100 MB at most, but names are short). */
  maxNameLength: 65_536,
} as const;

// ── webview → host ────────────────────────────────────────────────────────────────────────────────

/** The webview has loaded and has nothing to show yet: the host sends the header (or the error). */
export interface InspectorReadyMessage {
  readonly type: 'ready';
}

/** The user asked to read the file again. */
export interface InspectorRefreshMessage {
  readonly type: 'refresh';
}

/** Statistics of one tensor; answered by `tensorStats`. */
export interface InspectorTensorStatsRequest {
  readonly type: 'tensorStats';
  readonly requestId: number;
  readonly name: string;
}

/** What to draw for one tensor (histogram with `bins` bins, heatmap, norms); answered by `tensorValues`. */
export interface InspectorTensorValuesRequest {
  readonly type: 'tensorValues';
  readonly requestId: number;
  readonly name: string;
  readonly bins: number;
}

/** Render INR `index` of the inspected file, or of the file diffed against; answered by `reconstruction`. */
export interface InspectorReconstructRequest {
  readonly type: 'reconstruct';
  readonly requestId: number;
  readonly source: 'file' | 'other';
  readonly index: number;
  readonly resolution: number;
}

/** "Compare with…": the host shows an open dialog; answered by `diffFile` (header null when cancelled). */
export interface InspectorPickDiffFileRequest {
  readonly type: 'pickDiffFile';
  readonly requestId: number;
}

/** The per-tensor difference to the picked file; answered by `diffReport`. */
export interface InspectorDiffRequest {
  readonly type: 'diff';
  readonly requestId: number;
}

/** The user closed the diff: the host lets the other file go. */
export interface InspectorCloseDiffMessage {
  readonly type: 'closeDiff';
}

export type InspectorToHost =
  | InspectorReadyMessage
  | InspectorRefreshMessage
  | InspectorTensorStatsRequest
  | InspectorTensorValuesRequest
  | InspectorReconstructRequest
  | InspectorPickDiffFileRequest
  | InspectorDiffRequest
  | InspectorCloseDiffMessage;

export type InspectorRequest = Extract<InspectorToHost, { requestId: number }>;

// ── host → webview ────────────────────────────────────────────────────────────────────────────────

/** The header of the file the editor shows (pushed on ready, refresh and when the file changes). */
export interface InspectorHeaderMessage {
  readonly type: 'header';
  readonly header: InspectHeader;
}

/** Why the file could not be inspected: a WeightFileError's fields, or code 'internal' for anything else. */
export interface InspectorErrorMessage {
  readonly type: 'error';
  readonly error: ErrorInfo;
}

export interface InspectorTensorStatsReply {
  readonly type: 'tensorStats';
  readonly replyTo: number;
  readonly name: string;
  readonly stats: TensorStats;
}

/** TensorValues with its float arrays as base64 (wire.ts). */
export interface WireTensorValues {
  readonly name: string;
  readonly shape: readonly number[];
  readonly stats: TensorStats;
  readonly histogram: Histogram;
  readonly matrix: {
    readonly rows: number;
    readonly cols: number;
    readonly blockRows: number;
    readonly blockCols: number;
    readonly sourceRows: number;
    readonly sourceCols: number;
    readonly values: string;
  };
  readonly norms: { readonly rows: string; readonly cols: string; readonly rowBlock: number; readonly colBlock: number };
}

export interface InspectorTensorValuesReply {
  readonly type: 'tensorValues';
  readonly replyTo: number;
  readonly values: WireTensorValues;
}

/** A Reconstruction with its pixels as base64. */
export type WireReconstruction = Omit<Reconstruction, 'pixels'> & { readonly pixels: string; readonly source: 'file' | 'other' };

export interface InspectorReconstructionReply {
  readonly type: 'reconstruction';
  readonly replyTo: number;
  readonly reconstruction: WireReconstruction;
}

export interface InspectorDiffFileReply {
  readonly type: 'diffFile';
  readonly replyTo: number;
  /** The picked file's header; null when the dialog was cancelled. */
  readonly header: InspectHeader | null;
}

export interface InspectorDiffReply {
  readonly type: 'diffReport';
  readonly replyTo: number;
  readonly diff: DiffReport;
}

/** A request that could not be answered: the typed error (a bad tensor name, an unreadable other file, …). */
export interface InspectorFailedReply {
  readonly type: 'failed';
  readonly replyTo: number;
  readonly error: ErrorInfo;
}

export type InspectorReply =
  | InspectorTensorStatsReply
  | InspectorTensorValuesReply
  | InspectorReconstructionReply
  | InspectorDiffFileReply
  | InspectorDiffReply
  | InspectorFailedReply;

export type HostToInspector = InspectorHeaderMessage | InspectorErrorMessage | InspectorReply;

// ── conversions ───────────────────────────────────────────────────────────────────────────────────

export function toWireValues(values: TensorValues): WireTensorValues {
  const { matrix, norms } = values;
  return {
    name: values.name,
    shape: values.shape,
    stats: values.stats,
    histogram: values.histogram,
    matrix: { ...matrix, values: encodeFloat32(matrix.values) },
    norms: { rows: encodeFloat32(norms.rows), cols: encodeFloat32(norms.cols), rowBlock: norms.rowBlock, colBlock: norms.colBlock },
  };
}

export function toWireReconstruction(reconstruction: Reconstruction, source: 'file' | 'other'): WireReconstruction {
  return { ...reconstruction, pixels: encodeFloat32(reconstruction.pixels), source };
}

// ── validation ────────────────────────────────────────────────────────────────────────────────────

const requestId = integer(0, Number.MAX_SAFE_INTEGER);

const tensorName: Check<string> = (v, path) => {
  if (typeof v !== 'string' || v.length === 0 || v.length > INSPECTOR_LIMITS.maxNameLength) {
    throw new ProtocolError(`${path} must be a tensor name (1 to ${INSPECTOR_LIMITS.maxNameLength} characters)`);
  }
  return v;
};

const checkMessage = tagged<InspectorToHost, 'type'>('type', {
  ready: {},
  refresh: {},
  tensorStats: { requestId, name: tensorName },
  tensorValues: { requestId, name: tensorName, bins: integer(1, INSPECTOR_LIMITS.maxBins) },
  reconstruct: {
    requestId,
    source: oneOf('file', 'other'),
    index: integer(0, INSPECTOR_LIMITS.maxInrIndex),
    resolution: integer(INSPECTOR_LIMITS.minResolution, INSPECTOR_LIMITS.maxResolution),
  },
  pickDiffFile: { requestId },
  diff: { requestId },
  closeDiff: {},
});

/**
 * A fresh, well-formed message built from the checked values, or a ProtocolError naming the field:
 * extra keys, accessors, non-plain prototypes, wrong types and out-of-range numbers are all refused,
 * and nothing of `value` itself reaches the host.
 */
export function checkInspectorMessage(value: unknown): InspectorToHost {
  return checkMessage(value, 'inspector message');
}

/**
 * As checkInspectorMessage, but undefined for anything it refuses (the host ignores what it cannot read),
 * including values whose inspection itself throws (a Proxy's traps: structured clone never delivers one,
 * but nothing the webview sends may throw in the host's message handler).
 */
export function parseInspectorMessage(value: unknown): InspectorToHost | undefined {
  try {
    return checkInspectorMessage(value);
  } catch {
    return undefined;
  }
}

/** Whether a parsed message expects an answer. */
export function isInspectorRequest(message: InspectorToHost): message is InspectorRequest {
  return 'requestId' in message;
}
