/**
 * The checks on a dataset's JSON (src/core/dataset/manifestSchema.ts): the real dataset in
 * test/fixtures/dataset passes unchanged, with or without extra fields; each damaged field is a
 * DatasetError naming the file and the field; the plan is bounded before anything is planned.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDatasetSettings, checkManifest, checkManifestItems, MAX_PLANNED_ITEMS } from '../../src/core/dataset/manifestSchema';
import { DatasetError } from '../../src/core/dataset/imageSource';
import { readExpected } from '../helpers/fixtures';

const FILE = '/data/x/manifest.json';
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function refused(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof DatasetError, String(e));
    assert.ok(e.message.startsWith(`${FILE}: `), e.message);
    assert.match(e.message, pattern);
    return true;
  });
}

test('a real dataset passes unchanged, and so do fields the checks do not read (an augmented dataset adds its own)', () => {
  const settings = readExpected<Json>('dataset', 'tiny', 'dataset.json');
  const manifest = readExpected<Json>('dataset', 'tiny', 'manifest.json');
  assert.equal(checkDatasetSettings(settings, FILE), settings);
  assert.equal(checkManifest(manifest, FILE), manifest);
  const augmented = structuredClone(manifest);
  augmented.augment = { from: '/data/x', aug: 'translate:scale=0.25', copies: 1, seed: 0, splits: ['train'], shardSize: 2 };
  augmented.items[0] = { ...augmented.items[0], parent: 'img409-v0', aug: [{ name: 'translate', params: { t: [0.1, 0.2] } }], target: [1, 0] };
  assert.equal(checkManifest(augmented, FILE), augmented);
});

test('a damaged field is named with its path', () => {
  const good = readExpected<Json>('dataset', 'tiny', 'manifest.json');
  const damaged = (change: (m: Json) => void): Json => {
    const m = structuredClone(good);
    change(m);
    return m;
  };
  refused(
    () =>
      checkManifest(
        damaged((m) => (m.version = 2)),
        FILE,
      ),
    /unsupported or damaged dataset settings \(version 2, expected 1\)/,
  );
  refused(
    () =>
      checkManifest(
        damaged((m) => (m.spec.hidden = [32, 0])),
        FILE,
      ),
    /spec\.hidden\[1\] must be a positive integer, got 0/,
  );
  refused(
    () =>
      checkManifest(
        damaged((m) => (m.spec.w0 = -1)),
        FILE,
      ),
    /spec is not a valid SIREN: SIREN w0 must be a positive number/,
  );
  refused(
    () =>
      checkManifest(
        damaged((m) => (m.fit.lr = '5e-4')),
        FILE,
      ),
    /fit\.lr must be a finite number, got "5e-4"/,
  );
  refused(
    () =>
      checkManifest(
        damaged((m) => (m.source.classes = ['0', 1])),
        FILE,
      ),
    /source\.classes\[1\] must be a string, got 1/,
  );
  refused(
    () =>
      checkManifest(
        damaged((m) => (m.plan.shardSize = 0)),
        FILE,
      ),
    /plan\.shardSize must be an integer ≥ 1, got 0/,
  );
  refused(
    () =>
      checkManifest(
        damaged((m) => (m.complete = 'yes')),
        FILE,
      ),
    /complete must be true or false/,
  );
  refused(
    () =>
      checkManifest(
        damaged((m) => (m.items[1].label = 10)),
        FILE,
      ),
    /items\[1\]\.label is 10, but the dataset has 10 classes/,
  );
  refused(
    () =>
      checkManifest(
        damaged((m) => (m.items[2].psnr = null)),
        FILE,
      ),
    /items\[2\]\.psnr must be a finite number, got null/,
  );
  refused(
    () =>
      checkManifest(
        damaged((m) => (m.items[0].id = '')),
        FILE,
      ),
    /items\[0\]\.id must not be empty/,
  );
  refused(
    () =>
      checkManifest(
        damaged((m) => (m.items[0] = Object.create({ ...m.items[0] }))),
        FILE,
      ),
    /items\[0\]\.id must be a string, got undefined/,
  ); // inherited fields do not count
});

test('a shard item list: a list of items with distinct ids', () => {
  const { items } = readExpected<Json>('dataset', 'tiny', 'manifest.json');
  assert.deepEqual(checkManifestItems(items, FILE, 'items'), items);
  refused(() => checkManifestItems({ 0: items[0] }, FILE, 'metadata "wslab.items"'), /metadata "wslab\.items" must be a list, got an object/);
  refused(() => checkManifestItems([items[0], items[0]], FILE, 'items'), /items\[1\]\.id "img409-v0" appears twice/);
});

test(`a plan of more than ${MAX_PLANNED_ITEMS} images or INRs is refused before planning`, () => {
  const settings = readExpected<Json>('dataset', 'tiny', 'dataset.json');
  const plan = (source: Json, p: Json): Json => ({ ...settings, source: { ...settings.source, ...source }, plan: { ...settings.plan, ...p } });
  assert.ok(checkDatasetSettings(plan({ count: MAX_PLANNED_ITEMS }, { limit: 1, views: MAX_PLANNED_ITEMS }), FILE));
  refused(() => checkDatasetSettings(plan({ count: MAX_PLANNED_ITEMS + 1 }, {}), FILE), /plan asks for 3 images × 1 views of a source of 2097153 images/);
  refused(
    () => checkDatasetSettings(plan({}, { limit: 3, views: MAX_PLANNED_ITEMS }), FILE),
    /a dataset may have at most 2097152 source images and 2097152 INRs/,
  );
});
