/** Computes the full inspection report of a weight file: the header and every tensor's statistics. */
import type { WeightFileReader } from '../formats/format';
import { openWeightFile } from '../formats/registry';
import { chunkedTensorStats } from '../weights/stats';
import { readTensorChunks } from '../formats/chunks';
import type { InspectReport, TensorReport } from './reportTypes';

export type { InspectReport, TensorReport };

/**
 * Computes each tensor's statistics in turn, reading it in bounded chunks where the format allows
 * (tensorChunks.ts; otherwise whole), and lets it go: memory is one chunk, or one tensor, at a time.
 */
export async function inspectReader(reader: WeightFileReader): Promise<InspectReport> {
  const tensors: TensorReport[] = [];
  for (const info of reader.tensors) {
    const stats = await chunkedTensorStats(readTensorChunks(reader, info.name));
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
