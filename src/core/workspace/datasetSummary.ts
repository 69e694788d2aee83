/**
 * What the experiment tree shows of an INR dataset folder, read from its small files only: dataset.json
 * (the settings) and manifest.json (the finished items and their PSNR). A manifest larger than
 * `maxManifestBytes` is not parsed (that would block the reader for long): its counts and PSNR are then
 * left null. Never throws for a broken folder: the problem becomes `error`, naming the file.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { MANIFEST_FILE, SETTINGS_FILE } from '../dataset/manifest';

export type DatasetState = 'complete' | 'partial' | 'empty' | 'broken';

export interface DatasetSummary {
  readonly name: string;
  readonly dir: string;
  /** The image source, e.g. "mnist". */
  readonly source: string | null;
  readonly classes: number | null;
  /** INRs the settings plan for (null for an augmented dataset, which knows only when done). */
  readonly planned: number | null;
  /** INRs in manifest.json (null: no manifest, or too large to read here). */
  readonly items: number | null;
  readonly state: DatasetState;
  readonly psnr: { readonly mean: number; readonly min: number; readonly max: number } | null;
  readonly views: number | null;
  readonly fitSteps: number | null;
  /** The augmentation chain, for a dataset made by `wslab augment`. */
  readonly augmentation: string | null;
  readonly manifestBytes: number | null;
  /** Why the folder could not be read. */
  readonly error: string | null;
}

/** 4 MB of manifest parse in well under 50 ms. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

interface SettingsJson {
  source?: { name?: unknown; count?: unknown; classes?: unknown[] };
  plan?: { limit?: unknown; views?: unknown };
  fit?: { steps?: unknown };
  augment?: { aug?: unknown };
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** A summary that knows only the folder (and its state): what a dataset shows before its files can be read. */
export function bareDatasetSummary(dir: string, state: DatasetState): DatasetSummary {
  const none = {
    source: null,
    classes: null,
    planned: null,
    items: null,
    psnr: null,
    views: null,
    fitSteps: null,
    augmentation: null,
    manifestBytes: null,
    error: null,
  };
  return { name: basename(dir), dir, state, ...none };
}

export async function summarizeDataset(dir: string, maxManifestBytes = MAX_MANIFEST_BYTES): Promise<DatasetSummary> {
  const empty = bareDatasetSummary(dir, 'broken');
  const settingsPath = join(dir, SETTINGS_FILE);
  let settings: SettingsJson;
  try {
    settings = JSON.parse(await readFile(settingsPath, 'utf8')) as SettingsJson;
    if (typeof settings !== 'object' || settings === null) throw new Error('not a JSON object');
  } catch (e) {
    return { ...empty, error: `${settingsPath}: ${(e as Error).message}` };
  }
  const augmentation = typeof settings.augment?.aug === 'string' ? settings.augment.aug : null;
  const count = num(settings.source?.count);
  const limit = num(settings.plan?.limit) ?? count;
  const views = num(settings.plan?.views);
  const base: DatasetSummary = {
    ...empty,
    source: typeof settings.source?.name === 'string' ? settings.source.name : null,
    classes: Array.isArray(settings.source?.classes) ? settings.source.classes.length : null,
    planned: augmentation === null && limit !== null && views !== null ? limit * views : null,
    views,
    fitSteps: num(settings.fit?.steps),
    augmentation,
    state: 'empty',
  };
  const manifestPath = join(dir, MANIFEST_FILE);
  const size = await stat(manifestPath).then(
    (s) => s.size,
    () => null,
  );
  if (size === null) return base;
  if (size > maxManifestBytes) return { ...base, manifestBytes: size, state: 'partial' };
  let manifest: { complete?: unknown; items?: { psnr?: unknown }[] };
  try {
    manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as typeof manifest;
    if (!Array.isArray(manifest.items)) throw new Error('no "items" array');
  } catch (e) {
    return { ...base, manifestBytes: size, state: 'broken', error: `${manifestPath}: ${(e as Error).message}` };
  }
  let sum = 0;
  let n = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const item of manifest.items) {
    const p = num(item?.psnr);
    if (p === null) continue;
    sum += p;
    n++;
    min = Math.min(min, p);
    max = Math.max(max, p);
  }
  const psnr = n === 0 ? null : { mean: sum / n, min, max };
  return { ...base, items: manifest.items.length, manifestBytes: size, psnr, state: manifest.complete === true ? 'complete' : 'partial' };
}
