/**
 * The inspection report of a weight file: the `wslab inspect --json` output and what the inspector
 * panel shows. Plain JSON, so it crosses process and webview boundaries unchanged.
 */
import type { FormatName, WeightFileReader } from '../formats/format';
import { openWeightFile } from '../formats/registry';
import type { DType } from '../tensor/dtype';
import { tensorStats, type TensorStats } from '../weights/stats';

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

/** Reads each tensor once, computes its statistics and lets it go (memory: one tensor at a time). */
export async function inspectReader(reader: WeightFileReader): Promise<InspectReport> {
  const tensors: TensorReport[] = [];
  for (const info of reader.tensors) {
    const stats = tensorStats(await reader.readTensor(info.name));
    tensors.push({ name: info.name, dtype: info.dtype, shape: [...info.shape], ...stats });
  }
  return { file: reader.file, format: reader.format, metadata: { ...reader.metadata }, tensors };
}

export async function inspectWeightFile(path: string): Promise<InspectReport> {
  const reader = await openWeightFile(path);
  try {
    return await inspectReader(reader);
  } finally {
    await reader.close();
  }
}
