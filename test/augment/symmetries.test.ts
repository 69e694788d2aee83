/**
 * Exact symmetries on random MLPs of any depth and width (1–3 inputs and outputs): SIREN negation, SIREN
 * bias shift and permutation on SIRENs; positive scaling and permutation on ReLU MLPs. Outputs at random
 * points (and on the 28×28 grid for 2-D inputs) equal the original's to float32 precision (helpers.ts:
 * twice the first-order effect of one float32 rounding per parameter); negation and permutation round
 * nothing, so there the outputs agree to the float32 rounding of the rendered values. The drawn values
 * reproduce the result from the parent, and a deliberately broken law fails the same check.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Activation, AugmentOutput } from '../../src/core/augment/augmentation';
import { cloneNetwork, hiddenWidths, type Network } from '../../src/core/weights/network';
import { permuteNeurons } from '../../src/core/augment/permutation';
import { findAugmentation } from '../../src/core/augment/registry';
import { Rng } from '../../src/core/random/rng';
import { evaluate, excessOverTolerance, float32Bound, GRID28, randomNetwork, randomPoints, RELU, SIREN, U32 } from './helpers';

const SEEDS = 150;
const W0_OTHER = 12;

interface Case {
  readonly name: string;
  readonly activation: Activation;
  /** Values are only moved or negated: no rounding at all. */
  readonly roundsNothing: boolean;
  /** Rebuilds the result from the parent and the drawn values alone. */
  readonly fromDrawn: (parent: Network, drawn: AugmentOutput['drawn']) => Network;
}

/** Layer by layer: row j of W_l and b_l[j] × r_j (+ shift_j), column j of W_{l+1} × c_j (float64, stored as float32). */
function rebuild(parent: Network, perLayer: (l: number) => { r: number[]; c: number[]; shift?: number[] }): Network {
  const out = cloneNetwork(parent);
  hiddenWidths(parent).forEach((width, l) => {
    const { r, c, shift } = perLayer(l);
    for (let j = 0; j < width; j++) {
      for (let i = 0; i < out[l]!.inFeatures; i++) out[l]!.W[j * out[l]!.inFeatures + i] = out[l]!.W[j * out[l]!.inFeatures + i]! * r[j]!;
      out[l]!.b[j] = out[l]!.b[j]! * r[j]! + (shift?.[j] ?? 0);
      for (let m = 0; m < out[l + 1]!.outFeatures; m++) out[l + 1]!.W[m * width + j] = out[l + 1]!.W[m * width + j]! * c[j]!;
    }
  });
  return out;
}

const CASES: readonly Case[] = [
  {
    name: 'siren-negation',
    activation: SIREN,
    roundsNothing: true,
    fromDrawn: (p, d) => rebuild(p, (l) => ({ r: (d.signs as number[][])[l]!, c: (d.signs as number[][])[l]! })),
  },
  {
    // Another w0, to check that the shift kπ/w0 takes w0 from the network's activation.
    name: 'siren-bias',
    activation: { kind: 'sine', w0: W0_OTHER },
    roundsNothing: false,
    fromDrawn: (p, d) =>
      rebuild(p, (l) => {
        const k = (d.k as number[][])[l]!;
        return { r: k.map(() => 1), c: k.map((v) => (v % 2 === 0 ? 1 : -1)), shift: k.map((v) => (v * Math.PI) / W0_OTHER) };
      }),
  },
  { name: 'permute', activation: SIREN, roundsNothing: true, fromDrawn: (p, d) => permuteNeurons(p, d.perms as number[][]) },
  {
    name: 'relu-scaling',
    activation: RELU,
    roundsNothing: false,
    fromDrawn: (p, d) => rebuild(p, (l) => ({ r: (d.a as number[][])[l]!, c: (d.a as number[][])[l]!.map((a) => 1 / a) })),
  },
  { name: 'permute', activation: RELU, roundsNothing: true, fromDrawn: (p, d) => permuteNeurons(p, d.perms as number[][]) },
];

/** Max over outputs of |g − f| − (allowed error), with the allowed error of this case. */
function check(parent: Network, result: Network, activation: Activation, coords: Float32Array, roundsNothing: boolean) {
  const f = evaluate(parent, activation, coords);
  const g = evaluate(result, activation, coords);
  if (!roundsNothing) return excessOverTolerance(g, f, float32Bound(result, activation, coords));
  // The float64 sums differ only in order; both are rounded to float32 by the renderer: ≤ 1 ulp apart.
  return excessOverTolerance(
    g,
    f,
    f.map((v) => U32 * Math.abs(v)),
  );
}

for (const c of CASES) {
  test(`${c.name} (${c.activation.kind}): f unchanged to float32 precision on random MLPs of any depth and width, ${SEEDS} seeds`, () => {
    const augmentation = findAugmentation(c.name)!;
    let worst = 0;
    for (let seed = 0; seed < SEEDS; seed++) {
      const rng = new Rng(seed);
      const parent = randomNetwork(rng, { activation: c.activation, maxWidth: 16 });
      const { example, drawn } = augmentation.apply({ example: { network: parent }, activation: c.activation }, {}, rng);
      const dim = parent[0]!.inFeatures;
      for (const coords of dim === 2 ? [GRID28, randomPoints(rng, 64, 2)] : [randomPoints(rng, 64, dim)]) {
        const { excess, maxError } = check(parent, example.network, c.activation, coords, c.roundsNothing);
        assert.ok(excess <= 0, `seed ${seed}: error ${maxError} exceeds the float32 tolerance by ${excess}`);
        worst = Math.max(worst, maxError);
      }
      const rebuilt = c.fromDrawn(parent, drawn);
      example.network.forEach((layer, l) => {
        assert.deepEqual(layer.W, rebuilt[l]!.W, `seed ${seed}: layer ${l} weights do not follow from the drawn values`);
        assert.deepEqual(layer.b, rebuilt[l]!.b, `seed ${seed}: layer ${l} biases do not follow from the drawn values`);
      });
    }
    console.log(`${c.name} (${c.activation.kind}): largest |g − f| over ${SEEDS} networks: ${worst.toExponential(2)}`);
  });
}

test('the exactness check catches a broken law: negating a neuron without its outgoing column', () => {
  let caught = 0;
  for (let seed = 0; seed < 50; seed++) {
    const rng = new Rng(seed);
    const parent = randomNetwork(rng, { inputDim: 2 });
    const broken = cloneNetwork(parent);
    for (let i = 0; i < broken[0]!.inFeatures; i++) broken[0]!.W[i] = -broken[0]!.W[i]!;
    broken[0]!.b[0] = -broken[0]!.b[0]!;
    if (check(parent, broken, SIREN, GRID28, false).excess > 0) caught++;
  }
  assert.equal(caught, 50);
});

test('drawn values stay in their ranges: bias shifts k ∈ [−kmax, kmax−1], scales a ∈ [1/factor, factor], signs ±1', () => {
  const rng = new Rng(1);
  const parent = randomNetwork(rng, { maxWidth: 40 });
  const bias = findAugmentation('siren-bias')!;
  const ks = bias.apply({ example: { network: parent }, activation: SIREN }, { kmax: 2 }, rng).drawn.k as number[][];
  assert.deepEqual(
    [...new Set(ks.flat())].sort((x, y) => x - y),
    [-2, -1, 0, 1],
  );
  const reluParent = randomNetwork(rng, { activation: RELU, maxWidth: 40 });
  const a = (findAugmentation('relu-scaling')!.apply({ example: { network: reluParent }, activation: RELU }, { factor: 3 }, rng).drawn.a as number[][]).flat();
  assert.ok(a.every((v) => v >= 1 / 3 && v <= 3) && a.some((v) => v < 1) && a.some((v) => v > 1));
  const signs = (
    findAugmentation('siren-negation')!.apply({ example: { network: parent }, activation: SIREN }, { p: 0.5 }, rng).drawn.signs as number[][]
  ).flat();
  assert.deepEqual(
    [...new Set(signs)].sort((x, y) => x - y),
    [-1, 1],
  );
});
