/** Experiment configs: defaults, --set edits, and errors that name the file and the bad key. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MODEL_DEFAULTS } from '../../src/core/models/modelConfig';
import { ConfigError, parseSetting, readExperimentConfig, resolveConfig } from '../../src/core/train/experimentConfig';
import { DEFAULT_INPUT_NORM, DEFAULT_OPTIMIZER } from '../../src/core/train/trainDefaults';

const FILE = '/work/exps/small.wslab.json';

function rejects(raw: unknown, pattern: RegExp): void {
  assert.throws(
    () => resolveConfig(raw, FILE),
    (e: unknown) => {
      assert.ok(e instanceof ConfigError, `a ConfigError, got ${String(e)}`);
      assert.ok(e.message.startsWith(`${FILE}: `), e.message);
      assert.match(e.message, pattern);
      return true;
    },
  );
}

test('defaults fill in; the name comes from the file; the dataset is relative to the config file', () => {
  const c = resolveConfig({ dataset: '../datasets/fm', optimizer: { lr: 0.01 } }, FILE);
  assert.equal(c.name, 'small');
  assert.equal(c.dataset, '/work/datasets/fm');
  assert.equal(c.optimizer.lr, 0.01);
  assert.equal(c.optimizer.batchSize, DEFAULT_OPTIMIZER.batchSize);
  assert.equal(c.model.kind, 'dwsnet');
  assert.deepEqual(c.augment, []);
  const withAug = resolveConfig({ dataset: '/d', augment: [{ name: 'rotate', params: { degrees: 10 } }] }, FILE);
  assert.deepEqual(withAug.augment, [{ name: 'rotate', p: 1, params: { degrees: 10 } }]);
});

test("a config naming only the dataset (or only the model kind) trains that kind's measured defaults; older configs load", () => {
  const c = resolveConfig({ dataset: 'd' }, FILE);
  assert.deepEqual(c.model, MODEL_DEFAULTS.dwsnet);
  assert.equal(c.inputNorm, DEFAULT_INPUT_NORM);
  assert.deepEqual(c.optimizer, DEFAULT_OPTIMIZER);
  assert.deepEqual(resolveConfig({ dataset: 'd', model: { kind: 'gnn' } }, FILE).model, MODEL_DEFAULTS.gnn);
  assert.deepEqual(resolveConfig({ dataset: 'd', model: { kind: 'statnn', hidden: 32 } }, FILE).model, { ...MODEL_DEFAULTS.statnn, hidden: 32 });
  // A config written before norm, pool and setLayer existed keeps its keys and gets the new defaults for the rest.
  const old = resolveConfig({ dataset: 'd', model: { kind: 'nfn-np', hidden: 8, layers: 2, headHidden: 32 } }, FILE);
  assert.deepEqual(old.model, { ...MODEL_DEFAULTS['nfn-np'], hidden: 8, layers: 2, headHidden: 32 });
});

test('schema errors name the key', () => {
  rejects({}, /missing required key "dataset"/);
  rejects({ dataset: 'd', optimizer: { lrr: 0.1 } }, /unknown key "optimizer\.lrr" \(did you mean "lr"\?\)/);
  rejects({ dataset: 'd', modle: {} }, /unknown key "modle" \(did you mean "model"\?\)/);
  rejects({ dataset: 'd', optimizer: { lr: 0 } }, /optimizer\.lr must be > 0/);
  rejects({ dataset: 'd', optimizer: { epochs: 2.5 } }, /optimizer\.epochs must be integer/);
  rejects({ dataset: 'd', model: { kind: 'transformer' } }, /model\.kind must be one of "dwsnet", "nfn-np", "gnn", "statnn", "mlp"/);
  rejects({ dataset: 'd', model: { norm: 'group' } }, /model\.norm must be one of "batch", "layer", "none"/);
  rejects({ dataset: 'd', model: { pool: 'sum' } }, /model\.pool must be one of "mean", "max", "mean\+max"/);
  rejects({ dataset: 'd', inputNorm: 'pertensor' }, /inputNorm must be one of "tensor", "element", "none"/);
  rejects({ dataset: 'd', augment: [{ name: 'rotate', p: 2 }] }, /augment\[0\]\.p must be <= 1/);
  rejects({ dataset: 3 }, /dataset must be string/);
});

test('augmentation names and parameters are checked against the registry', () => {
  rejects({ dataset: 'd', augment: [{ name: 'rotat' }] }, /augment\[0\]\.name: unknown augmentation "rotat"/);
  rejects({ dataset: 'd', augment: [{ name: 'translate' }, { name: 'rotate', params: { degrees: 500 } }] }, /augment\[1\]\.params: .*degrees/);
});

test('--set edits dotted keys with JSON values, before validation', async () => {
  assert.deepEqual(parseSetting('optimizer.lr=0.01'), ['optimizer.lr', 0.01]);
  assert.deepEqual(parseSetting('model.kind=mlp'), ['model.kind', 'mlp']);
  assert.deepEqual(parseSetting('augment=[]'), ['augment', []]);
  assert.throws(() => parseSetting('novalue'), ConfigError);
  const dir = mkdtempSync(join(tmpdir(), 'wslab-config-'));
  const file = join(dir, 'exp.json');
  writeFileSync(file, JSON.stringify({ dataset: 'data', augment: [{ name: 'translate' }] }));
  const c = await readExperimentConfig(file, ['optimizer.epochs=7', 'augment.0.p=0.25', 'model.kind=nfn-np']);
  assert.equal(c.optimizer.epochs, 7);
  assert.equal(c.augment[0]!.p, 0.25);
  assert.equal(c.model.kind, 'nfn-np');
  await assert.rejects(readExperimentConfig(file, ['optimizer.lr=-1']), /optimizer\.lr must be > 0/);
  await assert.rejects(readExperimentConfig(file, ['__proto__.x=1']), ConfigError);
});

test('unreadable and non-JSON files are ConfigErrors naming the file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wslab-config-'));
  await assert.rejects(
    readExperimentConfig(join(dir, 'missing.json')),
    (e: unknown) => e instanceof ConfigError && /missing\.json: cannot read \(ENOENT\)/.test(e.message),
  );
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, '{ "dataset": ');
  await assert.rejects(readExperimentConfig(bad), (e: unknown) => e instanceof ConfigError && /bad\.json: not valid JSON at line 1, column 14/.test(e.message));
  writeFileSync(bad, '{\n  "dataset": "d",\n  "seed": 1,\n}\n');
  await assert.rejects(readExperimentConfig(bad), (e: unknown) => e instanceof ConfigError && /bad\.json: not valid JSON at line 4, column 1 /.test(e.message));
  writeFileSync(bad, '[1, 2]');
  await assert.rejects(readExperimentConfig(bad), /must be a JSON object/);
});
