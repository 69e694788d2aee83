/**
 * The MixUp family on random SIRENs of any depth and width with targets over a random number of
 * classes: α stays in [min, max]; the result is α·a + (1−α)·b' parameter by parameter (b' = the partner,
 * aligned by the reported permutations where the variant aligns); labels are mixed with the same α, or
 * hard for weights-only; mixing a network with itself returns it; self re-basin only picks
 * augmentations the network accepts (no crash on 3-D INRs).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Example } from '../../src/core/augment/augmentation';
import { isPermutation, permuteNeurons } from '../../src/core/augment/permutation';
import { hiddenWidths, type Network } from '../../src/core/weights/network';
import { AugmentError } from '../../src/core/augment/params';
import { findAugmentation } from '../../src/core/augment/registry';
import { oneHot } from '../../src/core/augment/targets';
import { Rng } from '../../src/core/random/rng';
import { randomNetwork, RELU, sameBits, SIREN, snapshot } from './helpers';

const MIXUPS = ['mixup', 'mixup-weights-only', 'mixup-permute', 'mixup-aligned', 'mixup-combination', 'mixup-self-rebasin'];

/** Two networks of one random architecture with one-hot targets over a random number of classes. */
function pairOf(seed: number): { a: Example; b: Example; classes: number } {
  const rng = new Rng(seed);
  const a = randomNetwork(rng, { inputDim: 2 });
  const b = a.map((l) => ({ ...l, W: Float32Array.from(l.W, (v) => v + rng.normal() * 0.3), b: Float32Array.from(l.b, () => rng.uniform(-0.5, 0.5)) }));
  const classes = rng.int(2, 40);
  return { a: { network: a, target: oneHot(rng.int(0, classes - 1), classes) }, b: { network: b, target: oneHot(rng.int(0, classes - 1), classes) }, classes };
}

/** |g − (α·a + (1−α)·b)| within one float32 rounding for every parameter. */
function assertMix(g: Network, a: Network, b: Network, alpha: number, message: string): void {
  g.forEach((layer, l) => {
    for (const key of ['W', 'b'] as const) {
      layer[key].forEach((v, k) => {
        const expected = alpha * a[l]![key][k]! + (1 - alpha) * b[l]![key][k]!;
        assert.ok(Math.abs(v - expected) <= 2 ** -24 * Math.abs(expected) + 1e-45, `${message}: layer ${l} ${key}[${k}] = ${v}, expected ${expected}`);
      });
    }
  });
}

for (const name of MIXUPS) {
  test(`${name}: α ∈ [min, max] over 100 seeds; mixed weights and labels follow α; inputs untouched`, () => {
    const augmentation = findAugmentation(name)!;
    for (let seed = 0; seed < 100; seed++) {
      const { a, b } = pairOf(seed);
      const rng = new Rng(seed);
      const min = rng.uniform(0, 1);
      const max = rng.uniform(min, 1);
      const before = [snapshot(a.network), snapshot(b.network)];
      const { example, drawn } = augmentation.apply({ example: a, partner: b, activation: SIREN }, { min, max }, rng);
      const alpha = drawn.alpha as number;
      assert.ok(alpha >= min && alpha <= max, `seed ${seed}: α ${alpha} outside [${min}, ${max}]`);
      assert.ok(sameBits(snapshot(a.network), before[0]!) && sameBits(snapshot(b.network), before[1]!), 'inputs unchanged');
      const target = example.target!;
      assert.ok(Math.abs(target.reduce((s, v) => s + v, 0) - 1) < 1e-12, 'the label sums to 1');
      if (name === 'mixup-weights-only') {
        assert.deepEqual(target, alpha >= 0.5 ? a.target : b.target);
        assert.equal(drawn.label, alpha >= 0.5 ? 'self' : 'partner');
      } else if (name === 'mixup-self-rebasin') {
        assert.deepEqual(target, a.target, 'self re-basin keeps the label');
      } else {
        target.forEach((v, c) => assert.ok(Math.abs(v - (alpha * a.target![c]! + (1 - alpha) * b.target![c]!)) < 1e-15));
      }
      const perms = drawn.perms as number[][] | undefined;
      perms?.forEach((p, l) => assert.ok(isPermutation(p, hiddenWidths(a.network)[l]!)));
      if (name === 'mixup' || name === 'mixup-weights-only') assertMix(example.network, a.network, b.network, alpha, `seed ${seed}`);
      if (name === 'mixup-permute') assertMix(example.network, permuteNeurons(a.network, perms!), b.network, alpha, `seed ${seed}`);
      if (name === 'mixup-aligned') {
        assertMix(example.network, a.network, permuteNeurons(b.network, perms!), alpha, `seed ${seed}`);
        const objective = drawn.objective as number[];
        for (let i = 1; i < objective.length; i++) assert.ok(objective[i]! >= objective[i - 1]!);
      }
    }
  });
}

test('mixing a network with itself returns it bit for bit (mixup, weights-only, aligned), for any α', () => {
  for (let seed = 0; seed < 60; seed++) {
    const { a } = pairOf(seed);
    for (const name of ['mixup', 'mixup-weights-only', 'mixup-aligned']) {
      const { example, drawn } = findAugmentation(name)!.apply({ example: a, partner: a, activation: SIREN }, {}, new Rng(seed));
      assert.ok(sameBits(snapshot(example.network), snapshot(a.network)), `${name} seed ${seed}`);
      assert.deepEqual(example.target, a.target);
      if (name === 'mixup-aligned')
        assert.ok(
          (drawn.perms as number[][]).every((p) => p.every((v, j) => v === j)),
          'aligned to itself: identity',
        );
    }
  }
});

test('mixup-permute at α = 1 is the randomly permuted network (the same function); at α = 0 the partner', () => {
  const { a, b } = pairOf(1);
  const one = findAugmentation('mixup-permute')!.apply({ example: a, partner: b, activation: SIREN }, { min: 1, max: 1 }, new Rng(2));
  assert.ok(sameBits(snapshot(one.example.network), snapshot(permuteNeurons(a.network, one.drawn.perms as number[][]))));
  const zero = findAugmentation('mixup-permute')!.apply({ example: a, partner: b, activation: SIREN }, { min: 0, max: 0 }, new Rng(2));
  assert.ok(sameBits(snapshot(zero.example.network), snapshot(b.network)));
});

test('mixup-combination records translate, noise and negation, then aligns the partner; at α = 0 the aligned partner', () => {
  for (let seed = 0; seed < 30; seed++) {
    const { a, b } = pairOf(seed);
    const { example, drawn } = findAugmentation('mixup-combination')!.apply({ example: a, partner: b, activation: SIREN }, { min: 0, max: 0 }, new Rng(seed));
    assert.deepEqual(Object.keys(drawn).slice(0, 3), ['translate', 'gaussian-noise', 'siren-negation']);
    assert.ok(sameBits(snapshot(example.network), snapshot(permuteNeurons(b.network, drawn.perms as number[][]))));
  }
  assert.throws(
    () => findAugmentation('mixup-combination')!.apply({ example: pairOf(0).a, partner: pairOf(0).b, activation: RELU }, {}, new Rng(0)),
    (e: unknown) => e instanceof AugmentError && /needs a SIREN/.test(e.message),
  );
});

test('mixup-self-rebasin picks only augmentations the network accepts: never rotate on 4-D inputs, never SIREN ones on ReLU', () => {
  const picks = new Map<string, number>();
  for (let seed = 0; seed < 200; seed++) {
    const rng = new Rng(seed);
    const relu = seed % 2 === 1;
    const network = randomNetwork(rng, { inputDim: 4, activation: relu ? RELU : SIREN });
    const { example, drawn } = findAugmentation('mixup-self-rebasin')!.apply(
      { example: { network }, activation: relu ? RELU : SIREN },
      { min: 1, max: 1 },
      rng,
    );
    const chosen = drawn.augmentation as string;
    picks.set(chosen, (picks.get(chosen) ?? 0) + 1);
    assert.notEqual(chosen, 'rotate');
    if (relu) assert.ok(!chosen.startsWith('siren-'), chosen);
    else assert.notEqual(chosen, 'relu-scaling');
    assert.ok(drawn[chosen] !== undefined, 'the chosen augmentation’s draws are recorded');
    assert.ok(sameBits(snapshot(example.network), snapshot(network)), 'α = 1 returns the network itself');
  }
  assert.deepEqual([...picks.keys()].sort(), [
    'dropout',
    'gaussian-noise',
    'quantile-dropout',
    'relu-scaling',
    'scale',
    'siren-bias',
    'siren-negation',
    'translate',
  ]);
  const on3d = Array.from({ length: 100 }, (_, seed) => {
    const rng = new Rng(seed);
    const network = randomNetwork(rng, { inputDim: 3 });
    return findAugmentation('mixup-self-rebasin')!.apply({ example: { network }, activation: SIREN }, { min: 1, max: 1 }, rng).drawn.augmentation;
  });
  assert.ok(on3d.includes('rotate'), 'a 3-D INR can be rotated');
});

test('MixUp refuses a missing partner or one of another architecture, and bounds in the wrong order', () => {
  const { a } = pairOf(0);
  const other = randomNetwork(new Rng(99), { inputDim: 3 });
  const mixup = findAugmentation('mixup')!;
  assert.throws(() => mixup.apply({ example: a, activation: SIREN }, {}, new Rng(0)), /mixup needs a partner network/);
  assert.throws(() => mixup.apply({ example: a, partner: { network: other }, activation: SIREN }, {}, new Rng(0)), /needs a partner of the same architecture/);
  assert.throws(
    () => mixup.apply({ example: a, partner: a, activation: SIREN }, { min: 0.8, max: 0.2 }, new Rng(0)),
    /min \(0\.8\) must not exceed max \(0\.2\)/,
  );
});
