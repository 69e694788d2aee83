/**
 * What the inspector knows about a weight file, as plain data: the header (tensor names, dtypes,
 * shapes, the INRs it holds) that is read at once, and the per-tensor statistics computed later on
 * request. `InspectReport` (header + every tensor's statistics) is the `wslab inspect --json` output.
 * Only dependency-free type imports here, so the browser-side type check can use these types through
 * src/protocol.
 */
import type { FormatName } from '../formats/formatName';
import type { DType } from '../tensor/dtype';
import type { TensorStats } from '../weights/stats';

export type { TensorStats };

/** A tensor as its file's header describes it: nothing here needs the tensor's data. */
export interface TensorHeader {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly params: number;
}

export interface TensorReport extends TensorStats {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: readonly number[];
}

/**
 * The implicit neural representations (MLPs with 2-D input) of a file: one for a single INR file, many
 * for a dataset shard (one per `<id>/seq.{i}` family). Found from names and shapes alone.
 */
export interface InrCatalog {
  /** 'single': the file is one INR; 'shard': several networks, `<id>/…` each (a dataset shard). */
  readonly kind: 'single' | 'shard';
  /** One per INR, in file order: the id in a shard, the layer family (e.g. 'seq.{i}') otherwise. */
  readonly names: readonly string[];
  /** The layer family of each INR, e.g. 'img409-v0/seq.{i}' (what `mlpView` takes). */
  readonly families: readonly string[];
  /** The first INR's widths, [in, hidden…, out]. */
  readonly widths: readonly number[];
}

export interface InspectHeader {
  readonly file: string;
  readonly format: FormatName;
  readonly metadata: Readonly<Record<string, string>>;
  readonly tensors: readonly TensorHeader[];
  /** Null when no MLP with 2-D input is in the file. */
  readonly inrs: InrCatalog | null;
}

export interface InspectReport {
  readonly file: string;
  readonly format: FormatName;
  readonly metadata: Readonly<Record<string, string>>;
  readonly tensors: readonly TensorReport[];
}

/** One INR rendered as an image (reconstruct.ts). */
export interface Reconstruction {
  /** The INR's name in the catalog (a shard id, or the layer family). */
  readonly name: string;
  readonly index: number;
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  /** height × width × channels, row-major, pixel-major. */
  readonly pixels: Float32Array;
  readonly label: string | null;
}

export type TensorDiffStatus = 'compared' | 'shape-mismatch' | 'only-in-file' | 'only-in-other';

/** One tensor of a diff (diff.ts). */
export interface TensorDiff {
  readonly name: string;
  readonly status: TensorDiffStatus;
  readonly shape: readonly number[] | null;
  readonly otherShape: readonly number[] | null;
  /** ‖a − b‖₂ over positions where both are finite; null when not compared. */
  readonly l2: number | null;
  readonly maxAbs: number | null;
  /** ‖a − b‖₂ / ‖a‖₂ (null when ‖a‖ = 0 or not compared). */
  readonly relative: number | null;
}

export interface DiffReport {
  readonly file: string;
  readonly otherFile: string;
  readonly tensors: readonly TensorDiff[];
}
