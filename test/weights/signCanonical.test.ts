/**
 * SIREN sign canonicalisation (src/core/weights/signCanonical.ts) on random SIRENs of any depth and width:
 * the function is unchanged, every hidden bias ends non-negative, any siren-negation of a network
 * canonicalises to the same network bit for bit, and canonicalising twice changes nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { networkAt, writeNetwork } from '../../src/core/augment/batch';
import { sirenNegation } from '../../src/core/augment/symmetries';
import { Rng } from '../../src/core/random/rng';
import { canonicaliseSigns } from '../../src/core/weights/signCanonical';
import { parameterCount, widthsOf, type Network } from '../../src/core/weights/network';
import { evaluate, networkWithWidths, randomNetwork, randomPoints, SIREN } from '../augment/helpers';

const flat = (network: Network) => {
  const data = new Float32Array(parameterCount(widthsOf(network)));
  writeNetwork(network, data, 0);
  return data;
};

test('the function is unchanged and every hidden bias ends ≥ 0', () => {
  for (let seed = 0; seed < 100; seed++) {
    const rng = new Rng(seed);
    const network = randomNetwork(rng, { maxWidth: 16 });
    const widths = widthsOf(network);
    const canonical = canonicaliseSigns(flat(network), widths);
    const points = randomPoints(rng, 64, widths[0]!);
    const after = networkAt({ widths, count: 1, data: canonical }, 0);
    assert.deepEqual(evaluate(after, SIREN, points), evaluate(network, SIREN, points), `seed ${seed}: f changed`);
    for (const layer of after.slice(0, -1))
      assert.ok(
        layer.b.every((v) => v >= 0),
        `seed ${seed}: a negative hidden bias is left`,
      );
    assert.deepEqual(Array.from(after.at(-1)!.b), Array.from(network.at(-1)!.b), 'the output bias is not a neuron of a hidden layer');
  }
});

test('a network and any sign flip of it canonicalise to the same network; twice is once', () => {
  for (let seed = 0; seed < 100; seed++) {
    const rng = new Rng(1000 + seed);
    const network = randomNetwork(rng, { maxWidth: 16 });
    const widths = widthsOf(network);
    const reference = canonicaliseSigns(flat(network), widths);
    const flipped = sirenNegation(network, { p: 0.5 }, rng).network;
    assert.deepEqual(canonicaliseSigns(flat(flipped), widths), reference, `seed ${seed}`);
    assert.deepEqual(canonicaliseSigns(reference.slice(), widths), reference);
  }
});

test('a batch is canonicalised network by network', () => {
  const rng = new Rng(7);
  const widths = [3, 32, 32, 1];
  const P = parameterCount(widths);
  const networks = Array.from({ length: 5 }, () => networkWithWidths(rng, widths));
  const batch = new Float32Array(networks.length * P);
  networks.forEach((n, i) => writeNetwork(n, batch, i * P));
  canonicaliseSigns(batch, widths);
  networks.forEach((n, i) => assert.deepEqual(batch.subarray(i * P, (i + 1) * P), canonicaliseSigns(flat(n), widths), `network ${i}`));
});
