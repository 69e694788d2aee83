/**
 * Exports a dataset in the layout the DWSNets and official augmentation loaders read: one `.pth` state
 * dict per INR (`seq.{i}.weight` (out, in), `seq.{i}.bias`) and a splits JSON
 * `{ "train": { "path": [...], "label": [...] }, "val": {...}, "test": {...} }`. Their loaders open each
 * path as written, relative to the working directory, so paths are absolute unless `relativeTo` is given.
 */
import { join, relative, resolve } from 'node:path';
import { writeFileAtomic } from '../io/atomicWrite';
import { writeWeightSet } from '../formats/registry';
import { readManifest, shardPath } from './manifest';
import type { Split } from './plan';
import { readShardItem } from './shard';

export interface ExportResult {
  readonly files: number;
  readonly splitsPath: string;
}

export async function exportDwsnets(
  dir: string,
  out: string,
  options: { relativeTo?: string; onFile?: (done: number, total: number) => void } = {},
): Promise<ExportResult> {
  const manifest = await readManifest(dir);
  const splits: Record<Split, { path: string[]; label: number[] }> = {
    train: { path: [], label: [] },
    val: { path: [], label: [] },
    test: { path: [], label: [] },
  };
  let done = 0;
  for (const item of manifest.items) {
    const file = resolve(out, 'inrs', item.split, String(item.label), `${item.id}.pth`);
    const set = await readShardItem(shardPath(dir, item.shard), item.id);
    await writeWeightSet(file, set, { format: 'pth' });
    splits[item.split].path.push(options.relativeTo === undefined ? file : relative(options.relativeTo, file));
    splits[item.split].label.push(item.label);
    done++;
    options.onFile?.(done, manifest.items.length);
  }
  const splitsPath = join(out, 'splits.json');
  await writeFileAtomic(splitsPath, new TextEncoder().encode(`${JSON.stringify(splits)}\n`));
  return { files: done, splitsPath };
}
