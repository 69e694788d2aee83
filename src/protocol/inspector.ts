/**
 * Messages between the inspector webview (webview/inspector) and the extension host. The host first
 * pushes the file's `header` (no tensor data read); the webview then asks for what it shows — statistics
 * per tensor, a tensor's values to draw, INR reconstructions, a diff — as requests of INSPECTOR_RPC
 * (rpc.ts), and sends three one-way notices (ready, refresh, closeDiff). The webview never names a path:
 * the file to diff against is chosen in the host's own dialog. Float arrays travel as base64
 * (src/protocol/wire.ts). Messages from the webview are untrusted input: requests are checked against
 * INSPECTOR_RPC's parameter checkers, notices by `parseInspectorNotice` (shape.ts).
 */
import type { Histogram } from '../core/inspect/histogram';
import type { DiffReport, InspectHeader, Reconstruction, TensorStats } from '../core/inspect/reportTypes';
import type { TensorValues } from '../core/inspect/tensorValues';
import { returns } from './rpc';
import { integer, nullable, numberIn, oneOf, ProtocolError, tagged, type Check, type TaggedUnion } from './shape';
import type { InrView } from '../core/inr/renderImage';
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
export type { InrView } from '../core/inr/renderImage';
export { DEFAULT_VIEW } from '../core/inr/renderImage';

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

// ── webview → host: requests ─────────────────────────────────────────────────────────────────────

const tensorName: Check<string> = (v, path) => {
  if (typeof v !== 'string' || v.length === 0 || v.length > INSPECTOR_LIMITS.maxNameLength) {
    throw new ProtocolError(`${path} must be a tensor name (1 to ${INSPECTOR_LIMITS.maxNameLength} characters)`);
  }
  return v;
};

/** How a 3-D INR is drawn: its surface from a camera (degrees), or the slice {axis = at} of its distance field. */
export const inrView: Check<InrView> = tagged<InrView, 'kind'>('kind', {
  surface: { azimuth: numberIn(-360, 360), elevation: numberIn(-90, 90) },
  slice: { axis: oneOf('x', 'y', 'z'), at: numberIn(-1, 1) },
});

/** What the webview asks the host (rpc.ts), each answered by one result or a typed error. */
export const INSPECTOR_RPC = {
  /** Statistics of one tensor. */
  tensorStats: returns<TensorStats>()({ name: tensorName }),
  /** What to draw for one tensor: histogram with `bins` bins, heatmap, norms. */
  tensorValues: returns<WireTensorValues>()({ name: tensorName, bins: integer(1, INSPECTOR_LIMITS.maxBins) }),
  /** INR `index` of the inspected file, or of the file diffed against, rendered. */
  reconstruct: returns<WireReconstruction>()({
    source: oneOf('file', 'other'),
    index: integer(0, INSPECTOR_LIMITS.maxInrIndex),
    resolution: integer(INSPECTOR_LIMITS.minResolution, INSPECTOR_LIMITS.maxResolution),
    /** A 3-D INR's view; null: its surface from the default camera (2-D INRs ignore it). */
    view: nullable(inrView),
  }),
  /** "Compare with…": the host shows an open dialog; the picked file's header, null when cancelled. */
  pickDiffFile: returns<InspectHeader | null>()({}),
  /** The per-tensor difference to the picked file. */
  diff: returns<DiffReport>()({}),
};
export type InspectorRpc = typeof INSPECTOR_RPC;

// ── webview → host: notices ──────────────────────────────────────────────────────────────────────

const NOTICES = {
  /** The webview has loaded: the host sends the header or the error. */
  ready: {},
  /** Read the file again. */
  refresh: {},
  /** Let the file compared with go. */
  closeDiff: {},
};
export type InspectorNotice = TaggedUnion<'type', typeof NOTICES>;

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

export type HostToInspector = InspectorHeaderMessage | InspectorErrorMessage;

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

/** A Reconstruction with its pixels as base64. */
export type WireReconstruction = Omit<Reconstruction, 'pixels'> & { readonly pixels: string; readonly source: 'file' | 'other' };

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

const checkNotice = tagged<InspectorNotice, 'type'>('type', NOTICES);

/**
 * A fresh, well-formed notice built from the checked values, or a ProtocolError naming the field: extra
 * keys, accessors, non-plain prototypes and wrong types are all refused, and nothing of `value` itself
 * reaches the host. (Requests are checked by the RPC layer against INSPECTOR_RPC.)
 */
export function checkInspectorNotice(value: unknown): InspectorNotice {
  return checkNotice(value, 'inspector message');
}

/**
 * As checkInspectorNotice, but undefined for anything it refuses (the host ignores what it cannot read),
 * including values whose inspection itself throws (a Proxy's traps: structured clone never delivers one,
 * but nothing the webview sends may throw in the host's message handler).
 */
export function parseInspectorNotice(value: unknown): InspectorNotice | undefined {
  try {
    return checkInspectorNotice(value);
  } catch {
    return undefined;
  }
}
