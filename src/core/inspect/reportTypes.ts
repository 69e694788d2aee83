/**
 * The inspection report of a weight file: the `wslab inspect --json` output and what the inspector
 * panel shows. Plain JSON, so it crosses process and webview boundaries unchanged. Only dependency-free
 * type imports here, so the browser-side type check can use these types through src/protocol.
 */
import type { FormatName } from '../formats/formatName';
import type { DType } from '../tensor/dtype';
import type { TensorStats } from '../weights/stats';

export interface TensorReport extends TensorStats {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: readonly number[];
}

export interface InspectReport {
  readonly file: string;
  readonly format: FormatName;
  readonly metadata: Readonly<Record<string, string>>;
  readonly tensors: readonly TensorReport[];
}
