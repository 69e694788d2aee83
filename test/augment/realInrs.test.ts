/**
 * The laws on real fitted MNIST INRs (60 images, default SIREN 2→32→32→1, 300 Adam steps, fitted here
 * with the WASM backend, ≈ 39 dB): exact symmetries and input warps on the 28×28 grid and at random points,
 * exact recovery of a random permutation by weight matching, and the paper's point — a 50/50 MixUp of
 * two INRs reconstructs the 50/50 mix of their images better after alignment (mean PSNR over 60 pairs).
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { hiddenWidths, type Network } from '../../src/core/weights/network';
import { invertPermutation, permuteNeurons } from '../../src/core/augment/permutation';
import { findAugmentation } from '../../src/core/augment/registry';
import { alignTo } from '../../src/core/augment/weightMatching';
import { mapPoints } from '../../src/core/augment/warps';
import { loadBundledDataset } from '../../src/core/dataset/bundledSource';
import { psnr } from '../../src/core/inr/psnr';
import { renderSiren } from '../../src/core/inr/render';
import { DEFAULT_SIREN } from '../../src/core/inr/spec';
import { Rng } from '../../src/core/random/rng';
import { evaluate, excessOverTolerance, fitMnistInrs, float32Bound, GRID28, randomPoints, sameBits, SIREN, snapshot, type FittedDataset } from './helpers';

let data: FittedDataset;

before(async () => {
  data = await fitMnistInrs(60, 300);
});

for (const name of ['siren-negation', 'siren-bias', 'permute', 'translate', 'rotate', 'scale']) {
  test(`${name} on 20 fitted MNIST INRs: g(x) = f(A x + t) (A x + t = x for symmetries) on the 28×28 grid and at random points, to float32 precision`, () => {
    const augmentation = findAugmentation(name)!;
    let worst = 0;
    // Every third INR keeps the suite fast (each check renders and bounds ~850 points twice).
    data.networks.forEach((parent, k) => {
      if (k % 3 !== 0) return;
      const rng = new Rng(k);
      const { example, drawn } = augmentation.apply({ example: { network: parent }, activation: SIREN }, {}, rng);
      for (const points of [GRID28, randomPoints(rng, 64, 2)]) {
        const warped = augmentation.inputWarp ? mapPoints(augmentation.inputWarp(drawn, 2), points) : points;
        const boundF = float32Bound(parent, SIREN, warped);
        const bound = float32Bound(example.network, SIREN, points).map((v, i) => v + boundF[i]!);
        const { excess, maxError } = excessOverTolerance(evaluate(example.network, SIREN, points), evaluate(parent, SIREN, warped), bound);
        assert.ok(excess <= 0, `${data.manifest.items[k]!.id}: error ${maxError} exceeds the float32 tolerance by ${excess}`);
        worst = Math.max(worst, maxError);
      }
    });
    console.log(`${name}: largest error on fitted INRs ${worst.toExponential(2)} (pixel values in [0, 1])`);
  });
}

test('weight matching aligns every fitted INR to a randomly permuted copy of itself exactly', () => {
  data.networks.forEach((a, k) => {
    const rng = new Rng(k);
    const perms = hiddenWidths(a).map((n) => rng.permutation(n));
    const aligned = alignTo(a, permuteNeurons(a, perms), { rng });
    assert.deepEqual(
      aligned.perms.map((p) => Array.from(p)),
      perms.map((p) => Array.from(invertPermutation(p))),
      data.manifest.items[k]!.id,
    );
    assert.ok(sameBits(snapshot(aligned.network), snapshot(a)));
  });
});

test('alignment helps: a 50/50 aligned mix of two fitted INRs reconstructs the mixed image better than the unaligned mix (60 pairs)', async () => {
  const mnist = await loadBundledDataset('mnist');
  const images = await Promise.all(data.manifest.items.map(async (item) => (await mnist.image(item.index)).pixels));
  const render = (n: Network) => renderSiren(DEFAULT_SIREN, n, GRID28);
  const half = { min: 0.5, max: 0.5 };
  const unaligned: number[] = [];
  const aligned: number[] = [];
  const count = data.networks.length;
  for (let i = 0; i < count; i++) {
    const j = (i + 1) % count;
    const target = images[i]!.map((v, p) => 0.5 * v + 0.5 * images[j]![p]!);
    const input = { example: { network: data.networks[i]! }, partner: { network: data.networks[j]! }, activation: SIREN };
    unaligned.push(psnr(render(findAugmentation('mixup')!.apply(input, half, new Rng(i)).example.network), target));
    aligned.push(psnr(render(findAugmentation('mixup-aligned')!.apply(input, half, new Rng(i)).example.network), target));
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const wins = aligned.filter((v, k) => v > unaligned[k]!).length;
  console.log(
    `alignment helps: mean PSNR of the 50/50 mix vs the mixed image over ${count} pairs: unaligned ${mean(unaligned).toFixed(2)} dB, aligned ${mean(aligned).toFixed(2)} dB (aligned better in ${wins}/${count} pairs)`,
  );
  assert.ok(mean(aligned) > mean(unaligned), `aligned ${mean(aligned)} dB ≤ unaligned ${mean(unaligned)} dB`);
});
