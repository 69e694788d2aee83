/**
 * Joins the shards of a dataset made in parts (`--shard i/n`, e.g. a cluster job array) into one
 * manifest. Refuses when a planned shard is missing or damaged, or when the shards folder holds a file
 * the plan does not know (a duplicate or a stray copy): a merged manifest always describes exactly the
 * planned dataset.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DatasetError } from './imageSource';
import { manifestOf, planFromSettings } from './generate';
import { readDatasetSettings, shardFileName, shardPath, SHARDS_DIR, writeManifest, type Manifest, type ManifestItem } from './manifest';
import { groupByShard } from './plan';
import { readFinishedShard } from './shard';

export async function mergeDataset(dir: string): Promise<Manifest> {
  const settings = await readDatasetSettings(dir);
  const plan = planFromSettings(settings);
  const byShard = groupByShard(plan);

  const expectedFiles = new Set(byShard.map((_, k) => shardFileName(k)));
  const present = (await readdir(join(dir, SHARDS_DIR)).catch(() => [] as string[])).filter((f) => !f.startsWith('.'));
  const strays = present.filter((f) => !expectedFiles.has(f));
  const problems: string[] = strays.map((f) => `${join(dir, SHARDS_DIR, f)}: not a shard of this dataset's plan (duplicate or stray file)`);

  const finished = new Map<number, ManifestItem[]>();
  for (const [k, planned] of byShard.entries()) {
    const found = await readFinishedShard(shardPath(dir, k), settings, planned);
    if ('items' in found) finished.set(k, found.items);
    else problems.push(found.problem === 'missing' ? `${shardPath(dir, k)}: missing` : found.problem);
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, 10).join('\n  ');
    throw new DatasetError(`cannot merge ${dir}: ${problems.length} problem(s)\n  ${shown}${problems.length > 10 ? '\n  …' : ''}`);
  }
  const manifest = manifestOf(settings, plan, finished);
  await writeManifest(dir, manifest);
  return manifest;
}
