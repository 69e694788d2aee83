/**
 * An INR dataset in memory for training: every split as one flat Float32Array of networks ([N, P],
 * state-dict order W_0, b_0, … with W (out, in)) with labels, read shard by shard (each shard opened
 * once), and seeded class-stratified subsets of a split.
 */
import { DatasetError } from '../dataset/imageSource';
import { readDatasetSettings, readManifest, shardPath, type DatasetSettings, type ManifestItem } from '../dataset/manifest';
import type { Split } from '../dataset/plan';
import { assertShardInsideDataset } from '../dataset/shard';
import { readWeightSet } from '../formats/registry';
import { parameterCount } from '../weights/network';
import { sirenWidths } from '../inr/spec';
import { deriveSeed, Rng } from '../random/rng';

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
  if (!manifest.complete)
    throw new DatasetError(`${dir}: the dataset is not complete (generation still running or interrupted — rerun wslab generate, then wslab merge)`);
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
        for (const [kind, size] of [
          ['weight', widths[l + 1]! * widths[l]!],
          ['bias', widths[l + 1]!],
        ] as const) {
          const name = `${item.id}/seq.${l}.${kind}`;
          if (!set.has(name)) throw new DatasetError(`${path}: no tensor ${name} for INR ${item.id}`);
          const t = set.get(name);
          if (t.data.length !== size)
            throw new DatasetError(`${path}: ${name} has ${t.data.length} values, the dataset's spec [${widths.join(', ')}] needs ${size}`);
          const bad = t.data.findIndex((v) => !Number.isFinite(v));
          if (bad >= 0)
            throw new DatasetError(
              `${path}: INR ${item.id} holds ${t.data[bad]} in ${name}[${bad}]; a dataset with NaN/Inf weights cannot be trained on (regenerate that shard)`,
            );
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

/**
 * A seeded, class-stratified sample of `limit` networks (a small-data experiment). Each class gets its
 * proportional share limit·n_c/N rounded by largest remainder (ties to the lower class index), so every class
 * is within 1 of its proportional count and the shares sum to `limit`; within a class the networks are the
 * first of a seeded shuffle, so for one seed a larger limit keeps every network of a smaller one. The sample
 * keeps the split's order. null (or a limit ≥ the split's size) keeps the whole split.
 */
export function limitSplit(split: SplitData, limit: number | null, seed: number, classes: number): SplitData {
  if (limit === null || limit >= split.count) return split;
  const byClass: number[][] = Array.from({ length: classes }, () => []);
  split.labels.forEach((label, index) => byClass[label]!.push(index));
  const exact = byClass.map((members) => (limit * members.length) / split.count);
  const quota = exact.map(Math.floor);
  const byRemainder = exact.map((x, c) => ({ c, r: x - quota[c]! })).sort((a, b) => b.r - a.r || a.c - b.c);
  for (let k = 0, left = limit - quota.reduce((a, b) => a + b, 0); k < left; k++) quota[byRemainder[k]!.c]! += 1;
  const chosen: number[] = [];
  byClass.forEach((members, c) => {
    const order = new Rng(deriveSeed(seed, c)).permutation(members.length);
    for (let k = 0; k < quota[c]!; k++) chosen.push(members[order[k]!]!);
  });
  return subsetOf(
    split,
    chosen.sort((a, b) => a - b),
  );
}

/** The training networks a run with this `trainLimit` and seed trains on (its seeded stratified sample). */
export function trainingSample(dataset: DatasetSplits, trainLimit: number | null, seed: number): SplitData {
  return limitSplit(dataset.splits.train, trainLimit, deriveSeed(seed, 4), dataset.classes);
}

/** The networks at `indices` (in that order). */
export function subsetOf(split: SplitData, indices: readonly number[]): SplitData {
  const P = split.data.length / Math.max(1, split.count);
  const data = new Float32Array(indices.length * P);
  indices.forEach((index, n) => data.set(split.data.subarray(index * P, (index + 1) * P), n * P));
  return { ids: indices.map((i) => split.ids[i]!), labels: Int32Array.from(indices, (i) => split.labels[i]!), data, count: indices.length };
}

/** How many networks of each class a split holds. */
export function classCounts(split: SplitData, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (const label of split.labels) counts[label]! += 1;
  return counts;
}
