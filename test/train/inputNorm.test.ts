/**
 * Input normalisation: after it, the training split has mean 0 and std 1 over each group of parameters
 * that shares a statistic — each weight/bias tensor (`tensor`) or each parameter (`element`) — checked by
 * brute force over the normalised data; `none` leaves the data as it is. `tensor` keeps the permutation
 * symmetry: permuting a network's hidden neurons permutes its normalised parameters the same way. With
 * canonical signs the model's input is the same for a network and any SIREN sign flip of it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { permuteNeurons } from '../../src/core/augment/permutation';
import { sirenNegation } from '../../src/core/augment/symmetries';
import { batchOf } from '../../src/core/augment/batch';
import { tensorSizes, type Layer } from '../../src/core/weights/network';
import { Rng } from '../../src/core/random/rng';
import type { SplitData } from '../../src/core/train/datasetSplits';
import { inputStatistics, normalise } from '../../src/core/train/inputNorm';

const WIDTHS = [2, 5, 4, 1];
const N = 40;
const rng = new Rng(1);
/** Networks whose parameters have their own scales and offsets (as layer 0 is 10× larger than the rest in INRs). */
const networks: Layer[][] = Array.from({ length: N }, () =>
  WIDTHS.slice(1).map((out, l) => ({
    inFeatures: WIDTHS[l]!,
    outFeatures: out,
    W: Float32Array.from({ length: out * WIDTHS[l]! }, (_, i) => 3 * l + (1 + (i % 3)) * rng.normal()),
    b: Float32Array.from({ length: out }, (_, i) => -l + 0.1 * (1 + i) * rng.normal()),
  })),
);
const batch = batchOf(networks);
const split: SplitData = { ids: networks.map((_, i) => `n${i}`), labels: new Int32Array(N), data: batch.data, count: N };
const P = batch.data.length / N;

function moments(data: Float32Array, indices: readonly number[]): { mean: number; std: number } {
  const values = indices.flatMap((i) => Array.from({ length: N }, (_, n) => data[n * P + i]!));
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return { mean, std: Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length) };
}

const groups = (mode: 'tensor' | 'element'): number[][] => {
  if (mode === 'element') return Array.from({ length: P }, (_, i) => [i]);
  let offset = 0;
  return tensorSizes(WIDTHS).map((size) => Array.from({ length: size }, () => offset++));
};

for (const mode of ['tensor', 'element'] as const) {
  test(`${mode}: the normalised training split has mean 0 and std 1 per group`, () => {
    const normalised = normalise(split.data, inputStatistics(split, WIDTHS, mode, 'as-is'));
    for (const group of groups(mode)) {
      const { mean, std } = moments(normalised, group);
      assert.ok(Math.abs(mean) < 1e-5 && Math.abs(std - 1) < 1e-4, `parameters ${group[0]}…: mean ${mean}, std ${std}`);
    }
    // Before, they were not (the check can fail).
    assert.ok(groups(mode).some((g) => Math.abs(moments(split.data, g).mean) > 0.5));
  });
}

test('none leaves the data unchanged', () => {
  assert.deepEqual(normalise(split.data, inputStatistics(split, WIDTHS, 'none', 'as-is')), split.data);
});

test('per-tensor normalisation commutes with hidden-neuron permutations; per-element does not', () => {
  const perms = WIDTHS.slice(1, -1).map((n) => new Rng(n).permutation(n));
  const permuted = batchOf([permuteNeurons(networks[0]!, perms)]).data;
  const first = batch.data.subarray(0, P);
  for (const mode of ['tensor', 'element'] as const) {
    const norm = inputStatistics(split, WIDTHS, mode, 'as-is');
    // normalise, then permute ≟ permute, then normalise
    const a = batchOf([permuteNeurons(unflatten(normalise(first, norm)), perms)]).data;
    const b = normalise(permuted, norm);
    const diff = Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));
    if (mode === 'tensor') assert.ok(diff < 1e-5, `tensor: ${diff}`);
    else assert.ok(diff > 1e-2, `element: ${diff} (its statistics differ between neurons)`);
  }
});

/** One flat network back into layers. */
function unflatten(flat: Float32Array): Layer[] {
  let offset = 0;
  return WIDTHS.slice(1).map((out, l) => {
    const W = flat.slice(offset, offset + out * WIDTHS[l]!);
    offset += W.length;
    const b = flat.slice(offset, offset + out);
    offset += out;
    return { inFeatures: WIDTHS[l]!, outFeatures: out, W, b };
  });
}

test('canonical signs: a network and its sign flips are one input; the statistics are those of the canonical networks', () => {
  const norm = inputStatistics(split, WIDTHS, 'tensor', 'canonical');
  const flips = new Rng(5);
  for (const network of networks.slice(0, 10)) {
    const flipped = sirenNegation(network, { p: 0.5 }, flips).network;
    assert.deepEqual(normalise(batchOf([flipped]).data, norm), normalise(batchOf([network]).data, norm));
    const asIs = inputStatistics(split, WIDTHS, 'tensor', 'as-is');
    assert.notDeepEqual(normalise(batchOf([flipped]).data, asIs), normalise(batchOf([network]).data, asIs), 'as-is sees the flip (the check can fail)');
  }
  const before = split.data.slice();
  const normalised = normalise(split.data, norm);
  assert.deepEqual(split.data, before, 'normalise leaves its input alone');
  for (const group of groups('tensor')) {
    const { mean, std } = moments(normalised, group);
    assert.ok(Math.abs(mean) < 1e-5 && Math.abs(std - 1) < 1e-4, `parameters ${group[0]}…: mean ${mean}, std ${std}`);
  }
});
