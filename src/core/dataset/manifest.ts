/**
 * The files of a generated INR dataset (DIR):
 *   DIR/dataset.json           the settings (spec, fit, source, plan), written first; every process of a
 *                              run, and every rerun, must agree with it
 *   DIR/shards/NNNNN.safetensors   many INRs each, tensors `{id}/seq.{i}.weight` (out×in) and
 *                              `{id}/seq.{i}.bias`; their `__metadata__` lists the shard's items
 *   DIR/manifest.json          settings + every finished item: { version: 1, spec, fit, source, items }
 * Shards are self-describing, so the manifest can always be rebuilt from them (`wslab merge`).
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomicWrite';
import { DatasetError } from './imageSource';
import { checkDatasetSettings, checkManifest, describeJson, MANIFEST_VERSION, type DatasetSettings, type Manifest } from './manifestSchema';
import { readJsonFile } from '../io/readJsonFile';

export { MANIFEST_VERSION };

export type { DatasetSettings, FitSettings, Manifest, ManifestItem, PlanRecord, SourceSettings } from './manifestSchema';

export const SETTINGS_FILE = 'dataset.json';
export const MANIFEST_FILE = 'manifest.json';
export const SHARDS_DIR = 'shards';

export function shardFileName(shard: number): string {
  return `${String(shard).padStart(5, '0')}.safetensors`;
}

export function shardPath(dir: string, shard: number): string {
  return join(dir, SHARDS_DIR, shardFileName(shard));
}

const readJson = (path: string) => readJsonFile(path, (message) => new DatasetError(message));

/** The first path where two JSON values differ, or undefined when equal. */
export function firstDifference(a: unknown, b: unknown, path = ''): string | undefined {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return Object.is(a, b) ? undefined : `${path || '(root)'}: ${describeJson(a)} vs ${describeJson(b)}`;
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k);
    if (d) return d;
  }
  return undefined;
}

/**
 * Writes DIR/dataset.json, or checks that the one there holds the same settings (a rerun or another
 * task of the same run). Different settings are refused — they would mix two datasets in one folder, and
 * other tasks of a Slurm array may be fitting with the old ones — with what is there and how to go on.
 */
export async function claimDatasetDir(dir: string, settings: DatasetSettings): Promise<void> {
  const path = join(dir, SETTINGS_FILE);
  const existing = await readJson(path);
  if (existing === undefined) {
    await writeFileAtomic(path, new TextEncoder().encode(`${JSON.stringify(settings, null, 2)}\n`));
    return;
  }
  const difference = firstDifference(existing, JSON.parse(JSON.stringify(settings)));
  if (!difference) return;
  const shards = await readdir(join(dir, SHARDS_DIR)).then(
    (names) => names.filter((n) => n.endsWith('.safetensors')).length,
    () => 0,
  );
  const there = shards > 0 ? `${shards} shard(s) of it written` : 'no INR of it written yet (e.g. a bad image stopped it)';
  throw new DatasetError(
    `${dir} holds a dataset generated with other settings (${difference}), ${there}: rerun with its settings to resume, use another --out folder, or delete this one to start again`,
  );
}

export async function readDatasetSettings(dir: string): Promise<DatasetSettings> {
  const value = await readJson(join(dir, SETTINGS_FILE));
  if (value === undefined) {
    if (!existsSync(dir))
      throw new DatasetError(
        `${dir}: no such dataset folder; make it with \`npx wslab generate --dataset mnist --out ${dir}\` (or another --dataset; in VS Code: Generate INR Dataset…), or point at an existing one`,
      );
    throw new DatasetError(`${dir}: not an INR dataset (no ${SETTINGS_FILE})`);
  }
  return checkDatasetSettings(value, join(dir, SETTINGS_FILE));
}

export async function writeManifest(dir: string, manifest: Manifest): Promise<void> {
  await writeFileAtomic(join(dir, MANIFEST_FILE), new TextEncoder().encode(`${JSON.stringify(manifest, null, 1)}\n`));
}

export async function readManifest(dir: string): Promise<Manifest> {
  const path = join(dir, MANIFEST_FILE);
  const value = await readJson(path);
  if (value === undefined) throw new DatasetError(`${dir}: no ${MANIFEST_FILE} (is the dataset still generating? run wslab merge ${dir})`);
  return checkManifest(value, path);
}
