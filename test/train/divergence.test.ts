/**
 * A run whose loss becomes NaN/Inf stops with a TrainDiverged error naming the epoch and step; the run
 * folder records it as failed with that message, and no checkpoint with non-finite parameters is saved.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../../src/core/train/experimentConfig';
import { train, TrainDiverged } from '../../src/core/train/trainer';
import { readStatus } from '../../src/core/train/runFolder';
import { readCheckpoint } from '../../src/core/train/checkpoint';
import { tinyDataset } from '../helpers/tinyDataset';

test('an exploding learning rate: training stops at the first non-finite loss, naming epoch and step', async () => {
  const dataset = await tinyDataset();
  const root = mkdtempSync(join(tmpdir(), 'wslab-diverge-'));
  const file = join(root, 'explode.wslab.json');
  const valid = resolveConfig(
    { dataset, model: { kind: 'mlp', hidden: 16 }, optimizer: { epochs: 3, batchSize: 8, warmupSteps: 0, lr: 10 }, backend: 'wasm', seed: 1 },
    file,
  );
  // Past the schema's bound (lr ≤ 10), as a bug elsewhere could produce: the weights overflow float32.
  const config = { ...valid, optimizer: { ...valid.optimizer, lr: 1e30 } };
  const dir = join(root, 'runs', 'explode');
  let steps = 0;
  const error = await train({
    config,
    dir,
    onEvent: (e) => {
      if (e.type === 'step') steps = e.step;
    },
  }).catch((e: unknown) => e);
  assert.ok(error instanceof TrainDiverged, String(error));
  assert.match(
    error.message,
    new RegExp(`^training diverged: (the training loss is (NaN|Infinity)|parameter \\S+ holds NaN or Inf) at epoch ${error.epoch}, step ${error.step}`),
  );
  assert.ok(error.step >= 1 && error.epoch >= 1);
  assert.ok(steps < error.step, 'no step was reported after the divergence');
  const status = await readStatus(dir);
  assert.equal(status?.state, 'failed');
  assert.equal(status?.error, error.message);
  const last = join(dir, 'last.safetensors');
  if (existsSync(last)) {
    const checkpoint = await readCheckpoint(last);
    for (const t of checkpoint.set.tensors) assert.ok(t.data.every(Number.isFinite), `${t.name} in the saved checkpoint is finite`);
  }
});
