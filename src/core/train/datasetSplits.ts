/**
 * An INR dataset in memory for training: every split as one flat Float32Array of networks ([N, P],
 * state-dict order W_0, b_0, … with W (out, in)) with labels, read shard by shard (each shard opened
 * once). Also the per-tensor normalisation the models see (mean and std of each weight and bias tensor
 * over the training split), which is invariant to neuron permutations because it is one scalar per tensor.
 */
import { DatasetError } from '../dataset/imageSource';
import { readDatasetSettings, readManifest, shardPath, type DatasetSettings, type ManifestItem } from '../dataset/manifest';
import type { Split } from '../dataset/plan';
import { assertShardInsideDataset } from '../dataset/shard';
import { readWeightSet } from '../formats/registry';
import { parameterCount } from '../augment/network';
import { sirenWidths } from '../inr/spec';

export interface SplitData {
  readonly ids: readonly string[];
  readonly labels: Int32Array;
  /** [count, P] row-major. */
  readonly data: Float32Array;
  readonly count: number;
}

export interface DatasetSplits {
  readonly dir: string;
  readonly settings: DatasetSettings;
  readonly widths: readonly number[];
  readonly classes: number;
  readonly classNames: readonly string[];
  readonly splits: Readonly<Record<Split, SplitData>>;
}

export async function loadDatasetSplits(dir: string): Promise<DatasetSplits> {
  const [settings, manifest] = await Promise.all([readDatasetSettings(dir), readManifest(dir)]);
  if (!manifest.complete) throw new DatasetError(`${dir}: the dataset is not complete (generation still running or interrupted — rerun wslab generate, then wslab merge)`);
  const widths = sirenWidths(settings.spec);
  const P = parameterCount(widths);
  const classNames = settings.source.classes;
  const byShard = new Map<number, ManifestItem[]>();
  for (const item of manifest.items) byShard.set(item.shard, [...(byShard.get(item.shard) ?? []), item]);

  const rows = new Map<string, Float32Array>();
  for (const [shard, items] of [...byShard].sort((a, b) => a[0] - b[0])) {
    const path = shardPath(dir, shard);
    await assertShardInsideDataset(path);
    const set = await readWeightSet(path, 'safetensors');
    for (const item of items) {
      // By name (a hash lookup per tensor): the shard's layout is the dataset's own, `{id}/seq.{l}.weight|bias`.
      const row = new Float32Array(P);
      let offset = 0;
      for (let l = 0; l + 1 < widths.length; l++) {
        for (const [kind, size] of [['weight', widths[l + 1]! * widths[l]!], ['bias', widths[l + 1]!]] as const) {
          const name = `${item.id}/seq.${l}.${kind}`;
          if (!set.has(name)) throw new DatasetError(`${path}: no tensor ${name} for INR ${item.id}`);
          const t = set.get(name);
          if (t.data.length !== size) throw new DatasetError(`${path}: ${name} has ${t.data.length} values, the dataset's spec [${widths.join(', ')}] needs ${size}`);
          const bad = t.data.findIndex((v) => !Number.isFinite(v));
          if (bad >= 0) throw new DatasetError(`${path}: INR ${item.id} holds ${t.data[bad]} in ${name}[${bad}]; a dataset with NaN/Inf weights cannot be trained on (regenerate that shard)`);
          row.set(t.data, offset);
          offset += size;
        }
      }
      rows.set(item.id, row);
    }
  }

  const split = (name: Split): SplitData => {
    const items = manifest.items.filter((i) => i.split === name).sort((a, b) => a.index - b.index || a.view - b.view);
    const data = new Float32Array(items.length * P);
    items.forEach((item, n) => data.set(rows.get(item.id)!, n * P));
    const labels = Int32Array.from(items, (i) => i.label);
    for (const item of items) {
      if (!Number.isInteger(item.label) || item.label < 0 || item.label >= classNames.length) {
        throw new DatasetError(`${dir}: INR ${item.id} has label ${item.label}, outside the ${classNames.length} classes`);
      }
    }
    return { ids: items.map((i) => i.id), labels, data, count: items.length };
  };
  return { dir, settings, widths, classes: classNames.length, classNames, splits: { train: split('train'), val: split('val'), test: split('test') } };
}

/** The first `limit` training networks (a small-data experiment), keeping the order. */
export function limitSplit(split: SplitData, limit: number | null): SplitData {
  if (limit === null || limit >= split.count) return split;
  const P = split.data.length / Math.max(1, split.count);
  return { ids: split.ids.slice(0, limit), labels: split.labels.slice(0, limit), data: split.data.slice(0, limit * P), count: limit };
}

export interface Normalisation {
  /** Per tensor (W_0, b_0, W_1, …): mean and std over the training networks. */
  readonly mean: Float32Array;
  readonly std: Float32Array;
}

/** Mean and std of each weight and bias tensor over `split` (std floored at 1e-8). */
export function tensorStatistics(split: SplitData, widths: readonly number[]): Normalisation {
  const sizes = tensorSizes(widths);
  const P = parameterCount(widths);
  const mean = new Float32Array(sizes.length);
  const std = new Float32Array(sizes.length);
  let offset = 0;
  sizes.forEach((size, t) => {
    let sum = 0;
    let sumSq = 0;
    for (let n = 0; n < split.count; n++) {
      for (let i = offset; i < offset + size; i++) {
        const v = split.data[n * P + i]!;
        sum += v;
        sumSq += v * v;
      }
    }
    const count = Math.max(1, split.count * size);
    const m = sum / count;
    mean[t] = m;
    std[t] = Math.max(1e-8, Math.sqrt(Math.max(0, sumSq / count - m * m)));
    offset += size;
  });
  return { mean, std };
}

/** Sizes of W_0, b_0, W_1, b_1, … */
export function tensorSizes(widths: readonly number[]): number[] {
  return widths.slice(1).flatMap((out, l) => [out * widths[l]!, out]);
}

/** (x − mean_t) / std_t per tensor, into a new array of the same layout. */
export function normalise(data: Float32Array, widths: readonly number[], norm: Normalisation): Float32Array {
  const sizes = tensorSizes(widths);
  const P = sizes.reduce((a, b) => a + b, 0);
  const out = new Float32Array(data.length);
  for (let base = 0; base < data.length; base += P) {
    let offset = base;
    sizes.forEach((size, t) => {
      const m = norm.mean[t]!;
      const inv = 1 / norm.std[t]!;
      for (let i = offset; i < offset + size; i++) out[i] = (data[i]! - m) * inv;
      offset += size;
    });
  }
  return out;
}
