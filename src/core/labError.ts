/**
 * The one base of every error a user can cause and fix — a bad weight file, config, dataset, image, run
 * folder, augmentation, path, cluster answer — each with a code from ERROR_CODES. The CLI prints
 * `wslab: error [code] message` and exits 1 for any of them; the panels show the code and message in their
 * error box. Anything that is not a LabError is a bug, reported as `internal`.
 */

/** The codes a LabError may carry, and `internal`, which only an ErrorInfo has. */
export const ERROR_CODES = [
  // weight files (WeightFileError)
  'not-found', // the file does not exist or cannot be opened
  'io', // the operating system refused a read or write
  'truncated', // the file ends before the data its header promises
  'bad-header', // the header cannot be parsed or contradicts itself
  'out-of-bounds', // a data offset or length points outside the file
  'overlap', // two tensors claim the same bytes
  'unknown-dtype', // a dtype this reader does not know
  'shape-mismatch', // the shape does not match the number of bytes
  'forbidden-global', // a pickle names a global outside the allow-list (never executed)
  'unsupported', // a valid file using a feature this reader does not implement
  'unknown-format', // not a weight file format we recognise
  'no-such-tensor', // a tensor name that is not in the file
  'invalid-value', // a value that cannot be written (e.g. a name or metadata that the format forbids)
  // the rest of the lab
  'not-mlp', // the tensors do not form a multilayer perceptron (NotAnMlpError)
  'dataset', // an image source or INR dataset folder (DatasetError)
  'image-decode', // an image file that cannot be decoded (ImageDecodeError)
  'config', // an experiment config (ConfigError)
  'bad-run-folder', // a run folder (RunFolderError)
  'checkpoint', // a classifier checkpoint (CheckpointError)
  'augment', // an augmentation name or parameter (AugmentError)
  'unsafe-path', // a path leading out of the workspace (UnsafePathError)
  'study', // a study file (StudyError)
  'bad-study', // a study's study.json (StudyResultError)
  'cluster', // Slurm's tools or a job record (ClusterError)
  'gpu', // WebGPU: no adapter, a shader or device failure (GpuError)
  'mesh', // a mesh file: OBJ, STL or PLY (MeshError)
  // requests from a panel
  'invalid-request', // a request the file or panel cannot answer (no such INR, a bad resolution)
  'bad-message', // a message that is not one of the protocol's
  'superseded', // a request replaced by a newer one before it ran
  'no-answer', // the host did not answer a panel's request (in time)
  'render', // a panel could not draw what it got
  // ErrorInfo only
  'internal', // anything else: a bug
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class LabError extends Error {
  constructor(
    readonly code: Exclude<ErrorCode, 'internal'>,
    message: string,
    /** The file it is about, when it is about one. */
    readonly file?: string,
  ) {
    super(message);
  }
}

/** An error as it crosses a process or webview boundary. */
export interface ErrorInfo {
  readonly code: ErrorCode;
  /** The file it is about ('' when none). */
  readonly file: string;
  readonly message: string;
}

/** An error that arrived as an ErrorInfo from the other side of a channel (protocol/rpc.ts), with its code. */
export class RemoteError extends Error {
  override readonly name = 'RemoteError';
  constructor(readonly info: ErrorInfo) {
    super(info.message);
  }
}

/**
 * Any thrown value as an ErrorInfo about `file`: a LabError keeps its code (and its own file, if it names
 * one), a RemoteError its ErrorInfo.
 */
export function toErrorInfo(e: unknown, file: string): ErrorInfo {
  if (e instanceof RemoteError) return e.info;
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof LabError) return { code: e.code, file: e.file ?? file, message };
  if (e instanceof RangeError) return { code: 'invalid-request', file, message };
  return { code: 'internal', file, message };
}
