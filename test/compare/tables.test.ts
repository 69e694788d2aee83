// Best vs last and the differing hyper-parameters (webview/compare/tables.ts) on the fixture runs:
// computed from the curves, they must agree with what the trainer wrote in summary.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bestVsLast, differingKeys, hyperParameterKeys, tableRows } from '../../webview/compare/tables';
import { toCsv } from '../../webview/compare/csv';
import { FIXTURE_RUNS, fixtureRun, GOOD_RUNS } from './fixtureRuns';

const close = (a: number | null, b: number | null) => a !== null && b !== null && Math.abs(a - b) < 1e-6;

test('best vs last from the curves agrees with summary.json for every fixture run', async () => {
  for (const name of GOOD_RUNS) {
    const summary = JSON.parse(readFileSync(join(FIXTURE_RUNS, name, 'summary.json'), 'utf8'));
    const row = bestVsLast(await fixtureRun(name));
    assert.ok(close(row.bestValAccuracy, summary.bestValAccuracy), `${name}: best ${row.bestValAccuracy} vs ${summary.bestValAccuracy}`);
    assert.equal(row.bestEpoch, summary.bestEpoch, name);
    assert.ok(close(row.testAccuracyAtBest, summary.testAccuracyAtBest), `${name}: test at best`);
    assert.ok(close(row.lastValAccuracy, summary.last.valAccuracy), `${name}: last val`);
    assert.equal(row.lastEpoch, summary.epochsDone, name);
    assert.equal(row.epochs, summary.epochs, name);
  }
});

test('only the keys that differ are listed; a key one run lacks counts as different', async () => {
  const [seed0, seed1, augmented] = await Promise.all(GOOD_RUNS.map((name) => fixtureRun(name)));
  assert.deepEqual(differingKeys([seed0!.config, seed1!.config]), ['seed']);
  const keys = differingKeys([seed0!.config, augmented!.config]);
  assert.ok(keys.includes('augment') && keys.includes('name'), keys.join(', '));
  assert.ok(!keys.includes('model.kind') && !keys.includes('seed'), keys.join(', '));
  assert.deepEqual(differingKeys([{ a: 1 }, { a: 1, b: 2 }]), ['b']);
  assert.deepEqual(differingKeys([{ a: 1 }, { a: 1 }]), []);
});

test('the CSV holds one row per run with the numbers as written and the differing keys', async () => {
  const runs = await Promise.all(GOOD_RUNS.map((name) => fixtureRun(name)));
  const rows = tableRows(runs);
  const header = rows[0]!;
  assert.equal(rows.length, 4);
  const seedColumn = header.indexOf('seed');
  assert.ok(seedColumn > 0);
  assert.deepEqual(
    rows.slice(1).map((r) => r[seedColumn]),
    [0, 1, 0],
  );
  const best = JSON.parse(readFileSync(join(FIXTURE_RUNS, 'augmented', 'summary.json'), 'utf8')).bestValAccuracy;
  assert.match(toCsv(rows), new RegExp(`\\r\\naugmented,done,${String(best).replace('.', '\\.')},`));
});

test('the hyper-parameter table and the CSV leave out the config’s name and description (the run column names the run)', async () => {
  const [seed0, , augmented] = await Promise.all(GOOD_RUNS.map((name) => fixtureRun(name)));
  const configs = [seed0!.config, augmented!.config];
  assert.ok(differingKeys(configs).includes('name') && differingKeys(configs).includes('description'));
  assert.deepEqual(hyperParameterKeys(configs), ['augment']);
  const header = tableRows([seed0!, augmented!])[0]!;
  assert.ok(header.includes('augment') && !header.includes('name') && !header.includes('description'), header.join(', '));
});
