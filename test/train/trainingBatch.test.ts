/**
 * Planned training batches (trainingBatch.ts batchMaker): every row draws its augmentation from its own Rng
 * (seed, epoch, position), so the rows a thread makes for its shard are exactly those rows of the whole batch
 * — the fused engine's threads make their own rows and the result does not depend on how a batch is split —
 * while another epoch or seed draws differently. Rows come out normalised.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDatasetSplits } from '../../src/core/train/datasetSplits';
import { inputStatistics } from '../../src/core/train/inputNorm';
import { batchMaker, type BatchSource } from '../../src/core/train/trainingBatch';
import { tinyDataset } from '../helpers/tinyDataset';

test('a shard of a planned batch equals those rows of the whole batch; the epoch and the seed change the draws', async () => {
  const dataset = await loadDatasetSplits(await tinyDataset());
  const split = dataset.splits.train;
  const source = (seed: number): BatchSource => ({
    split,
    widths: dataset.widths,
    classes: dataset.classes,
    activation: { kind: 'sine', w0: dataset.settings.spec.w0 },
    augment: [
      { name: 'translate', p: 0.5, params: {} },
      { name: 'siren-negation', p: 0.5, params: {} },
      { name: 'mixup', p: 0.5, params: {} },
    ],
    labelSmoothing: 0.1,
    norm: inputStatistics(split, dataset.widths, 'tensor', 'canonical'),
    seed,
  });
  const make = batchMaker(source(4));
  const plan = { indices: Int32Array.from({ length: 12 }, (_, i) => (i * 7) % split.count), epoch: 3, start: 24 };
  const whole = make(plan, 0, 12);
  const P = whole.data.length / 12;
  const C = dataset.classes;
  for (const [from, to] of [
    [0, 5],
    [5, 12],
    [3, 4],
  ] as const) {
    const part = make(plan, from, to);
    assert.deepEqual(part.data, whole.data.subarray(from * P, to * P), `rows ${from}–${to}`);
    assert.deepEqual(part.targets, whole.targets.subarray(from * C, to * C));
  }
  const differs = (a: Float32Array, b: Float32Array) => a.some((v, i) => v !== b[i]);
  assert.ok(differs(make({ ...plan, epoch: 4 }, 0, 12).data, whole.data), 'another epoch draws other augmentations');
  assert.ok(differs(batchMaker(source(5))(plan, 0, 12).data, whole.data), 'another seed draws other augmentations');
  // Normalised with the source's statistics: per-tensor standardised values, not raw weights.
  const raw = split.data.subarray(plan.indices[0]! * P, (plan.indices[0]! + 1) * P);
  assert.ok(differs(whole.data.subarray(0, P), raw));
});
