// The curves the charts draw (webview/compare/curves.ts) on the fixture runs: with smoothing on, each line
// has a raw curve holding the recorded values — so its last point is the tables' last value — and without
// smoothing there is none; a group's raw curve is its members' plain mean.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCurves } from '../../webview/compare/curves';
import { groupRuns } from '../../webview/compare/grouping';
import { bestVsLast } from '../../webview/compare/tables';
import { fixtureRun, GOOD_RUNS } from './fixtureRuns';

const options = { metric: 'accuracy', axis: 'step', splits: ['train', 'val'], smoothing: 0.6 } as const;

test('with smoothing, each line has a raw curve just before it, holding the recorded values', async () => {
  const runs = await Promise.all(GOOD_RUNS.map((name) => fixtureRun(name)));
  const curves = buildCurves(runs, options);
  assert.deepEqual(
    curves.map((c) => c.role),
    runs.flatMap(() => ['raw', 'line', 'raw', 'line']),
  );
  for (const run of runs) {
    const raw = curves.find((c) => c.owner === run.id && c.split === 'val' && c.role === 'raw')!;
    const line = curves.find((c) => c.owner === run.id && c.split === 'val' && c.role === 'line')!;
    assert.deepEqual(Array.from(raw.y), Array.from(run.metrics.val.accuracy));
    assert.equal(raw.y[raw.y.length - 1], bestVsLast(run).lastValAccuracy);
    assert.notEqual(line.y[line.y.length - 1], raw.y[raw.y.length - 1], `${run.name}: the smoothed end lags`);
  }
  assert.equal(buildCurves(runs, { ...options, smoothing: 0 }).filter((c) => c.role === 'raw').length, 0);
});

test('a group’s raw curve is the plain mean of its members’ recorded values', async () => {
  const runs = await Promise.all(GOOD_RUNS.map((name) => fixtureRun(name)));
  const groups = groupRuns(runs);
  const curves = buildCurves(runs, { ...options, splits: ['val'], groups });
  const [seed0, seed1] = runs;
  const raw = curves.find((c) => c.owner === groups[0]!.key && c.role === 'raw')!;
  assert.equal(raw.label, 'baseline (2 seeds) · val mean raw');
  const expected = [...seed0!.metrics.val.accuracy].map((a, i) => (a + seed1!.metrics.val.accuracy[i]!) / 2);
  assert.equal(raw.y.length, expected.length);
  for (let i = 0; i < expected.length; i++) assert.ok(Math.abs(raw.y[i]! - expected[i]!) < 1e-12, `point ${i}`);
  // The band and the line are there too, the band first (upper fills down to lower).
  assert.deepEqual(
    curves.filter((c) => c.owner === groups[0]!.key).map((c) => c.role),
    ['lower', 'upper', 'raw', 'line'],
  );
});
