/**
 * A dataset's shard paths (DIR/shards/NNNNN.safetensors, from the shard numbers in its manifest) must stay
 * inside DIR with symbolic links followed: a `shards` folder or shard file linked elsewhere is refused by
 * every reader and by the writer — never read from, or written to, outside the dataset.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatasetError } from '../../src/core/dataset/imageSource';
import { readDatasetSettings, readManifest, shardPath } from '../../src/core/dataset/manifest';
import { loadInr } from '../../src/core/dataset/loadInr';
import { readFinishedShard, readShardItem, writeShard } from '../../src/core/dataset/shard';
import { loadDatasetSplits } from '../../src/core/train/datasetSplits';
import { planFromSettings } from '../../src/core/dataset/generate';
import { groupByShard } from '../../src/core/dataset/plan';
import { tinyDataset } from '../helpers/tinyDataset';

const refused = (e: unknown) => {
  assert.ok(e instanceof DatasetError, String(e));
  assert.match(e.message, /refused, shard \d{5}\.safetensors is outside/);
  return true;
};

test('a shards folder linked out of the dataset is refused by readers and the writer', async () => {
  const base = mkdtempSync(join(tmpdir(), 'wslab-shard-escape-'));
  const dir = join(base, 'inrs');
  cpSync(await tinyDataset(), dir, { recursive: true });
  const manifest = await readManifest(dir);
  const settings = await readDatasetSettings(dir);
  const item = manifest.items[0]!;
  await loadInr(`${dir}#${item.id}`); // inside: fine

  renameSync(join(dir, 'shards'), join(base, 'elsewhere'));
  symlinkSync(join(base, 'elsewhere'), join(dir, 'shards'));
  await assert.rejects(loadInr(`${dir}#${item.id}`), refused);
  await assert.rejects(readShardItem(shardPath(dir, item.shard), item.id), refused);
  await assert.rejects(loadDatasetSplits(dir), refused);
  const planned = groupByShard(planFromSettings(settings));
  await assert.rejects(readFinishedShard(shardPath(dir, 0), settings, planned[0]!), refused);
  const before = readdirSync(join(base, 'elsewhere'));
  await assert.rejects(writeShard(shardPath(dir, 9), settings, []), refused);
  assert.deepEqual(readdirSync(join(base, 'elsewhere')), before, 'nothing was written through the link');
});

test('one shard file linked to a file outside the dataset is refused', async () => {
  const base = mkdtempSync(join(tmpdir(), 'wslab-shard-link-'));
  const dir = join(base, 'inrs');
  cpSync(await tinyDataset(), dir, { recursive: true });
  const item = (await readManifest(dir)).items[0]!;
  const path = shardPath(dir, item.shard);
  mkdirSync(join(base, 'outside'));
  renameSync(path, join(base, 'outside', 'copy.safetensors'));
  symlinkSync(join(base, 'outside', 'copy.safetensors'), path);
  await assert.rejects(readShardItem(path, item.id), refused);
  await assert.rejects(loadDatasetSplits(dir), refused);
  // A link that stays inside the dataset folder is fine.
  rmSync(path);
  renameSync(join(base, 'outside', 'copy.safetensors'), join(dir, 'kept.safetensors'));
  symlinkSync(join(dir, 'kept.safetensors'), path);
  await readShardItem(path, item.id);
});
