// Min/max-per-bucket decimation (webview/compare/decimation.ts): what it keeps is checked against the
// input bucket by bucket — same extremes, same first and last point — on random walks with spikes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decimate } from '../../webview/compare/decimation';
import { mulberry32 } from '../helpers/random';

function walk(n: number, seed: number): { x: Float64Array; y: Float64Array } {
  const rng = mulberry32(seed);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  let v = 0;
  for (let i = 0; i < n; i++) {
    x[i] = i * 10;
    v += rng() - 0.5;
    y[i] = rng() < 0.001 ? v + 50 : v; // rare one-point spikes
  }
  return { x, y };
}

test('keeps at most 4 points per bucket, in x order, and every bucket’s min, max, first and last', () => {
  for (const [n, buckets, seed] of [
    [10_000, 800, 1],
    [5_003, 97, 2],
    [20_000, 1, 3],
  ] as const) {
    const input = walk(n, seed);
    const out = decimate(input, buckets);
    assert.ok(out.length <= 4 * buckets, `${out.length} points for ${buckets} buckets`);
    for (let i = 1; i < out.length; i++) assert.ok(out[i]!.x >= out[i - 1]!.x);
    const x0 = input.x[0]!;
    const span = input.x[n - 1]! - x0;
    const bucketOf = (x: number) => Math.min(buckets - 1, Math.floor(((x - x0) / span) * buckets));
    const stats = (xs: ArrayLike<number>, ys: ArrayLike<number>) => {
      const m = new Map<number, { min: number; max: number; first: number; last: number }>();
      for (let i = 0; i < xs.length; i++) {
        const b = bucketOf(xs[i]!);
        const s = m.get(b);
        if (!s) m.set(b, { min: ys[i]!, max: ys[i]!, first: ys[i]!, last: ys[i]! });
        else Object.assign(s, { min: Math.min(s.min, ys[i]!), max: Math.max(s.max, ys[i]!), last: ys[i]! });
      }
      return m;
    };
    assert.deepEqual(
      stats(
        out.map((p) => p.x),
        out.map((p) => p.y),
      ),
      stats(input.x, input.y),
    );
  }
});

test('short series come back whole; non-finite points are dropped', () => {
  assert.deepEqual(decimate({ x: [0, 1, 2], y: [1, Number.NaN, 3] }, 100), [
    { x: 0, y: 1 },
    { x: 2, y: 3 },
  ]);
  assert.deepEqual(decimate({ x: [], y: [] }, 10), []);
});

test('a one-point spike survives decimating 10,000 points to 200 columns', () => {
  const n = 10_000;
  const x = Float64Array.from({ length: n }, (_, i) => i);
  const y = new Float64Array(n).fill(1);
  y[4321] = 99;
  const out = decimate({ x, y }, 200);
  assert.ok(out.length <= 4 * 200, `${out.length} points`);
  assert.ok(out.some((p) => p.x === 4321 && p.y === 99));
});
