/**
 * Input warps: for translate (any input dimension), rotate (2-D, and 3-D about a random axis) and scale, the result g satisfies
 * g(x) = f(A x + t) at random points, with A, t taken from the values the augmentation reports; only
 * layer 0 changes; the drawn values cover their ranges; chained warps compose. Tolerance: twice the
 * first-order float32 bound (helpers.ts) of g at x plus that of f at the float32-rounded A x + t.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applySteps, chainInputWarp } from '../../src/core/augment/chain';
import type { Network } from '../../src/core/weights/network';
import { AugmentError } from '../../src/core/augment/params';
import { parseAugmentations } from '../../src/core/augment/parse';
import { findAugmentation } from '../../src/core/augment/registry';
import type { AffineMap } from '../../src/core/augment/augmentation';
import { composeWarps, mapPoints, rotationMatrix } from '../../src/core/augment/warps';
import { Rng } from '../../src/core/random/rng';
import { evaluate, excessOverTolerance, float32Bound, randomNetwork, randomPoints, SIREN } from './helpers';

const SEEDS = 150;

/** Max of |g(x) − f(A x + t)| − tolerance over the points (≤ 0 passes), and the largest error. */
function warpExcess(parent: Network, result: Network, map: AffineMap, points: Float32Array) {
  const warped = mapPoints(map, points);
  const f = evaluate(parent, SIREN, warped);
  const g = evaluate(result, SIREN, points);
  const boundF = float32Bound(parent, SIREN, warped);
  const bound = float32Bound(result, SIREN, points).map((v, i) => v + boundF[i]!);
  return excessOverTolerance(g, f, bound);
}

for (const [name, inputDim] of [
  ['translate', undefined],
  ['rotate', 2],
  ['rotate', 3],
  ['scale', undefined],
] as const) {
  test(`${name}${inputDim ? ` (${inputDim}-D)` : ''}: g(x) = f(A·x + t) at random points to float32 precision, only layer 0 changes (${SEEDS} seeds, any depth/width)`, () => {
    const augmentation = findAugmentation(name)!;
    let worst = 0;
    for (let seed = 0; seed < SEEDS; seed++) {
      const rng = new Rng(seed);
      const parent = randomNetwork(rng, inputDim ? { inputDim } : {});
      const { example, drawn } = augmentation.apply({ example: { network: parent }, activation: SIREN }, {}, rng);
      const dim = parent[0]!.inFeatures;
      const map = augmentation.inputWarp!(drawn, dim);
      const { excess, maxError } = warpExcess(parent, example.network, map, randomPoints(rng, 100, dim));
      assert.ok(excess <= 0, `seed ${seed}: |g(x) − f(Ax+t)| = ${maxError} exceeds the tolerance by ${excess}`);
      worst = Math.max(worst, maxError);
      example.network.slice(1).forEach((layer, l) => {
        assert.deepEqual(layer.W, parent[l + 1]!.W);
        assert.deepEqual(layer.b, parent[l + 1]!.b);
      });
      if (name !== 'translate') assert.deepEqual(example.network[0]!.b, parent[0]!.b, 'a linear warp keeps b_0');
    }
    console.log(`${name}: largest |g(x) − f(Ax+t)| over ${SEEDS} networks: ${worst.toExponential(2)}`);
  });
}

test('drawn warp values cover their ranges and respect the parameters', () => {
  const parent = randomNetwork(new Rng(0), { inputDim: 2 });
  const draws = (name: string, params: Record<string, number>) =>
    Array.from({ length: 400 }, (_, seed) => findAugmentation(name)!.apply({ example: { network: parent }, activation: SIREN }, params, new Rng(seed)).drawn);
  const t = draws('translate', { scale: 0.1 }).flatMap((d) => d.t as number[]);
  assert.ok(Math.max(...t.map(Math.abs)) <= 0.1 && Math.max(...t) > 0.09 && Math.min(...t) < -0.09);
  const degrees = draws('rotate', {}).map((d) => d.degrees as number);
  assert.ok(Math.max(...degrees.map(Math.abs)) <= 30 && Math.max(...degrees) > 27 && Math.min(...degrees) < -27);
  const s = draws('scale', {}).map((d) => d.s as number);
  assert.ok(Math.min(...s) >= 0.8 && Math.max(...s) <= 1.2 && Math.min(...s) < 0.82 && Math.max(...s) > 1.18);
  const rotation = draws('rotate', {})[0]!;
  assert.deepEqual(rotation.A, rotationMatrix(rotation.degrees as number));
});

test('a chain of warps is the composition of its maps: g(x) = f(A x + t) for rotate+translate+scale', () => {
  const steps = parseAugmentations('rotate+translate+scale');
  for (let seed = 0; seed < 50; seed++) {
    const rng = new Rng(seed);
    const parent = randomNetwork(rng, { inputDim: 2 });
    const { example, records } = applySteps(steps, { example: { network: parent }, activation: SIREN }, rng);
    const { excess, maxError } = warpExcess(parent, example.network, chainInputWarp(steps, records, 2), randomPoints(rng, 100, 2));
    assert.ok(excess <= 0, `seed ${seed}: ${maxError}`);
  }
  const r: AffineMap = { A: rotationMatrix(90), t: [1, 0] };
  const shift: AffineMap = {
    A: [
      [1, 0],
      [0, 1],
    ],
    t: [0, 2],
  };
  // f(R(Sx)) with S(x) = x + (0, 2): R·(0, 2) + (1, 0) = (−2 + 1, 0).
  const composed = composeWarps(r, shift);
  assert.ok(Math.abs(composed.t[0]! - -1) < 1e-12 && Math.abs(composed.t[1]!) < 1e-12);
});

test('rotate refuses a network that is not a 2-D or 3-D INR, naming the problem', () => {
  const parent = randomNetwork(new Rng(3), { inputDim: 4 });
  assert.throws(
    () => findAugmentation('rotate')!.apply({ example: { network: parent }, activation: SIREN }, {}, new Rng(1)),
    (e: unknown) => e instanceof AugmentError && /rotate needs a 2-D or 3-D INR \(2 or 3 inputs\); this network has 4/.test(e.message),
  );
});

test('a 3-D rotation is in SO(3): orthonormal, determinant 1, turning by the drawn angle about the drawn unit axis', () => {
  const parent = randomNetwork(new Rng(4), { inputDim: 3 });
  for (let seed = 0; seed < 200; seed++) {
    const { drawn } = findAugmentation('rotate')!.apply({ example: { network: parent }, activation: SIREN }, { degrees: 90 }, new Rng(seed));
    const [A, axis, degrees] = [drawn.A as number[][], drawn.axis as number[], drawn.degrees as number];
    for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) assert.ok(Math.abs(A[r]!.reduce((s, v, k) => s + v * A[c]![k]!, 0) - (r === c ? 1 : 0)) < 1e-12);
    const det =
      A[0]![0]! * (A[1]![1]! * A[2]![2]! - A[1]![2]! * A[2]![1]!) -
      A[0]![1]! * (A[1]![0]! * A[2]![2]! - A[1]![2]! * A[2]![0]!) +
      A[0]![2]! * (A[1]![0]! * A[2]![1]! - A[1]![1]! * A[2]![0]!);
    assert.ok(Math.abs(det - 1) < 1e-12, `det ${det}`);
    assert.ok(Math.abs(Math.hypot(...axis) - 1) < 1e-12 && Math.abs(degrees) <= 90);
    // The axis is fixed, and the trace is 1 + 2 cos θ.
    axis.forEach((_, r) => assert.ok(Math.abs(A[r]!.reduce((s, v, k) => s + v * axis[k]!, 0) - axis[r]!) < 1e-12));
    assert.ok(Math.abs(A[0]![0]! + A[1]![1]! + A[2]![2]! - (1 + 2 * Math.cos((degrees * Math.PI) / 180))) < 1e-12);
  }
});
