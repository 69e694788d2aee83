/**
 * One shard of an INR dataset: a safetensors file holding many INRs (`{id}/seq.{i}.weight` (out×in),
 * `{id}/seq.{i}.bias`) and, in its metadata, the settings it was made with and its items. A shard is
 * written atomically, so it exists complete or not at all; `readShardHeader` decides whether an existing
 * file is the finished shard a plan expects.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, relative } from 'node:path';
import { openWeightFile, writeWeightSet } from '../formats/registry';
import { resolveInsideRoot, UnsafePathError } from '../io/insideRoot';
import { isWeightFileError } from '../errors';
import type { Layer } from '../weights/network';
import { mlpToWeightSet } from '../weights/mlp';
import { WeightSet } from '../weights/weightSet';
import { DatasetError } from './imageSource';
import { firstDifference, type DatasetSettings, type ManifestItem } from './manifest';
import { checkManifestItems } from './manifestSchema';
import type { PlannedItem } from './plan';

const SETTINGS_KEY = 'wslab.dataset';
const ITEMS_KEY = 'wslab.items';

export interface FittedItem {
  readonly item: ManifestItem;
  readonly layers: readonly Layer[];
}

/**
 * Refuses (DatasetError) a shard path DIR/shards/NAME that, with symbolic links followed, leads out of
 * its dataset folder DIR — a `shards` folder or shard file linked elsewhere would otherwise be read from,
 * or written to, outside the dataset.
 */
export async function assertShardInsideDataset(path: string): Promise<void> {
  const root = dirname(dirname(path));
  if (!existsSync(root)) return; // a dataset folder still to be made: nothing on the way can be a link
  try {
    await resolveInsideRoot(root, relative(root, path), { allowAbsolute: false, what: `shard ${basename(path)}` });
  } catch (e) {
    if (e instanceof UnsafePathError) throw new DatasetError(`${path}: refused, ${e.message.slice(e.message.indexOf('refused, ') + 9)}`);
    throw e;
  }
}

export async function writeShard(path: string, settings: DatasetSettings, fitted: readonly FittedItem[]): Promise<void> {
  await assertShardInsideDataset(path);
  const tensors = fitted.flatMap(({ item, layers }) => mlpToWeightSet(layers, {}, `${item.id}/seq.`).tensors);
  const metadata = { [SETTINGS_KEY]: JSON.stringify(settings), [ITEMS_KEY]: JSON.stringify(fitted.map((f) => f.item)) };
  await writeWeightSet(path, new WeightSet(tensors, metadata), { format: 'safetensors' });
}

/**
 * The items of an existing shard when it is the finished shard `expected` describes under `settings`;
 * undefined when the file is missing, unreadable, or from other settings (then it is made again).
 */
export async function readFinishedShard(
  path: string,
  settings: DatasetSettings,
  expected: readonly PlannedItem[],
): Promise<{ items: ManifestItem[] } | { problem: string }> {
  await assertShardInsideDataset(path);
  let reader;
  try {
    reader = await openWeightFile(path, 'safetensors');
  } catch (e) {
    if (isWeightFileError(e)) return { problem: e.code === 'not-found' ? 'missing' : e.message };
    throw e;
  }
  try {
    const made = metadataJson(reader.metadata, SETTINGS_KEY, path);
    if (made.problem !== undefined) return { problem: made.problem };
    const difference = firstDifference(made.value ?? null, JSON.parse(JSON.stringify(settings)));
    if (difference) return { problem: `${path}: made with other settings (${difference})` };
    const listed = metadataJson(reader.metadata, ITEMS_KEY, path);
    if (listed.problem !== undefined) return { problem: listed.problem };
    let items: ManifestItem[];
    try {
      items = checkManifestItems(listed.value ?? [], path, `metadata "${ITEMS_KEY}"`, settings.source.classes.length);
    } catch (e) {
      if (e instanceof DatasetError) return { problem: e.message };
      throw e;
    }
    const ids = items.map((i) => i.id).join(',');
    if (ids !== expected.map((i) => i.id).join(',')) return { problem: `${path}: holds other items than the plan puts in this shard` };
    const layerCount = settings.spec.hidden.length + 1;
    if (reader.tensors.length !== items.length * layerCount * 2)
      return { problem: `${path}: ${reader.tensors.length} tensors, expected ${items.length * layerCount * 2}` };
    return { items };
  } finally {
    await reader.close();
  }
}

/** The JSON value of a metadata entry (undefined when absent), or the problem when it is not JSON. */
function metadataJson(metadata: Readonly<Record<string, string>>, key: string, path: string): { value?: unknown; problem?: string } {
  const text = metadata[key];
  if (text === undefined) return {};
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (e) {
    return { problem: `${path}: damaged shard metadata "${key}" (${(e as Error).message})` };
  }
}

/** One INR of a shard as a WeightSet in the DWSNets layout (`seq.{i}.…`); reads only its tensors. */
export async function readShardItem(path: string, id: string): Promise<WeightSet> {
  await assertShardInsideDataset(path);
  const reader = await openWeightFile(path, 'safetensors');
  try {
    const prefix = `${id}/`;
    const infos = reader.tensors.filter((t) => t.name.startsWith(prefix));
    if (infos.length === 0) throw new DatasetError(`${path}: no INR with id "${id}"`);
    const tensors = [];
    for (const info of infos) {
      tensors.push({ name: info.name.slice(prefix.length), shape: info.shape, dtype: info.dtype, data: await reader.readTensor(info.name) });
    }
    return new WeightSet(tensors);
  } finally {
    await reader.close();
  }
}
