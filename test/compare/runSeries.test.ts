// Reading runs for the panel (src/core/workspace/runSeries.ts): columns per split, flattened configs, and
// MetricsFollower over a metrics.jsonl that grows, gets a partial line, and is rewritten by a resume.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendMetrics, readMetrics, truncateMetrics, type MetricRecord } from '../../src/core/train/runFolder';
import { flattenConfig, MetricsFollower, readRunSeries } from '../../src/core/workspace/runSeries';
import { FIXTURE_RUNS } from './fixtureRuns';

const record = (step: number, epoch: number, split: MetricRecord['split'] = 'train'): MetricRecord => ({
  step,
  epoch,
  split,
  loss: 1 / step,
  accuracy: step / 100,
  lr: 0.01,
  time: step / 10,
});

test('readRunSeries splits the records by split into columns, in file order', async () => {
  const dir = join(FIXTURE_RUNS, 'baseline-seed0');
  const records = await readMetrics(dir);
  const run = await readRunSeries(dir);
  for (const split of ['train', 'val', 'test'] as const) {
    const want = records.filter((r) => r.split === split);
    assert.equal(run.metrics[split].step.length, want.length);
    assert.deepEqual(
      [...run.metrics[split].step],
      want.map((r) => r.step),
    );
    assert.deepEqual(
      [...run.metrics[split].loss],
      want.map((r) => Math.fround(r.loss)),
    );
  }
  assert.equal(run.status?.state, 'done');
  assert.equal(run.config['model.kind'], JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).model.kind);
});

test('a malformed metrics line is a RunFolderError naming the file and line', async () => {
  await assert.rejects(readRunSeries(join(FIXTURE_RUNS, 'broken')), /broken[\\/]metrics\.jsonl: line 2 is not a metric record/);
});

test('flattenConfig: dotted keys for objects, JSON for arrays, "__proto__" stays an ordinary key', () => {
  const flat = flattenConfig(
    JSON.parse('{"model":{"kind":"mlp","sizes":{"hidden":8}},"augment":[{"name":"rotate"}],"seed":1,"x":null,"__proto__":{"polluted":true}}'),
  );
  assert.deepEqual({ ...flat }, { 'model.kind': 'mlp', 'model.sizes.hidden': 8, augment: '[{"name":"rotate"}]', seed: 1, x: null, '__proto__.polluted': true });
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.deepEqual({ ...flattenConfig([1, 2]) }, {});
});

test('MetricsFollower hands out appended records once, waits for a partial line, and tells a rewrite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'wslab-follow-'));
  try {
    const follower = new MetricsFollower(dir);
    assert.deepEqual(await follower.read(), { kind: 'append', records: [] }); // no file yet
    await appendMetrics(dir, [record(10, 1), record(20, 1)]);
    assert.deepEqual(
      (await follower.read()).records.map((r) => r.step),
      [10, 20],
    );
    assert.deepEqual(await follower.read(), { kind: 'append', records: [] });
    await appendMetrics(dir, [record(20, 1, 'val'), record(30, 2)]);
    await appendFile(join(dir, 'metrics.jsonl'), '{"step":40,"epo'); // a write in progress
    const next = await follower.read();
    assert.equal(next.kind, 'append');
    assert.deepEqual(
      next.records.map((r) => `${r.split}${r.step}`),
      ['val20', 'train30'],
    );
    await truncateMetrics(dir, 1); // a resume from epoch 1 drops epoch 2 (and the partial line)
    await appendMetrics(dir, [record(31, 2)]);
    const rewritten = await follower.read();
    assert.equal(rewritten.kind, 'rewritten');
    assert.deepEqual(
      rewritten.records.map((r) => r.step),
      [10, 20, 20, 31],
    );
    await writeFile(join(dir, 'metrics.jsonl'), ''); // replaced by an empty file
    assert.deepEqual(await follower.read(), { kind: 'rewritten', records: [] });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
