// Grouping seeds (webview/compare/grouping.ts) on the fixture runs, and the mean ± std band against
// identities that do not use the implementation's arithmetic.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupKey, groupRuns, meanStd } from '../../webview/compare/grouping';
import { fixtureRun, GOOD_RUNS } from './fixtureRuns';
import { mulberry32 } from '../helpers/random';

test('runs whose configs differ only in the seed form one group; another config stays alone', async () => {
  const runs = await Promise.all(GOOD_RUNS.map((name) => fixtureRun(name)));
  const groups = groupRuns(runs);
  assert.deepEqual(
    groups.map((g) => g.members),
    [['baseline-seed0', 'baseline-seed1'], ['augmented']],
  );
  assert.equal(groups[0]!.label, 'baseline (2 seeds)');
  assert.equal(groups[1]!.label, 'augmented');
  assert.notEqual(runs[0]!.config.seed, runs[1]!.config.seed); // the fixture really differs in the seed
});

test('any other difference splits a group; key order does not matter', () => {
  const a = { seed: 0, 'optimizer.lr': 0.01, 'model.kind': 'mlp' };
  assert.equal(groupKey(a), groupKey({ 'model.kind': 'mlp', 'optimizer.lr': 0.01, seed: 3 }));
  assert.notEqual(groupKey(a), groupKey({ ...a, 'optimizer.lr': 0.02 }));
  assert.notEqual(groupKey(a), groupKey({ seed: 0, 'optimizer.lr': 0.01 }));
  const groups = groupRuns([
    { id: 'x', name: 'x', config: a },
    { id: 'y', name: 'y', config: {} }, // unreadable config: never grouped
    { id: 'z', name: 'z', config: {} },
  ]);
  assert.equal(groups.length, 3);
});

test('mean ± std: two members give mean (a+b)/2 and sample std |a−b|/√2; a lone step has std 0', () => {
  const band = meanStd([
    { step: [10, 20, 30], x: [1, 2, 3], y: [1, 4, 9] },
    { step: [10, 20], x: [1, 2], y: [3, 0] },
  ]);
  assert.deepEqual([...band.x], [1, 2, 3]);
  assert.deepEqual([...band.mean], [2, 2, 9]);
  [Math.SQRT2, 4 / Math.SQRT2, 0].forEach((want, i) => assert.ok(Math.abs(band.std[i]! - want) < 1e-12, `std[${i}] ${band.std[i]} vs ${want}`));
  assert.deepEqual([...band.n], [2, 2, 1]);
});

test('members are aligned on the step, their x (e.g. wall time) averaged; NaN values are left out', () => {
  const band = meanStd([
    { step: [5, 10], x: [1.0, 2.0], y: [1, Number.NaN] },
    { step: [5, 10], x: [3.0, 4.0], y: [3, 7] },
  ]);
  assert.deepEqual([...band.x], [2, 4]);
  assert.deepEqual([...band.mean], [2, 7]);
  assert.deepEqual([...band.n], [2, 1]);
});

for (const shared of [false, true]) {
  test(`mean ± std matches a naive per-step computation on random members (${shared ? 'the same steps' : 'partly overlapping steps'})`, () => {
    const rng = mulberry32(shared ? 6 : 5);
    const common = Array.from({ length: 200 }, (_, i) => 10 * i);
    const members = Array.from({ length: 4 }, (_, k) => {
      const steps = shared ? common : common.map((s, i) => s + (k % 2) * 5 * (i % 3 === 0 ? 1 : 0)).filter(() => rng() > 0.2);
      return { step: steps, x: steps.map((s) => s / 100 + k), y: steps.map((_, i) => (rng() < 0.02 || (shared && i === 7) ? Number.NaN : rng())) };
    });
    const byStep = new Map<number, { xs: number[]; ys: number[] }>();
    for (const m of members)
      m.step.forEach((s, i) => {
        if (Number.isNaN(m.y[i]!)) return;
        const e = byStep.get(s) ?? { xs: [], ys: [] };
        e.xs.push(m.x[i]!);
        e.ys.push(m.y[i]!);
        byStep.set(s, e);
      });
    const steps = [...byStep.keys()].sort((a, b) => a - b);
    const band = meanStd(members);
    assert.equal(band.x.length, steps.length);
    steps.forEach((s, j) => {
      const { xs, ys } = byStep.get(s)!;
      const mean = ys.reduce((a, b) => a + b, 0) / ys.length;
      const std = ys.length > 1 ? Math.sqrt(ys.reduce((a, y) => a + (y - mean) ** 2, 0) / (ys.length - 1)) : 0;
      assert.ok(Math.abs(band.mean[j]! - mean) < 1e-12 && Math.abs(band.std[j]! - std) < 1e-12 && band.n[j] === ys.length, `step ${s}`);
      assert.ok(Math.abs(band.x[j]! - xs.reduce((a, b) => a + b, 0) / xs.length) < 1e-12);
    });
  });
}
