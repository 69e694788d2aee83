/**
 * Messages of the augmentation preview panel: webview ↔ extension host (one union per direction), and
 * host ↔ the panel's render thread. The webview names INRs only by the ids of the host's list (never a
 * path); every message from it is untrusted and reaches the host only through `parsePreviewMessage`,
 * which throws a ProtocolError naming the field, or as a PREVIEW_RPC request (rpc.ts), whose parameters
 * are checked the same way. Big arrays travel as base64 float32 (wire.ts).
 */
import type { ParamSpec } from '../core/augment/params';
import { returns, type ParamsOf } from './rpc';
import { integer, nonEmptyString, nullable, number, object, ProtocolError, tagged, type Check, type Parsed, type TaggedUnion } from './shape';

export type { ParamSpec } from '../core/augment/params';
/** The registry's own range check, so the webview flags a value exactly as the host would refuse it. */
export { describeRange, paramProblem } from '../core/augment/params';

/** Samples per render: one, or the grid of eight. */
export const PREVIEW_COUNTS = [1, 8] as const;
export type PreviewCount = (typeof PREVIEW_COUNTS)[number];

/** A seed is a 32-bit unsigned integer, as for `wslab augment --seed`. */
export const MAX_SEED = 2 ** 32 - 1;

// ── shared values ─────────────────────────────────────────────────────────────────────────────────

/** An INR the panel can show: its id in the host's list and what to call it. */
export interface InrEntry {
  readonly id: string;
  /** e.g. "img409-v0 · 7" (the class), or a file's name. */
  readonly label: string;
}

/** An augmentation of the registry as the webview needs it to build its controls. */
export interface AugmentationInfo {
  readonly name: string;
  readonly description: string;
  readonly law: string;
  readonly kind: 'exact-symmetry' | 'input-warp' | 'approximate';
  /** MixUp family: the panel shows the partner picker and the aligned/unaligned comparison. */
  readonly requiresPartner: boolean;
  readonly params: readonly ParamSpec[];
}

/** What to render; also what the webview saves in its state (selectionFields below). */
export type PreviewSelection = Parsed<typeof selectionFields>;

/** A weight matrix for a heatmap; `values` is base64 float32, rows × cols (downsampled from out × in when large). */
export interface WireMatrix {
  readonly layer: number;
  readonly rows: number;
  readonly cols: number;
  readonly outFeatures: number;
  readonly inFeatures: number;
  readonly values: string;
}

export interface WireImage {
  /** base64 float32, size × size × channels, pixel-major, values ~[0, 1]. */
  readonly pixels: string;
  readonly weights: readonly WireMatrix[];
}

export interface WireSample extends WireImage {
  /** max|g(x) − f(A x + t)| on the grid; null when it is not finite (a broken network). */
  readonly error: number | null;
  readonly description: string;
  readonly partner: string | null;
}

export interface WireMix {
  readonly partner: string;
  readonly alpha: number;
  readonly partnerImage: WireImage;
  readonly unaligned: WireSample;
  readonly aligned: WireSample;
}

export interface WirePreview {
  readonly selection: PreviewSelection;
  readonly size: number;
  readonly channels: number;
  /** Errors are against the warped original f(A x + t) (input warps), else against f. */
  readonly warped: boolean;
  readonly original: WireImage;
  readonly samples: readonly WireSample[];
  readonly mix: WireMix | null;
  readonly elapsedMs: number;
}

// ── webview → host ────────────────────────────────────────────────────────────────────────────────

const TO_HOST = {
  /** The page has loaded: send `init`. The webview's only notice; the rest are PREVIEW_RPC requests. */
  ready: {},
};
export type PreviewToHost = TaggedUnion<'type', typeof TO_HOST>;

// ── host → webview ────────────────────────────────────────────────────────────────────────────────

export interface PreviewInitMessage {
  readonly type: 'init';
  /** The dataset's or file's name. */
  readonly title: string;
  readonly augmentations: readonly AugmentationInfo[];
  readonly inrs: readonly InrEntry[];
  /** The selection to start from (the command's arguments, or the defaults); the webview's saved state wins. */
  readonly selection: PreviewSelection;
  /** Something the user should know about the selection (e.g. only the first step of a chain is shown). */
  readonly note: string | null;
}

export type HostToPreview = PreviewInitMessage;

/** The INR list after "Add a file…", and the new entry's id (null when the dialog was cancelled). */
export interface PickedFile {
  readonly inrs: readonly InrEntry[];
  readonly picked: string | null;
}

// ── validation ────────────────────────────────────────────────────────────────────────────────────

/** Ids, names and parameter keys are short: anything longer is refused before it is looked up. */
const MAX_ID_LENGTH = 512;
const MAX_PARAMS = 16;

const shortString =
  (max: number): Check<string> =>
  (v, path) => {
    const s = nonEmptyString(v, path);
    if (s.length > max) throw new ProtocolError(`${path} must be at most ${max} characters, got ${s.length}`);
    return s;
  };

const id = shortString(MAX_ID_LENGTH);
const name = shortString(64);

const count: Check<PreviewCount> = (v, path) => {
  if (v === 1 || v === 8) return v;
  throw new ProtocolError(`${path} must be 1 or 8, got ${typeof v === 'number' ? v : typeof v}`);
};

/**
 * Parameter values by name: a plain object of at most 16 finite numbers (the ranges are the
 * registry's business: the host resolves them with the augmentation's own parser).
 */
export const paramValues: Check<Record<string, number>> = (v, path) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new ProtocolError(`${path} must be an object, got ${v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v}`);
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) throw new ProtocolError(`${path} must be a plain object`);
  const keys = Reflect.ownKeys(v);
  if (keys.length > MAX_PARAMS) throw new ProtocolError(`${path} has ${keys.length} fields, at most ${MAX_PARAMS} allowed`);
  const out: Record<string, number> = Object.create(null) as Record<string, number>;
  for (const key of keys) {
    if (typeof key !== 'string') throw new ProtocolError(`${path} has a symbol key`);
    name(key, `${path} key`);
    const descriptor = Object.getOwnPropertyDescriptor(v, key)!;
    if (!('value' in descriptor)) throw new ProtocolError(`${path}.${key} must be a data property, got an accessor`);
    out[key] = number(descriptor.value, `${path}.${key}`);
  }
  return { ...out };
};

/** What a render asks for: the same fields in a render request and in the selection a webview restores. */
const selectionFields = {
  inrId: id,
  augmentation: name,
  params: paramValues,
  seed: integer(0, MAX_SEED),
  count,
  /** The MixUp partner; null: drawn from the INR's split, as `wslab augment` does. */
  partnerId: nullable(id),
};

const toHost = tagged<PreviewToHost, 'type'>('type', TO_HOST);

/** The one way into the host for a webview notice; throws ProtocolError naming the field and value. */
export function parsePreviewMessage(value: unknown): PreviewToHost {
  return toHost(value, 'preview message');
}

/** Checks a selection the webview restored from its saved state (same rules as a render request). */
export const selectionCheck: Check<PreviewSelection> = object(selectionFields);

/** What the webview asks the host (rpc.ts). */
export const PREVIEW_RPC = {
  /** Renders a selection; a render still waiting when a newer one arrives fails with code superseded. */
  render: returns<WirePreview>()(selectionFields),
  /** Opens the host's file dialog and adds the weight file picked to the INR list. */
  pickFile: returns<PickedFile>()({}),
};
export type PreviewRpc = typeof PREVIEW_RPC;

/** The host's requests to the panel's render thread (both the extension's own code). */
export const PREVIEW_THREAD_RPC = {
  render: returns<WirePreview>()({
    /** DATASET#ID or a weight file. */
    target: nonEmptyString,
    partnerTarget: nullable(nonEmptyString),
    selection: selectionCheck,
    size: integer(1, 4096),
  }),
};
export type PreviewThreadRpc = typeof PREVIEW_THREAD_RPC;
export type PreviewThreadRequest = ParamsOf<PreviewThreadRpc, 'render'>;
