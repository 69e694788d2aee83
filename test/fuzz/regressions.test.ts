/**
 * The inputs that broke a parser, replayed: test/fixtures/fuzz-regressions/<target>/<file>, each listed
 * in expected.json with where it was found, what it did before the fix, and what it must do now (success,
 * or the typed error and a pattern of its message; for shards, the problem readFinishedShard reports).
 * They run through the same harness as the fuzzers — in a worker, with the time and allocation bounds —
 * so a regression that hangs fails here instead of hanging the suite. (Only the shard problem check
 * runs in-process, after its input passed in the worker.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readFinishedShard } from '../../src/core/dataset/shard';
import type { DatasetSettings, ManifestItem } from '../../src/core/dataset/manifest';
import { fixturePath, readExpected } from '../helpers/fixtures';
import { formatReport, runFuzz } from './harness';
import { loadTarget } from './targets';

interface Regression {
  readonly found: string;
  readonly was: string;
  /** 'ok', 'DatasetError' or 'WeightFileError:<code>'. */
  readonly expect: string;
  /** A pattern the error message must match. */
  readonly match?: string;
  /** The seed whose context the input runs in (shards: the dataset settings and planned items). */
  readonly seed?: string;
  /** A pattern the problem readFinishedShard reports must match. */
  readonly problem?: string;
}

const DIR = fixturePath('fuzz-regressions');
const expected = readExpected<Record<string, Regression>>('fuzz-regressions', 'expected.json');

test('every regression fixture is listed in expected.json, and every listed one exists', () => {
  const onDisk = readdirSync(DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(join(DIR, d.name)).map((f) => `${d.name}/${f}`));
  assert.deepEqual(onDisk.sort(), Object.keys(expected).sort());
});

const byTarget = new Map<string, Array<[string, Regression]>>();
for (const [path, regression] of Object.entries(expected)) {
  const target = path.split('/')[0]!;
  byTarget.set(target, [...(byTarget.get(target) ?? []), [path, regression]]);
}

for (const [targetName, cases] of byTarget) {
  test(`fuzz regressions of ${targetName}: ${cases.map(([p]) => p.split('/')[1]).join(', ')}`, async () => {
    const seeds = await loadTarget(targetName).seeds();
    const inputs = cases.map(([path, r]) => {
      const seedIndex = r.seed === undefined ? 0 : seeds.findIndex((s) => s.name === r.seed);
      assert.ok(seedIndex >= 0, `${path}: no seed ${r.seed}`);
      return { bytes: new Uint8Array(readFileSync(join(DIR, path))), seedIndex };
    });
    const report = await runFuzz(targetName, { count: inputs.length, inputs });
    assert.deepEqual(report.failures, [], formatReport(report));
    cases.forEach(([path, r], i) => {
      const outcome = report.outcomes.find((o) => o.index === i)!;
      assert.equal(outcome.result === 'ok' ? 'ok' : outcome.label, r.expect, `${path} (was: ${r.was})`);
      if (r.match) assert.match(outcome.message ?? 'no error', new RegExp(r.match), path);
    });
  });
}

for (const [path, r] of Object.entries(expected)) {
  const { problem } = r;
  if (problem) {
    test(`fuzz regression ${path}: readFinishedShard reports the problem`, async () => {
      const [dataset, , shard] = r.seed!.split('/').slice(-3) as [string, string, string];
      const settings = readExpected<DatasetSettings>('dataset', dataset, 'dataset.json');
      const manifest = readExpected<{ items: ManifestItem[] }>('dataset', dataset, 'manifest.json');
      const planned = manifest.items.filter((i) => i.shard === Number(shard.replace('.safetensors', '')));
      const found = await readFinishedShard(join(DIR, path), settings, planned);
      assert.ok('problem' in found, 'the shard is not taken as finished');
      assert.match(found.problem, new RegExp(problem));
    });
  }
}
