/** Computes the full inspection report of a weight file: the header and every tensor's statistics. */
import type { WeightFileReader } from '../formats/format';
import { openWeightFile } from '../formats/registry';
import { tensorStats } from '../weights/stats';
import type { InspectReport, TensorReport } from './reportTypes';

export type { InspectReport, TensorReport };

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
