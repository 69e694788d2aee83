/**
 * Typed errors for everything that reads or writes weight files. Every error names the file and the
 * problem, so a researcher reading the message knows what to fix without a stack trace.
 */
export type WeightFileErrorCode =
  | 'not-found' // the file does not exist or cannot be opened
  | 'io' // the operating system refused a read or write
  | 'truncated' // the file ends before the data its header promises
  | 'bad-header' // the header cannot be parsed or contradicts itself
  | 'out-of-bounds' // a data offset or length points outside the file
  | 'overlap' // two tensors claim the same bytes
  | 'unknown-dtype' // a dtype this reader does not know
  | 'shape-mismatch' // the shape does not match the number of bytes
  | 'forbidden-global' // a pickle names a global outside the allow-list (never executed)
  | 'unsupported' // a valid file using a feature this reader does not implement
  | 'unknown-format' // not a weight file format we recognise
  | 'no-such-tensor' // a tensor name that is not in the file
  | 'not-mlp' // the tensors do not form a multilayer perceptron
  | 'invalid-value'; // a value that cannot be written (e.g. a name or metadata that the format forbids)

export class WeightFileError extends Error {
  override readonly name = 'WeightFileError';
  constructor(
    readonly code: WeightFileErrorCode,
    readonly file: string,
    readonly detail: string,
  ) {
    super(`${file}: ${detail}`);
  }

  toJSON(): { code: WeightFileErrorCode; file: string; message: string } {
    return { code: this.code, file: this.file, message: this.message };
  }
}

export function isWeightFileError(e: unknown): e is WeightFileError {
  return e instanceof WeightFileError;
}
