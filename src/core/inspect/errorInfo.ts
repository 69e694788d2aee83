/**
 * Any failure of an inspection as the typed error the inspector shows: a WeightFileError keeps its code
 * and file; a request the file cannot answer (no such INR, a bad resolution) is `invalid-request`;
 * tensors that are not an MLP `not-mlp`; dataset descriptions `dataset`; anything else `internal`.
 */
import { DatasetError } from '../dataset/imageSource';
import { isWeightFileError } from '../errors';
import { NotAnMlpError } from '../weights/mlp';

export interface ErrorInfo {
  readonly code: string;
  readonly file: string;
  readonly message: string;
}

export function errorInfo(e: unknown, file: string): ErrorInfo {
  if (isWeightFileError(e)) return e.toJSON();
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof RangeError) return { code: 'invalid-request', file, message };
  if (e instanceof NotAnMlpError) return { code: 'not-mlp', file, message };
  if (e instanceof DatasetError) return { code: 'dataset', file, message };
  return { code: 'internal', file, message };
}
