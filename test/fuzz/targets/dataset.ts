/**
 * Fuzz targets for the files of an INR dataset (src/core/dataset): manifest.json (readManifest),
 * dataset.json (readDatasetSettings, then planFromSettings, the first thing merge and generate do with
 * it) and the shards (readFinishedShard, readShardItem), seeded from the committed dataset
 * test/fixtures/dataset/tiny (made by `wslab generate --dataset mnist --out test/fixtures/dataset/tiny
 * --limit 3 --steps 3 --shard-size 2 --backend reference`: 3 INRs in 2 shards). Inputs are written
 * into a fresh dataset folder; the typed errors are DatasetErrors naming that folder or file, and, for
 * shards, WeightFileErrors naming the shard.
 *
 * A success must give what the types promise — the oracle checks every field a consumer reads — so a
 * reader that accepts `{"items": [null]}` fails here instead of crashing its consumer later.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { planFromSettings } from '../../../src/core/dataset/generate';
import { MANIFEST_FILE, readDatasetSettings, readManifest, SETTINGS_FILE, type DatasetSettings, type ManifestItem } from '../../../src/core/dataset/manifest';
import { readFinishedShard, readShardItem } from '../../../src/core/dataset/shard';
import { validateSirenSpec } from '../../../src/core/inr/spec';
import { datasetErrorLabel, weightFileErrorLabel, type FuzzSeed, type FuzzTarget } from '../harness';
import { BYTE_MUTATORS, mutateJsonText, mutateSafetensorsHeader } from '../mutate';
import { fixturePath } from '../../helpers/fixtures';
import { check, fixtureSeeds, isInt, isNumber, isObject, OracleError } from './common';

// ---- the oracle: what a consumer may assume about a value the readers returned ----

export function checkSettingsShape(s: DatasetSettings): void {
  check(isObject(s) && s.version === 1, 'version is not 1');
  check(isObject(s.spec), 'spec is not an object');
  try {
    validateSirenSpec(s.spec);
  } catch (e) {
    throw new OracleError(`accepted a spec the engine refuses: ${(e as Error).message}`);
  }
  check(Array.isArray(s.spec.hidden) && s.spec.hidden.every((w) => isInt(w, 1)), 'spec.hidden is not a list of positive integers');
  check(isObject(s.fit), 'fit is not an object');
  check(isInt(s.fit.steps) && (s.fit.targetPsnr === null || isNumber(s.fit.targetPsnr)), 'fit.steps or fit.targetPsnr is malformed');
  check([s.fit.lr, s.fit.beta1, s.fit.beta2, s.fit.eps].every(isNumber), 'fit.lr, beta1, beta2 or eps is not a number');
  check(isObject(s.source), 'source is not an object');
  const { source } = s;
  const image = source.kind === 'mesh' ? [] : [source.height, source.width, source.channels];
  check(source.kind === undefined || source.kind === 'image' || source.kind === 'mesh', 'source.kind is neither image nor mesh');
  check(typeof source.name === 'string' && [source.count, ...image].every((n) => isInt(n, 1)), 'source fields are malformed');
  check(Array.isArray(source.classes) && source.classes.every((c) => typeof c === 'string'), 'source.classes is not a list of strings');
  check(isObject(s.plan), 'plan is not an object');
  const { plan } = s;
  check((plan.limit === null || isInt(plan.limit, 1)) && isInt(plan.views, 1) && isInt(plan.seed) && isInt(plan.shardSize, 1), 'plan integers are malformed');
  check(isNumber(plan.valFraction) && isNumber(plan.testFraction), 'plan fractions are not numbers');
}

export function checkItemShape(item: ManifestItem, where: string): void {
  check(isObject(item), `${where} is not an object`);
  check(typeof item.id === 'string' && item.id.length > 0, `${where}.id is not a non-empty string`);
  check(
    isInt(item.index) && isInt(item.view) && isInt(item.seed) && isInt(item.shard) && isInt(item.label) && isInt(item.steps),
    `${where} has a malformed integer field`,
  );
  check(['train', 'val', 'test'].includes(item.split), `${where}.split is ${JSON.stringify(item.split)}`);
  check(isNumber(item.psnr) && typeof item.backend === 'string', `${where}.psnr or backend is malformed`);
}

// ---- manifest.json and dataset.json ----

function datasetFolder(name: string, file: string, input: Uint8Array): string {
  mkdirSync(name, { recursive: true });
  writeFileSync(join(name, file), input);
  return name;
}

export const manifestTarget: FuzzTarget = {
  name: 'manifest',
  extension: '.json',
  onDisk: true,
  seeds: () => fixtureSeeds('dataset', /^manifest\.json$/),
  mutators: [...BYTE_MUTATORS, { name: 'json', weight: 12, mutate: mutateJsonText }],
  async run(input, { file }) {
    const dir = datasetFolder(file, MANIFEST_FILE, input);
    try {
      const manifest = await readManifest(dir);
      checkSettingsShape(manifest);
      check(typeof manifest.complete === 'boolean', 'complete is not a boolean');
      check(Array.isArray(manifest.items), 'items is not a list');
      const ids = new Set<string>();
      manifest.items.forEach((item, i) => {
        checkItemShape(item, `items[${i}]`);
        check(!ids.has(item.id), `items[${i}].id "${item.id}" is there twice`);
        ids.add(item.id);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
  typedError: datasetErrorLabel,
};

export const settingsTarget: FuzzTarget = {
  name: 'dataset-settings',
  extension: '.json',
  onDisk: true,
  seeds: () => fixtureSeeds('dataset', /^dataset\.json$/),
  mutators: [...BYTE_MUTATORS, { name: 'json', weight: 12, mutate: mutateJsonText }],
  async run(input, { file }) {
    const dir = datasetFolder(file, SETTINGS_FILE, input);
    try {
      const settings = await readDatasetSettings(dir);
      checkSettingsShape(settings);
      const plan = planFromSettings(settings);
      check(plan.length === (settings.plan.limit ?? settings.source.count) * settings.plan.views, 'the plan has the wrong number of items');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
  typedError: datasetErrorLabel,
};

// ---- shards ----

interface ShardSeed extends FuzzSeed {
  readonly settings: DatasetSettings;
  readonly items: readonly ManifestItem[];
}

let shardSeeds: ShardSeed[] | undefined;

/** Every shard of the fixture datasets, with the settings and planned items it was written for. */
function loadShardSeeds(): ShardSeed[] {
  shardSeeds ??= fixtureSeeds('dataset', /\.safetensors$/).map((seed) => {
    const [dataset, , file] = seed.name.split('/').slice(-3) as [string, string, string];
    const dir = fixturePath('dataset', dataset);
    const settings = JSON.parse(readFileSync(join(dir, SETTINGS_FILE), 'utf8')) as DatasetSettings;
    const manifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as { items: ManifestItem[] };
    const shard = Number(file.replace(/\.safetensors$/, ''));
    return { ...seed, settings, items: manifest.items.filter((i) => i.shard === shard) };
  });
  return shardSeeds;
}

export const shardTarget: FuzzTarget = {
  name: 'shard',
  extension: '.safetensors',
  onDisk: true,
  seeds: loadShardSeeds,
  mutators: [...BYTE_MUTATORS, { name: 'safetensors-header', weight: 12, mutate: mutateSafetensorsHeader }],
  async run(input, { file, seedIndex }) {
    const { settings, items: planned } = loadShardSeeds()[seedIndex]!;
    writeFileSync(file, input);
    try {
      const found = await readFinishedShard(file, settings, planned);
      if ('items' in found) {
        check(found.items.map((i) => i.id).join() === planned.map((i) => i.id).join(), 'a finished shard holds other items than planned');
        found.items.forEach((item, i) => checkItemShape(item, `shard item ${i}`));
      } else {
        check(
          typeof found.problem === 'string' && (found.problem === 'missing' || found.problem.includes(file)),
          `the problem "${String(found.problem)}" does not name the shard`,
        );
      }
      for (const item of planned) {
        const set = await readShardItem(file, item.id);
        check(set.tensors.length > 0, `readShardItem("${item.id}") returned no tensors`);
      }
    } finally {
      rmSync(file, { force: true });
    }
  },
  typedError: (e, file) => weightFileErrorLabel(e, file) ?? datasetErrorLabel(e, file),
};
