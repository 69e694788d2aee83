/**
 * Generic augmentations, statistically over many seeds: Gaussian noise has std 0.32·std(T) within every
 * tensor (not one constant per tensor); dropout keeps ~90% with inverted scaling and is unbiased;
 * quantile dropout zeroes exactly the entries below the drawn quantile; label smoothing sums to 1 for
 * any number of classes. Statistical bounds are 5 standard errors (a false failure has probability
 * below 1e-6 per check).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AugmentError } from '../../src/core/augment/params';
import { findAugmentation } from '../../src/core/augment/registry';
import { oneHot } from '../../src/core/augment/targets';
import type { Network } from '../../src/core/weights/network';
import { Rng } from '../../src/core/random/rng';
import { SIREN } from './helpers';

/** A 2→32→32→1 network with non-zero biases of varied scale (every tensor has a non-zero std). */
function network(seed: number): Network {
  const rng = new Rng(seed);
  const widths = [2, 32, 32, 1];
  return widths
    .slice(1)
    .map((out, l) => ({
      inFeatures: widths[l]!,
      outFeatures: out,
      W: Float32Array.from({ length: out * widths[l]! }, () => rng.normal() * 0.3),
      b: Float32Array.from({ length: out }, () => rng.normal() * 0.1),
    }));
}

const tensorsOf = (n: Network) => n.flatMap((l) => [l.W, l.b]);
const apply = (name: string, net: Network, params: Record<string, number>, seed: number) =>
  findAugmentation(name)!.apply({ example: { network: net }, activation: SIREN }, params, new Rng(seed));

/** Unbiased std (n − 1), computed here independently of the library. */
function std(values: ArrayLike<number>): number {
  const xs = Array.from(values);
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1));
}

test('gaussian-noise: within every tensor T the noise has mean 0 and std 0.32·std(T) (+1e-8), independent per entry', () => {
  const net = network(1);
  const tensors = tensorsOf(net);
  const sigmas = tensors.map((t) => (t.length < 2 ? 1e-8 : 0.32 * std(t) + 1e-8));
  const sums = tensors.map(() => ({ n: 0, sum: 0, sumSq: 0 }));
  for (let seed = 0; seed < 60; seed++) {
    const { example, drawn } = apply('gaussian-noise', net, {}, seed);
    const reported = drawn.std as number[];
    sigmas.forEach((s, k) => assert.ok(Math.abs(reported[k]! - s) <= 1e-12 * s, `tensor ${k}: reported σ ${reported[k]} vs ${s}`));
    tensorsOf(example.network).forEach((t, k) => {
      if (tensors[k]!.length < 2) return;
      const z = Array.from(t, (v, i) => (v - tensors[k]![i]!) / sigmas[k]!);
      // One tensor, one draw: its entries must spread like N(0, 1) (a constant per tensor has spread 0).
      if (z.length >= 32) assert.ok(Math.abs(std(z) - 1) < 5 / Math.sqrt(2 * z.length), `seed ${seed} tensor ${k}: within-tensor std ${std(z)}`);
      for (const v of z) {
        sums[k]!.n++;
        sums[k]!.sum += v;
        sums[k]!.sumSq += v * v;
      }
    });
  }
  sums.forEach(({ n, sum, sumSq }, k) => {
    if (n === 0) return;
    const mean = sum / n;
    const variance = sumSq / n - mean * mean;
    assert.ok(Math.abs(mean) < 5 / Math.sqrt(n), `tensor ${k}: noise mean ${mean}σ over ${n} draws`);
    assert.ok(Math.abs(variance - 1) < 5 * Math.sqrt(2 / n), `tensor ${k}: noise variance ${variance}σ² over ${n} draws`);
  });
});

test('dropout: keeps each parameter with probability 0.9, scales kept ones by 1/0.9, unbiased on average', () => {
  const net = network(2);
  const flat = tensorsOf(net).flatMap((t) => Array.from(t));
  const seeds = 300;
  let kept = 0;
  const mean = new Float64Array(flat.length);
  for (let seed = 0; seed < seeds; seed++) {
    const { example, drawn } = apply('dropout', net, {}, seed);
    const out = tensorsOf(example.network).flatMap((t) => Array.from(t));
    let keptHere = 0;
    out.forEach((v, i) => {
      mean[i] = mean[i]! + v / seeds;
      if (v === 0) return;
      keptHere++;
      assert.ok(Math.abs(v - flat[i]! / 0.9) <= 2 ** -23 * Math.abs(v), `seed ${seed}: kept ${flat[i]} became ${v}`);
    });
    assert.equal(drawn.kept, keptHere);
    assert.equal(drawn.dropped, out.length - keptHere);
    kept += keptHere;
  }
  const n = seeds * flat.length;
  assert.ok(Math.abs(kept / n - 0.9) < 5 * Math.sqrt((0.9 * 0.1) / n), `kept fraction ${kept / n}`);
  // Each average of `seeds` draws has std |w|·√(p/(1−p)/seeds): the inverted scaling makes E[g] = w.
  flat.forEach((w, i) => assert.ok(Math.abs(mean[i]! - w) <= 5 * Math.abs(w) * Math.sqrt(0.1 / 0.9 / seeds) + 1e-9, `parameter ${i}: mean ${mean[i]} vs ${w}`));
});

test('quantile-dropout: zeroes exactly the parameters with |value| below the q-quantile of |all parameters|, q ≤ the bound', () => {
  const net = network(3);
  const flat = tensorsOf(net).flatMap((t) => Array.from(t));
  const sorted = flat.map(Math.abs).sort((a, b) => a - b);
  let largestQ = 0;
  for (let seed = 0; seed < 200; seed++) {
    const { example, drawn } = apply('quantile-dropout', net, { quantile: 0.3 }, seed);
    const q = drawn.q as number;
    assert.ok(q >= 0 && q <= 0.3);
    largestQ = Math.max(largestQ, q);
    const position = q * (sorted.length - 1);
    const lo = Math.floor(position);
    const threshold = sorted[lo]! + (position - lo) * (sorted[Math.min(lo + 1, sorted.length - 1)]! - sorted[lo]!);
    assert.ok(Math.abs((drawn.threshold as number) - threshold) <= 1e-12 * threshold);
    const out = tensorsOf(example.network).flatMap((t) => Array.from(t));
    let zeroed = 0;
    out.forEach((v, i) => {
      if (Math.abs(flat[i]!) < threshold) {
        assert.equal(v, 0, `seed ${seed}: ${flat[i]} is below ${threshold} but kept`);
        zeroed++;
      } else {
        assert.equal(v, flat[i], `seed ${seed}: ${flat[i]} is not below ${threshold} but changed`);
      }
    });
    assert.equal(drawn.zeroed, zeroed);
    assert.ok(Math.abs(zeroed - q * (flat.length - 1)) <= 1, `seed ${seed}: ${zeroed} zeroed for q = ${q}`);
  }
  assert.ok(largestQ > 0.28, 'q covers its range');
});

test('label-smoothing: (1−ε)·y + ε/C sums to 1 for any number of classes; the network is untouched', () => {
  const net = network(4);
  const smoothing = findAugmentation('label-smoothing')!;
  const rng = new Rng(5);
  for (let k = 0; k < 200; k++) {
    const classes = rng.int(1, 100);
    const epsilon = rng.uniform(0, 1);
    const raw = Array.from({ length: classes }, () => rng.next());
    const target = k % 2 === 0 ? oneHot(rng.int(0, classes - 1), classes) : raw.map((v) => v / raw.reduce((a, b) => a + b, 0));
    const out = smoothing.apply({ example: { network: net, target }, activation: SIREN }, { epsilon }, rng);
    const smoothed = out.example.target!;
    assert.equal(smoothed.length, classes);
    assert.ok(Math.abs(smoothed.reduce((a, b) => a + b, 0) - 1) < 1e-12);
    smoothed.forEach((v, c) => assert.ok(Math.abs(v - ((1 - epsilon) * target[c]! + epsilon / classes)) < 1e-15));
    assert.equal(out.example.network, net);
  }
  assert.throws(
    () => smoothing.apply({ example: { network: net }, activation: SIREN }, {}, rng),
    (e: unknown) => e instanceof AugmentError && /needs a label/.test(e.message),
  );
});
