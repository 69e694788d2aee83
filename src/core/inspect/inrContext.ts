/**
 * What rendering an INR of a file needs beyond its weights: the SIREN constants (w0, output offset) and
 * each INR's label, when the file says where it came from. A dataset shard describes itself (metadata
 * `wslab.dataset` holds its settings as JSON, `wslab.items` its items); a dataset sample written by the
 * extension names its dataset folder (`wslab.dataset`) and id (`wslab.id`), whose manifest is read; a
 * plain file may carry a `label` metadata entry. Anything else renders with the default SIREN constants
 * and no label. A damaged description is ignored rather than failing the render: the weights still show.
 */
import { checkDatasetSettings, checkManifestItems } from '../dataset/manifestSchema';
import { readManifest, type DatasetSettings, type ManifestItem } from '../dataset/manifest';
import { DEFAULT_SIREN, type SirenSpec } from '../inr/spec';
import { METADATA_KEYS, type Metadata } from '../weights/weightSet';

export interface InrContext {
  readonly w0: number;
  readonly outputOffset: number;
  /** The label to show for INR `name` (a shard id, or the file's single INR), or null when unknown. */
  labelOf(name: string): string | null;
}

const DATASET_KEY = 'wslab.dataset';
const ITEMS_KEY = 'wslab.items';
const ID_KEY = 'wslab.id';

export async function inrContext(metadata: Metadata, file: string): Promise<InrContext> {
  const described = metadata[DATASET_KEY];
  if (described !== undefined) {
    const fromShard = shardContext(metadata, described, file);
    if (fromShard) return fromShard;
    const sampleId = metadata[ID_KEY];
    if (sampleId !== undefined) {
      const manifest = await readManifest(described).catch(() => undefined);
      const item = manifest?.items.find((i) => i.id === sampleId);
      if (manifest) return datasetContext(manifest, () => item);
    }
  }
  const label = metadata[METADATA_KEYS.label];
  return { ...constants(DEFAULT_SIREN), labelOf: () => label ?? null };
}

/** The context of a shard whose metadata holds its settings and items; undefined when it does not. */
function shardContext(metadata: Metadata, described: string, file: string): InrContext | undefined {
  try {
    const settings = checkDatasetSettings(JSON.parse(described) as unknown, file);
    const listed = metadata[ITEMS_KEY];
    const items = listed === undefined ? [] : checkManifestItems(JSON.parse(listed) as unknown, file, ITEMS_KEY, settings.source.classes.length);
    const byId = new Map(items.map((i) => [i.id, i]));
    return datasetContext(settings, (name) => byId.get(name));
  } catch {
    return undefined;
  }
}

function datasetContext(settings: DatasetSettings, find: (name: string) => ManifestItem | undefined): InrContext {
  const classes = settings.source.classes;
  return {
    ...constants(settings.spec),
    labelOf: (name) => {
      const item = find(name);
      if (!item) return null;
      const className = classes[item.label];
      return className === undefined || className === String(item.label) ? String(item.label) : `${item.label} (${className})`;
    },
  };
}

function constants(spec: SirenSpec): { w0: number; outputOffset: number } {
  return { w0: spec.w0, outputOffset: spec.outputOffset };
}
