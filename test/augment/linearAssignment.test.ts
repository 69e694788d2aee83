/** The linear assignment solver against brute force (every permutation) on sizes ≤ 7, over many seeds. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assignmentCost, solveAssignment } from '../../src/core/augment/linearAssignment';
import { isPermutation } from '../../src/core/augment/permutation';
import { Rng } from '../../src/core/random/rng';

function* permutations(n: number): Generator<number[]> {
  if (n === 0) {
    yield [];
    return;
  }
  for (const rest of permutations(n - 1)) {
    for (let k = 0; k <= rest.length; k++) yield [...rest.slice(0, k), n - 1, ...rest.slice(k)];
  }
}

function bruteForce(cost: Float64Array, n: number, maximize: boolean): number {
  let best = maximize ? -Infinity : Infinity;
  for (const p of permutations(n)) {
    const c = assignmentCost(cost, n, p);
    best = maximize ? Math.max(best, c) : Math.min(best, c);
  }
  return best;
}

test('solveAssignment finds the optimum brute force finds, minimising and maximising, n ≤ 7, 600 seeds', () => {
  for (let seed = 0; seed < 600; seed++) {
    const rng = new Rng(seed);
    const n = rng.int(1, 7);
    // Every third case has small integer costs, so ties are common; the others are real-valued of any sign.
    const integer = seed % 3 === 0;
    const cost = Float64Array.from({ length: n * n }, () => (integer ? rng.int(0, 3) : rng.normal() * 10 ** rng.int(-3, 3)));
    for (const maximize of [false, true]) {
      const assignment = solveAssignment(cost, n, { maximize });
      assert.ok(isPermutation(assignment, n), `seed ${seed}: not a permutation`);
      const found = assignmentCost(cost, n, assignment);
      const best = bruteForce(cost, n, maximize);
      const scale = cost.reduce((s, v) => s + Math.abs(v), 0);
      assert.ok(Math.abs(found - best) <= 1e-12 * scale, `seed ${seed} n ${n} maximize ${maximize}: ${found} vs brute force ${best}`);
    }
  }
});

test('solveAssignment recovers a planted permutation on large problems and handles n = 0', () => {
  for (let seed = 0; seed < 20; seed++) {
    const rng = new Rng(seed);
    const n = rng.int(20, 64);
    const planted = rng.permutation(n);
    const cost = Float64Array.from({ length: n * n }, () => rng.uniform(0, 1));
    for (let i = 0; i < n; i++) cost[i * n + planted[i]!] = 2; // strictly best in every row and column
    assert.deepEqual(Array.from(solveAssignment(cost, n, { maximize: true })), Array.from(planted), `seed ${seed}`);
  }
  assert.deepEqual(Array.from(solveAssignment([], 0)), []);
  assert.throws(() => solveAssignment([0, NaN, 1, 2], 2), /cost\[0\]\[1\] is NaN/);
  assert.throws(() => solveAssignment([1, 2, 3], 2), /3 costs for a 2×2/);
});
