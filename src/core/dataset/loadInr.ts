/**
 * Loads one INR for rendering or inspection, from a dataset (`DIR#ID`) or a weight file (`FILE`, or
 * `FILE#FAMILY` for a file holding several networks), with the SIREN spec to evaluate it: a dataset's
 * own spec, or for a bare file the widths its layers imply and the given w0 / output offset.
 */
import { stat } from 'node:fs/promises';
import { readWeightSet } from '../formats/registry';
import { DEFAULT_SIREN, type SirenSpec } from '../inr/spec';
import type { Layer } from '../weights/network';
import { isCheckpoint } from '../train/checkpoint';
import { mlpView, NotAnMlpError } from '../weights/mlp';
import { DatasetError } from './imageSource';
import { readDatasetSettings, readManifest, shardPath, type ManifestItem } from './manifest';
import { readShardItem } from './shard';

export interface LoadedInr {
  readonly spec: SirenSpec;
  readonly layers: readonly Layer[];
  /** The dataset item, when loaded from a dataset. */
  readonly item?: ManifestItem;
}

export async function loadInr(target: string, defaults: Pick<SirenSpec, 'w0' | 'outputOffset'> = DEFAULT_SIREN): Promise<LoadedInr> {
  const hash = target.lastIndexOf('#');
  const path = hash >= 0 ? target.slice(0, hash) : target;
  const id = hash >= 0 ? target.slice(hash + 1) : undefined;
  const isDir = await stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (isDir) {
    if (!id) throw new DatasetError(`${path} is a dataset folder: name an INR as ${path}#ID (ids are in manifest.json)`);
    const [settings, manifest] = await Promise.all([readDatasetSettings(path), readManifest(path)]);
    const item = manifest.items.find((i) => i.id === id);
    if (!item) throw new DatasetError(`${path}: no INR with id "${id}" in manifest.json`);
    const view = mlpView(await readShardItem(shardPath(path, item.shard), id));
    return { spec: settings.spec, layers: view.layers, item };
  }
  const set = await readWeightSet(path);
  if (isCheckpoint(set)) throw new NotAnMlpError(`${path}: not an INR but a classifier checkpoint of wslab train: evaluate it with \`wslab eval RUN\``);
  let view: ReturnType<typeof mlpView>;
  try {
    view = mlpView(set, id);
  } catch (e) {
    if (e instanceof NotAnMlpError) throw new NotAnMlpError(`${path}: not an INR (${e.message})`);
    throw e;
  }
  const [inputDim, ...rest] = view.widths as [number, ...number[]];
  const spec: SirenSpec = { ...defaults, inputDim, hidden: rest.slice(0, -1), outputDim: rest[rest.length - 1]! };
  if (spec.hidden.length === 0) throw new DatasetError(`${path}: a single linear layer is not a SIREN (no sine layer)`);
  return { spec, layers: view.layers };
}
