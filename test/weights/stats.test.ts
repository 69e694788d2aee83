import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensorStats } from '../../src/core/weights/stats';
import { mulberry32 } from '../helpers/random';

test('statistics agree with a one-pass float64 reference on random data with NaN/Inf mixed in', () => {
  for (let seed = 1; seed <= 20; seed++) {
    const rng = mulberry32(seed);
    const values = new Float32Array(1 + Math.floor(rng() * 500));
    for (let i = 0; i < values.length; i++) {
      const r = rng();
      values[i] = r < 0.03 ? NaN : r < 0.05 ? -Infinity : r < 0.2 ? 0 : (rng() - 0.3) * 7;
    }
    const finite = Array.from(values).filter(Number.isFinite);
    const mean = finite.reduce((a, b) => a + b, 0) / finite.length;
    const variance = finite.reduce((a, b) => a + b * b, 0) / finite.length - mean * mean;
    const s = tensorStats(values);
    assert.equal(s.params, values.length);
    assert.equal(s.nonFinite, values.length - finite.length);
    assert.equal(s.min, Math.min(...finite));
    assert.equal(s.max, Math.max(...finite));
    assert.ok(Math.abs(s.mean! - mean) < 1e-12, `mean, seed ${seed}`);
    // E[x²] − E[x]² loses a few digits to cancellation; 1e-9 relative is far above that and far below float32.
    assert.ok(Math.abs(s.std! - Math.sqrt(Math.max(variance, 0))) <= 1e-9 * (1 + s.std!), `std, seed ${seed}`);
    assert.equal(s.zerosPct, (100 * Array.from(values).filter((v) => v === 0).length) / values.length);
  }
});

test('a tensor with no finite values has null statistics and counts every value as non-finite', () => {
  const s = tensorStats(new Float32Array([NaN, Infinity]));
  assert.deepEqual([s.min, s.max, s.mean, s.std, s.nonFinite], [null, null, null, null, 2]);
  assert.deepEqual(tensorStats(new Float32Array(0)).params, 0);
});
