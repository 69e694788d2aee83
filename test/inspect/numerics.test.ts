// The inspector's numerics against brute-force oracles: histogram binning (numpy's rule: half-open bins,
// the last one closed), block-averaged heatmaps, row/column norms and tensor differences.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { histogram } from '../../src/core/inspect/histogram';
import { downsampleMatrix, matrixShape, rowColumnNorms } from '../../src/core/inspect/matrixView';
import { compareTensors } from '../../src/core/inspect/diff';
import { mulberry32 } from '../helpers/random';

function randomValues(seed: number, n: number, scale = 1): Float32Array {
  const rng = mulberry32(seed);
  return Float32Array.from({ length: n }, () => (rng() * 2 - 1) * scale);
}

/** numpy.histogram(values, bins) over the finite values, written the obvious way (edges, comparisons). */
function oracleHistogram(values: ArrayLike<number>, bins: number): number[] {
  const finite = Array.from(values).filter(Number.isFinite);
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  if (lo === hi) [lo, hi] = [lo - 0.5, hi + 0.5];
  const edges = Array.from({ length: bins + 1 }, (_, i) => lo + ((hi - lo) * i) / bins);
  const counts = new Array<number>(bins).fill(0);
  for (const v of finite) {
    let placed = false;
    for (let b = 0; b < bins && !placed; b++) {
      if (v >= edges[b]! && (v < edges[b + 1]! || b === bins - 1)) {
        counts[b]!++;
        placed = true;
      }
    }
  }
  return counts;
}

test('histogram: counts match numpy-style binning on random data, for several bin counts', () => {
  for (const [seed, n, bins] of [
    [1, 1000, 64],
    [2, 5000, 7],
    [3, 17, 1],
    [4, 333, 1024],
  ] as const) {
    const values = randomValues(seed, n, 3);
    const h = histogram(values, bins);
    assert.deepEqual(h.counts, oracleHistogram(values, bins), `seed ${seed}`);
    assert.equal(
      h.counts.reduce((a, b) => a + b, 0),
      n,
    );
    assert.equal(h.min, Math.min(...values));
    assert.equal(h.max, Math.max(...values));
  }
});

test('histogram: the maximum lands in the last bin, NaN/Inf are counted apart, a constant sits in the middle', () => {
  const h = histogram(Float32Array.from([0, 1, 2, 3, 4, NaN, Infinity, -Infinity]), 4);
  assert.deepEqual(h.counts, [1, 1, 1, 2]);
  assert.equal(h.nonFinite, 3);
  const constant = histogram(Float32Array.from([2.5, 2.5, 2.5]), 5);
  assert.deepEqual(constant.counts, [0, 0, 3, 0, 0]);
  assert.deepEqual([constant.min, constant.max], [2, 3]);
  const none = histogram(Float32Array.from([NaN]), 3);
  assert.deepEqual(none.counts, [0, 0, 0]);
  assert.equal(none.nonFinite, 1);
});

test('histogram: refuses bin counts that are not integers in [1, 1024]', () => {
  for (const bins of [0, -1, 1.5, 1025, NaN, Infinity]) assert.throws(() => histogram(new Float32Array(3), bins), RangeError, String(bins));
});

test('matrixShape: scalars, vectors, matrices and higher ranks (one row per leading index)', () => {
  assert.deepEqual(matrixShape([]), { rows: 1, cols: 1 });
  assert.deepEqual(matrixShape([7]), { rows: 1, cols: 7 });
  assert.deepEqual(matrixShape([3, 4]), { rows: 3, cols: 4 });
  assert.deepEqual(matrixShape([8, 3, 5, 5]), { rows: 8, cols: 75 });
});

test('downsampleMatrix: a small matrix is unchanged; a big one is the mean of each block (brute force)', () => {
  const small = randomValues(5, 12);
  const same = downsampleMatrix(small, { rows: 3, cols: 4 }, 256, 256);
  assert.deepEqual([same.rows, same.cols, same.blockRows, same.blockCols], [3, 4, 1, 1]);
  assert.deepEqual(Array.from(same.values), Array.from(small));

  const rows = 301;
  const cols = 517;
  const big = randomValues(6, rows * cols);
  big[5] = NaN;
  const d = downsampleMatrix(big, { rows, cols }, 64, 100);
  assert.ok(d.rows <= 64 && d.cols <= 100, `${d.rows}×${d.cols}`);
  assert.equal(d.blockRows, Math.ceil(rows / 64));
  for (const [r, c] of [
    [0, 0],
    [d.rows - 1, d.cols - 1],
    [10, 37],
  ] as const) {
    let sum = 0;
    let n = 0;
    for (let i = r * d.blockRows; i < Math.min(rows, (r + 1) * d.blockRows); i++) {
      for (let j = c * d.blockCols; j < Math.min(cols, (c + 1) * d.blockCols); j++) {
        const v = big[i * cols + j]!;
        if (Number.isFinite(v)) {
          sum += v;
          n++;
        }
      }
    }
    assert.ok(Math.abs(d.values[r * d.cols + c]! - sum / n) < 1e-6, `block [${r}, ${c}]`);
  }
});

test('rowColumnNorms: the L2 norm of every row and column (brute force), shrunk past maxLength', () => {
  const rows = 6;
  const cols = 9;
  const m = randomValues(7, rows * cols);
  const norms = rowColumnNorms(m, { rows, cols }, 512);
  for (let r = 0; r < rows; r++) {
    const expected = Math.hypot(...Array.from({ length: cols }, (_, c) => m[r * cols + c]!));
    assert.ok(Math.abs(norms.rows[r]! - expected) < 1e-5);
  }
  for (let c = 0; c < cols; c++) {
    const expected = Math.hypot(...Array.from({ length: rows }, (_, r) => m[r * cols + c]!));
    assert.ok(Math.abs(norms.cols[c]! - expected) < 1e-5);
  }
  const long = rowColumnNorms(new Float32Array(2000).fill(1), { rows: 2000, cols: 1 }, 100);
  assert.equal(long.rows.length, 100);
  assert.equal(long.rowBlock, 20);
  assert.ok(long.rows.every((v) => v === 1));
});

test('compareTensors: L2 and max-abs of the difference, relative to the first tensor', () => {
  const a = Float32Array.from([3, 4, 0]);
  const b = Float32Array.from([3, 4, 0]);
  assert.deepEqual(compareTensors(a, b), { l2: 0, maxAbs: 0, relative: 0 });
  const c = Float32Array.from([0, 4, 2]);
  const d = compareTensors(a, c);
  assert.ok(Math.abs(d.l2 - Math.hypot(3, 2)) < 1e-12);
  assert.equal(d.maxAbs, 3);
  assert.ok(Math.abs(d.relative! - Math.hypot(3, 2) / 5) < 1e-12);
  assert.equal(compareTensors(new Float32Array(2), Float32Array.from([1, 0])).relative, null);
  assert.throws(() => compareTensors(a, new Float32Array(2)), RangeError);
});
