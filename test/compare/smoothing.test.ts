// TensorBoard smoothing (webview/compare/smoothing.ts) against its closed form: the debiased EMA at i is
// Σ_k w^(i−k)(1−w)·x_k / (1 − w^(i+1)), computed here directly, term by term, in float64.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { smooth } from '../../webview/compare/smoothing';
import { mulberry32 } from '../helpers/random';

function closedForm(xs: readonly number[], w: number): number[] {
  return xs.map((_, i) => {
    let sum = 0;
    for (let k = 0; k <= i; k++) sum += w ** (i - k) * (1 - w) * xs[k]!;
    return sum / (1 - w ** (i + 1));
  });
}

test('smooth equals the closed form of the debiased EMA for random series and weights', () => {
  const rng = mulberry32(7);
  for (const w of [0.1, 0.6, 0.9, 0.99]) {
    const xs = Array.from({ length: 300 }, (_, i) => Math.exp(-i / 100) + 0.3 * (rng() - 0.5));
    const got = smooth(xs, w);
    const want = closedForm(xs, w);
    for (let i = 0; i < xs.length; i++) assert.ok(Math.abs(got[i]! - want[i]!) < 1e-12, `w ${w}, i ${i}: ${got[i]} vs ${want[i]}`);
  }
});

test('the first smoothed value is the first value (debiasing removes the pull towards 0)', () => {
  assert.equal(smooth([5, 1, 1], 0.9)[0], 5);
  assert.ok(smooth([5, 1, 1], 0.9)[1]! > 1 && smooth([5, 1, 1], 0.9)[1]! < 5);
});

test('weight 0 and constant series come back unchanged', () => {
  assert.deepEqual([...smooth([3, 1, 2], 0)], [3, 1, 2]);
  assert.deepEqual([...smooth([0.1, 0.1, 0.1], 0.95)], [0.1, 0.1, 0.1]);
});

test('non-finite values pass through and do not enter the average', () => {
  const got = smooth([1, Number.NaN, 3, Number.POSITIVE_INFINITY, 5], 0.5);
  const want = closedForm([1, 3, 5], 0.5);
  assert.ok(Number.isNaN(got[1]!));
  assert.equal(got[3], Number.POSITIVE_INFINITY);
  assert.deepEqual([got[0], got[2], got[4]], want);
});

test('a weight outside [0, 1) is refused', () => {
  for (const w of [1, -0.1, Number.NaN]) assert.throws(() => smooth([1, 2], w), RangeError);
});
