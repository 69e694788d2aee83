/**
 * One INR of a dataset as a weight file of its own (`seq.{i}.weight`/`bias`, the DWSNets layout), so the
 * inspector can show a dataset sample without loading a whole shard: the first INR of the first shard,
 * or the one asked for by id. Reads the shard's header and only that INR's tensors.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DatasetError } from '../dataset/imageSource';
import { SHARDS_DIR } from '../dataset/manifest';
import { readShardItem } from '../dataset/shard';
import { openWeightFile, writeWeightSet } from '../formats/registry';
import { WeightSet } from '../weights/weightSet';

export interface DatasetSample {
  readonly id: string;
  readonly shard: string;
}

/** The shard files of a dataset, in order. */
export async function shardFiles(dir: string): Promise<string[]> {
  const files = await readdir(join(dir, SHARDS_DIR)).catch(() => [] as string[]);
  return files
    .filter((f) => /^\d+\.safetensors$/.test(f))
    .sort()
    .map((f) => join(dir, SHARDS_DIR, f));
}

/** Finds INR `id` (default: the first INR of the first shard) without reading any tensor data. */
export async function findDatasetSample(dir: string, id?: string): Promise<DatasetSample> {
  const shards = await shardFiles(dir);
  if (shards.length === 0) throw new DatasetError(`${dir}: no finished shard yet (${SHARDS_DIR}/ is empty)`);
  for (const shard of shards) {
    const reader = await openWeightFile(shard, 'safetensors');
    try {
      const names = reader.tensors.map((t) => t.name);
      const found = id === undefined ? names[0]?.split('/')[0] : names.some((n) => n.startsWith(`${id}/`)) ? id : undefined;
      if (found) return { id: found, shard };
    } finally {
      await reader.close();
    }
  }
  throw new DatasetError(`${dir}: no INR with id "${id}" in its shards`);
}

/** Writes the sample's tensors to `out` (a .safetensors file) with metadata naming where it came from. */
export async function writeDatasetSample(dir: string, sample: DatasetSample, out: string): Promise<void> {
  const set = await readShardItem(sample.shard, sample.id);
  await writeWeightSet(out, new WeightSet(set.tensors, { 'wslab.dataset': dir, 'wslab.id': sample.id }), { format: 'safetensors' });
}

/** The ids of the INRs in a dataset's first shard (at most `max`), from its header only. */
export async function sampleIds(dir: string, max = 50): Promise<string[]> {
  const [first] = await shardFiles(dir);
  if (!first) return [];
  const reader = await openWeightFile(first, 'safetensors');
  try {
    return [...new Set(reader.tensors.map((t) => t.name.split('/')[0]!))].slice(0, max);
  } finally {
    await reader.close();
  }
}
