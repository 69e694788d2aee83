/**
 * The registry as a whole: the names of the issue; parameter specs whose defaults are in range; each
 * kind backed by behaviour; for EVERY entry, determinism (same seed → bit-identical output and draws),
 * no mutation of any input, and the batched path equal to the single one; the WeightSet entry point;
 * the `name[:k=v,…][+name…]` parser and its errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AugmentInput, AugmentOutput } from '../../src/core/augment/augmentation';
import { applyBatch, batchOf, networkAt } from '../../src/core/augment/batch';
import { applySteps, augmentWeightSet } from '../../src/core/augment/chain';
import { widthsOf } from '../../src/core/weights/network';
import { networkOf } from '../../src/core/weights/mlp';
import { AugmentError } from '../../src/core/augment/params';
import { formatAugmentations, parseAugmentations } from '../../src/core/augment/parse';
import { AUGMENTATIONS, findAugmentation } from '../../src/core/augment/registry';
import { oneHot } from '../../src/core/augment/targets';
import { mapPoints } from '../../src/core/augment/warps';
import { Rng } from '../../src/core/random/rng';
import { mlpToWeightSet } from '../../src/core/weights/mlp';
import { WeightSet } from '../../src/core/weights/weightSet';
import { evaluate, excessOverTolerance, float32Bound, networkWithWidths, randomNetwork, randomPoints, RELU, sameBits, SIREN, snapshot } from './helpers';

const ISSUE_NAMES = [
  'translate',
  'rotate',
  'scale',
  'gaussian-noise',
  'dropout',
  'quantile-dropout',
  'label-smoothing',
  'siren-negation',
  'siren-bias',
  'relu-scaling',
  'permute',
  'mixup',
  'mixup-weights-only',
  'mixup-permute',
  'mixup-aligned',
  'mixup-combination',
  'mixup-self-rebasin',
];

/** An input every entry accepts: a 2-D SIREN (ReLU for relu-scaling) with a target over 7 classes and a partner. */
function inputFor(name: string, seed: number, widths?: readonly number[]): AugmentInput {
  const activation = name === 'relu-scaling' ? RELU : SIREN;
  const rng = new Rng(seed);
  const network = widths ? networkWithWidths(rng, widths, activation) : randomNetwork(rng, { inputDim: 2, activation });
  const partner = networkWithWidths(rng, widthsOf(network), activation);
  return { example: { network, target: oneHot(rng.int(0, 6), 7) }, partner: { network: partner, target: oneHot(rng.int(0, 6), 7) }, activation };
}

/** Everything an augmentation returns, bit for bit. */
function fingerprint({ example, drawn }: AugmentOutput): string {
  return JSON.stringify([snapshot(example.network).map((t) => Array.from(new Uint32Array(t.buffer, t.byteOffset, t.length))), example.target, drawn]);
}

test('the registry has exactly the issue’s names, with parameter defaults inside their ranges', () => {
  assert.deepEqual(
    AUGMENTATIONS.map((a) => a.name),
    ISSUE_NAMES,
  );
  for (const a of AUGMENTATIONS) {
    assert.ok(a.description.length > 10 && a.law.length > 3, a.name);
    for (const p of a.params) {
      assert.ok(p.min <= p.default && p.default <= p.max, `${a.name}:${p.name}`);
      if (p.integer) assert.ok(Number.isInteger(p.default), `${a.name}:${p.name}`);
    }
    assert.equal(a.kind === 'input-warp', a.inputWarp !== undefined, `${a.name}: input warps, and only they, describe their map`);
  }
});

test('each kind is what the entry does: exact symmetries keep f, input warps give f(Ax+t), approximate ones change f or the label', () => {
  for (const a of AUGMENTATIONS) {
    let changed = false;
    for (let seed = 0; seed < 20; seed++) {
      const input = inputFor(a.name, seed);
      const points = randomPoints(new Rng(seed), 50, 2);
      const { example, drawn } = a.apply(input, {}, new Rng(seed));
      const map = a.inputWarp?.(drawn, 2);
      const warped = map ? mapPoints(map, points) : points;
      const f = evaluate(input.example.network, input.activation, warped);
      const g = evaluate(example.network, input.activation, points);
      const boundF = float32Bound(input.example.network, input.activation, warped);
      const bound = float32Bound(example.network, input.activation, points).map((v, i) => v + boundF[i]!);
      const { excess } = excessOverTolerance(g, f, bound);
      if (a.kind !== 'approximate') assert.ok(excess <= 0, `${a.name} seed ${seed}: not ${a.kind}`);
      else changed ||= excess > 0 || JSON.stringify(example.target) !== JSON.stringify(input.example.target);
    }
    if (a.kind === 'approximate') assert.ok(changed, `${a.name} is declared approximate but never changed anything`);
  }
});

for (const a of AUGMENTATIONS) {
  test(`${a.name}: the same seed gives bit-identical output and draws, another seed does not; no input is mutated; batched = single`, () => {
    for (let seed = 0; seed < 10; seed++) {
      const input = inputFor(a.name, seed);
      const before = [...snapshot(input.example.network), ...snapshot(input.partner!.network)];
      const targets = JSON.stringify([input.example.target, input.partner!.target]);
      const x = a.apply(input, {}, new Rng(seed));
      assert.equal(fingerprint(a.apply(input, {}, new Rng(seed))), fingerprint(x));
      assert.ok(sameBits([...snapshot(input.example.network), ...snapshot(input.partner!.network)], before), 'inputs unchanged');
      assert.equal(JSON.stringify([input.example.target, input.partner!.target]), targets);
      // label-smoothing draws nothing: it is deterministic by design.
      if (a.name !== 'label-smoothing') assert.notEqual(fingerprint(a.apply(input, {}, new Rng(seed + 1000))), fingerprint(x), `seed ${seed}`);
    }
    // Batched over 6 networks of one architecture with partners = the single path applied in turn with one Rng.
    const widths = widthsOf(inputFor(a.name, 100).example.network);
    const inputs = Array.from({ length: 6 }, (_, k) => inputFor(a.name, 100 + k, widths));
    const steps = [{ augmentation: a, params: a.resolve({}) }];
    const { activation } = inputs[0]!;
    const batched = applyBatch(steps, batchOf(inputs.map((i) => i.example.network)), new Rng(7), {
      activation,
      targets: inputs.map((i) => i.example.target),
      partners: batchOf(inputs.map((i) => i.partner!.network)),
      partnerTargets: inputs.map((i) => i.partner!.target),
    });
    const rng = new Rng(7);
    inputs.forEach((input, n) => {
      const single = applySteps(steps, input, rng);
      assert.ok(sameBits(snapshot(networkAt(batched.batch, n)), snapshot(single.example.network)), `network ${n}`);
      assert.deepEqual(batched.records[n], single.records);
      assert.deepEqual(batched.targets[n], single.example.target);
    });
  });
}

test('augmentWeightSet keeps tensor names, order, other tensors and metadata; a bias-less layer gets a bias only when needed', () => {
  const network = randomNetwork(new Rng(1), { inputDim: 2 });
  const base = mlpToWeightSet(network, { label: '3', provenance: 'test' }, 'net.');
  const renamed = new WeightSet(
    [
      ...base.tensors.map((t) => ({ ...t, name: t.name.replace(/^net\.(\d+)\.(weight|bias)$/, 'net.$1.linear.$2') })),
      { name: 'extra', shape: [2], data: Float32Array.of(1, 2), dtype: 'F32' as const },
    ],
    base.metadata,
  );
  const steps = parseAugmentations('translate+siren-negation');
  const out = augmentWeightSet(steps, renamed, new Rng(2), { classes: 5 });
  assert.deepEqual(out.weights.names, renamed.names);
  assert.deepEqual(out.weights.metadata, renamed.metadata);
  assert.deepEqual(out.weights.get('extra').data, Float32Array.of(1, 2));
  assert.deepEqual(out.target, oneHot(3, 5));
  const same = applySteps(steps, { example: { network: networkOf(renamed), target: oneHot(3, 5) }, activation: SIREN }, new Rng(2));
  assert.ok(sameBits(snapshot(networkOf(out.weights)), snapshot(same.example.network)));
  // No bias on layer 0: translate must add b_0 = W_0·t; a permutation needs none.
  const noBias = new WeightSet(renamed.tensors.filter((t) => t.name !== 'net.0.linear.bias'));
  assert.ok(augmentWeightSet(parseAugmentations('translate'), noBias, new Rng(3)).weights.has('net.0.linear.bias'));
  assert.ok(!augmentWeightSet(parseAugmentations('permute'), noBias, new Rng(3)).weights.has('net.0.linear.bias'));
});

test('the parser reads name[:k=v,…][+name…] and round-trips through formatAugmentations', () => {
  const steps = parseAugmentations('translate:scale=0.1+siren-negation+mixup-aligned:min=0.4,max=0.6+gaussian-noise:scale=1e+0');
  assert.deepEqual(
    steps.map((s) => s.augmentation.name),
    ['translate', 'siren-negation', 'mixup-aligned', 'gaussian-noise'],
  );
  assert.deepEqual(steps[0]!.params, { scale: 0.1 });
  assert.deepEqual(steps[2]!.params, { min: 0.4, max: 0.6, iterations: 100 });
  assert.deepEqual(steps[3]!.params, { scale: 1 });
  assert.equal(formatAugmentations(steps), 'translate:scale=0.1+siren-negation:p=0.5+mixup-aligned:min=0.4,max=0.6,iterations=100+gaussian-noise:scale=1');
  assert.deepEqual(parseAugmentations(formatAugmentations(steps)), steps);
});

test('parser errors name the bad token', () => {
  const cases: [string, RegExp][] = [
    ['', /no augmentation given/],
    ['transalte', /unknown augmentation "transalte" \(did you mean "translate"\?\)/],
    ['translate++rotate', /augmentation 2 is empty/],
    ['translate:scale', /"scale" in "translate:scale" is not key=value/],
    ['translate:scale=abc', /translate:scale: "abc" is not a number/],
    ['translate:sclae=0.1', /translate has no parameter "sclae" \(parameters: scale\)/],
    ['translate:scale=5', /translate:scale must be a number in \[0, 2\], got 5/],
    ['siren-bias:kmax=2.5', /siren-bias:kmax must be an integer in \[1, 64\], got 2\.5/],
    ['translate:scale=0.1,scale=0.2', /translate:scale is given twice/],
    ['mixup:min=0.9,max=0.1', /mixup: min \(0\.9\) must not exceed max \(0\.1\)/],
    ['permute:x=1', /permute has no parameter "x" \(parameters: none\)/],
  ];
  for (const [text, pattern] of cases) {
    assert.throws(
      () => parseAugmentations(text),
      (e: unknown) => e instanceof AugmentError && pattern.test(e.message),
      `"${text}"`,
    );
  }
  assert.ok(findAugmentation('mixup-aligned'));
  assert.equal(findAugmentation('nope'), undefined);
});
