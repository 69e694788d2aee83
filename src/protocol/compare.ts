/**
 * Messages between the run comparison panel (webview/compare) and the extension host — also a run view
 * ("Open Run": the panel on one run, with `runView` and its buttons' notices). The webview knows runs only
 * by the ids the host gave them, never by path. Metric columns travel as base64 float32
 * (src/protocol/wire.ts). Messages from the webview are untrusted: the host accepts its notices only
 * through `parseCompareMessage` and its requests only as COMPARE_RPC methods (rpc.ts); both refuse what
 * is wrong, naming the field.
 */
import { returns } from './rpc';
import { integer, oneOf, ProtocolError, tagged, type Check, type TaggedUnion } from './shape';
import type { ErrorInfo } from './errorInfo';

// ── the data of one run ───────────────────────────────────────────────────────────────────────────

export type CompareRunState = 'running' | 'done' | 'failed' | 'cancelled' | 'unknown';
export type CompareSplit = 'train' | 'val' | 'test';
export const COMPARE_SPLITS: readonly CompareSplit[] = ['train', 'val', 'test'];

/** One split's metric records as columns, each the base64 of a Float32Array of the same length. */
export interface MetricColumns {
  readonly step: string;
  readonly epoch: string;
  readonly time: string;
  readonly loss: string;
  readonly accuracy: string;
}
export const METRIC_COLUMNS = ['step', 'epoch', 'time', 'loss', 'accuracy'] as const;

/** The numbers of summary.json the tables show. */
export interface CompareSummary {
  readonly epochs: number;
  readonly epochsDone: number;
  readonly bestValAccuracy: number | null;
  readonly bestEpoch: number | null;
  readonly testAccuracyAtBest: number | null;
  readonly durationSec: number;
}

/** A config value flattened to one cell: nested objects become dotted keys, arrays compact JSON. */
export type FlatValue = string | number | boolean | null;

export interface CompareRun {
  /** The host's id for the run ("r0", "r1", …): all the webview ever names a run by. */
  readonly id: string;
  /** The run folder's name. */
  readonly name: string;
  readonly state: CompareRunState;
  /** Why the run failed or was cancelled (status), when it says. */
  readonly reason?: string;
  readonly summary: CompareSummary | null;
  /** config.json flattened (dotted keys); empty when unreadable. */
  readonly config: Readonly<Record<string, FlatValue>>;
  readonly metrics: Readonly<Record<CompareSplit, MetricColumns>>;
  /** Set when the run folder could not be read; the run is then listed but has no curves. */
  readonly error?: ErrorInfo;
}

// ── a study (the Study view) ─────────────────────────────────────────────────────────────────────

/** One point of a study curve: test accuracy over the seeds finished so far. */
export interface StudyPointWire {
  readonly size: number;
  readonly mean: number | null;
  readonly std: number | null;
  /** Finished seeds at this point. */
  readonly runs: number;
}

export interface StudyCurveWire {
  /** The curve's key (its runs' name prefix): what the webview names it by. */
  readonly key: string;
  readonly label: string;
  /** The curve its data-equivalents are measured against; null for a reference. */
  readonly reference: string | null;
  readonly points: readonly StudyPointWire[];
  /** Per size, the data-equivalent in words ("≈ 4,100 (2.1×)", "> 8,000"). */
  readonly equivalents: Readonly<Record<string, string>>;
}

/** A study's study.json as the Study view shows it. */
export interface StudyWire {
  readonly name: string;
  readonly metric: string;
  readonly sizes: readonly number[];
  readonly seeds: number;
  readonly runsFinished: number;
  readonly runsTotal: number;
  readonly complete: boolean;
  readonly failed: number;
  readonly curves: readonly StudyCurveWire[];
}

// ── webview → host ────────────────────────────────────────────────────────────────────────────────

const TO_HOST = {
  /** The webview has loaded (or reloaded) and wants the runs. */
  ready: {},
  /** "Add runs…": the host shows its run picker and sends the new set. */
  pickRuns: {},
  /** A point of the Study view was clicked: the host shows that point's runs. */
  openStudyPoint: { curve: text(200), size: integer(1) },
  // The buttons of a run view (a panel on one run; ignored by a comparison): each becomes a command.
  /** "Compare with…": the run picker with this run preselected, then the comparison. */
  compareWith: {},
  /** "Resume": train the run on from its last finished epoch (only when it is not done and not running). */
  resumeRun: {},
  /** "Open checkpoint": the run's best.safetensors (or last.safetensors) in the inspector. */
  openCheckpoint: { checkpoint: oneOf('best', 'last') },
  /** "Evaluate…": a checkpoint of the run on a split of its dataset (Evaluate Run…, which asks which). */
  evaluateRun: {},
};
export type CompareToHost = TaggedUnion<'type', typeof TO_HOST>;

// ── host → webview ────────────────────────────────────────────────────────────────────────────────

/** The whole set of runs to show (on ready, after "Add runs…", or when a run's file was rewritten). */
export interface CompareRunsMessage {
  readonly type: 'runs';
  readonly runs: readonly CompareRun[];
}

/** Live update: records appended to a run's metrics.jsonl, and its current state and summary. */
export interface CompareAppendMessage {
  readonly type: 'append';
  readonly id: string;
  readonly state: CompareRunState;
  readonly summary: CompareSummary | null;
  readonly metrics: Readonly<Record<CompareSplit, MetricColumns>>;
}

/** Nothing can be shown (e.g. no run could be read at all). */
export interface CompareErrorMessage {
  readonly type: 'error';
  readonly error: ErrorInfo;
}

/** The study shown in the Study view (sent on ready and whenever its study.json changes); null: no study. */
export interface CompareStudyMessage {
  readonly type: 'study';
  readonly study: StudyWire | null;
  /** Set when study.json could not be read (the view then says so). */
  readonly error?: ErrorInfo;
}

/** Which view to show (the host switches to the runs after a study point was opened). */
export interface CompareViewMessage {
  readonly type: 'view';
  readonly view: 'study' | 'runs';
}

/** A run's state as a run view shows it: `interrupted` is a "running" run whose process is gone. */
export type RunViewState = CompareRunState | 'interrupted';

/** What a run view shows of its run besides the curves and tables (sent after `runs` and on every change). */
export interface RunViewWire {
  /** The id of the run in the `runs` message. */
  readonly id: string;
  readonly name: string;
  readonly state: RunViewState;
  /** Why it failed or was cancelled (status), when it says. */
  readonly reason?: string;
  readonly epochsDone: number | null;
  readonly epochs: number | null;
  /** config.json as pretty JSON (2-space indent); null when it cannot be read (then `configError`). */
  readonly config: string | null;
  readonly configError?: ErrorInfo;
  /** Which checkpoint files exist (best.safetensors, last.safetensors). */
  readonly checkpoints: { readonly best: boolean; readonly last: boolean };
  /** Whether Resume can continue it: failed, cancelled or interrupted. */
  readonly resumable: boolean;
}

/** The panel is a run view (one run): its state, config and the buttons' availability. */
export interface CompareRunViewMessage {
  readonly type: 'runView';
  readonly run: RunViewWire;
}

export type HostToCompare = CompareRunsMessage | CompareAppendMessage | CompareErrorMessage | CompareStudyMessage | CompareViewMessage | CompareRunViewMessage;

// ── validation ────────────────────────────────────────────────────────────────────────────────────

/** Exports larger than this are refused (a 4K two-chart PNG is a few MB; 50 runs' CSV well under 1 MB). */
export const MAX_EXPORT_CHARS = 64 * 1024 * 1024;

/** A bare file name: letters, digits, space, dot, dash, underscore; no folders, not hidden, at most 100 long. */
const fileName: Check<string> = (v, path) => {
  if (typeof v === 'string' && /^[A-Za-z0-9_][A-Za-z0-9 ._-]{0,99}$/.test(v) && !v.includes('..')) return v;
  throw new ProtocolError(
    `${path} must be a plain file name (letters, digits, " ._-", no folders), got ${typeof v === 'string' ? JSON.stringify(v.slice(0, 40)) : typeof v}`,
  );
};

function text(maxChars: number): Check<string> {
  return (v, path) => {
    if (typeof v === 'string' && v.length <= maxChars) return v;
    throw new ProtocolError(`${path} must be a string of at most ${maxChars} characters, got ${typeof v === 'string' ? `${v.length} characters` : typeof v}`);
  };
}

const PNG_DATA_URL = /^data:image\/png;base64,[A-Za-z0-9+/]+={0,2}$/;

const checkMessage = tagged<CompareToHost, 'type'>('type', TO_HOST);

/** The checked notice, a fresh object; throws ProtocolError for anything else. */
export function parseCompareMessage(value: unknown): CompareToHost {
  return checkMessage(value, 'compare message');
}

/** What the webview asks the host (rpc.ts). */
export const COMPARE_RPC = {
  /**
   * Export: the host's save dialog suggests `name`; the result is the saved file, null when cancelled.
   * `data` is a data:image/png;base64 URL (canvas.toDataURL) for png, the text for csv.
   */
  save: returns<string | null>()({ format: oneOf('png', 'csv'), name: fileName, data: text(MAX_EXPORT_CHARS) }, (p, path) => {
    if (p.format === 'png' && !PNG_DATA_URL.test(p.data)) throw new ProtocolError(`${path}.data must be a data:image/png;base64 URL for format "png"`);
    const extension = `.${p.format}`;
    if (!p.name.toLowerCase().endsWith(extension)) throw new ProtocolError(`${path}.name must end in ${extension}, got ${JSON.stringify(p.name)}`);
  }),
};
export type CompareRpc = typeof COMPARE_RPC;
