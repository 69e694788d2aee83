/**
 * Typed errors for everything that reads or writes weight files. Every error names the file and the
 * problem, so a researcher reading the message knows what to fix without a stack trace.
 */
import { LabError, type ErrorCode } from './labError';

/** The codes of weight-file errors (described in labError.ts's ERROR_CODES). */
export type WeightFileErrorCode = Extract<
  ErrorCode,
  | 'not-found'
  | 'io'
  | 'truncated'
  | 'bad-header'
  | 'out-of-bounds'
  | 'overlap'
  | 'unknown-dtype'
  | 'shape-mismatch'
  | 'forbidden-global'
  | 'unsupported'
  | 'unknown-format'
  | 'no-such-tensor'
  | 'not-mlp'
  | 'invalid-value'
>;

export class WeightFileError extends LabError {
  override readonly name = 'WeightFileError';
  constructor(
    override readonly code: WeightFileErrorCode,
    override readonly file: string,
    readonly detail: string,
  ) {
    super(code, `${file}: ${detail}`, file);
  }

  toJSON(): { code: WeightFileErrorCode; file: string; message: string } {
    return { code: this.code, file: this.file, message: this.message };
  }
}

export function isWeightFileError(e: unknown): e is WeightFileError {
  return e instanceof WeightFileError;
}
