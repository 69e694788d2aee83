/** Data-equivalents: interpolation in log(size) between the bracketing reference points, never extrapolated. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dataEquivalent } from '../../src/core/study/dataEquivalent';

const reference = [
  { size: 1000, accuracy: 0.4 },
  { size: 8000, accuracy: 0.6 },
  { size: 2000, accuracy: 0.5 },
];

test('an accuracy between two reference points maps to the size at the same fraction of the log-size interval', () => {
  // Halfway between 0.4 (1,000) and 0.5 (2,000): the geometric mean √(1000·2000).
  const q = dataEquivalent(reference, 0.45)!;
  assert.equal(q.kind, 'size');
  assert.ok(Math.abs(q.size - Math.sqrt(1000 * 2000)) < 1e-6, String(q.size));
  // A quarter of the way from 0.5 (2,000) to 0.6 (8,000): 2000 · 4^0.25.
  const r = dataEquivalent(reference, 0.525)!;
  assert.ok(Math.abs(r.size - 2000 * 4 ** 0.25) < 1e-6, String(r.size));
  assert.equal(dataEquivalent(reference, 0.5)!.size, 2000);
});

test('outside the reference curve the answer is a bound, not an extrapolation', () => {
  assert.deepEqual(dataEquivalent(reference, 0.7), { kind: 'above', size: 8000 });
  assert.deepEqual(dataEquivalent(reference, 0.1), { kind: 'below', size: 1000 });
  assert.equal(dataEquivalent([], 0.5), null);
  assert.equal(dataEquivalent(reference, NaN), null);
});

test('a reference curve that dips takes the first crossing, smallest sizes first', () => {
  const dipping = [
    { size: 100, accuracy: 0.3 },
    { size: 200, accuracy: 0.5 },
    { size: 400, accuracy: 0.4 },
    { size: 800, accuracy: 0.7 },
  ];
  const q = dataEquivalent(dipping, 0.45)!;
  assert.ok(q.size > 100 && q.size < 200, String(q.size));
});
