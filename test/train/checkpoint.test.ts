/**
 * Checkpoints carry everything eval needs: the parameters, the BatchNorm running statistics (buffers) and
 * the input normalisation per parameter. A checkpoint written before those existed — a model config
 * without norm / pool / setLayer, per-tensor normalisation — still loads as the architecture it was: no
 * normalisation between layers, mean pooling, each tensor's statistic spread over its parameters. A record
 * without the widths it needs is a typed error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parameterCount, tensorSizes } from '../../src/core/weights/network';
import { writeWeightSet } from '../../src/core/formats/registry';
import { LEGACY_MODEL_KEYS, MODEL_DEFAULTS } from '../../src/core/models/modelConfig';
import { initTf, tf } from '../../src/core/models/tf';
import { createModel, type WeightSpaceModel } from '../../src/core/models/weightSpaceModel';
import { Rng } from '../../src/core/random/rng';
import { CheckpointError, modelFromCheckpoint, readCheckpoint, saveCheckpoint } from '../../src/core/train/checkpoint';
import { WeightSet } from '../../src/core/weights/weightSet';

const WIDTHS = [2, 6, 5, 1];
const P = parameterCount(WIDTHS);
const rng = new Rng(9);
const x = Float32Array.from({ length: 4 * P }, () => rng.normal());

const logits = (model: WeightSpaceModel, training: boolean) => tf.tidy(() => model.forward(tf.tensor2d(x, [4, P]), training).dataSync() as Float32Array);

test('a checkpoint round-trips parameters, running statistics and the per-parameter normalisation', async () => {
  await initTf('wasm');
  const model = createModel({ ...MODEL_DEFAULTS.dwsnet, hidden: 4, layers: 2, headHidden: 8 }, WIDTHS, 3, 1);
  logits(model, true); // moves the running statistics away from their initial 0 / 1
  const norm = {
    mean: Float32Array.from({ length: P }, (_, i) => i / P),
    std: Float32Array.from({ length: P }, (_, i) => 1 + i / P),
    signs: 'canonical' as const,
    widths: WIDTHS,
  };
  const path = join(mkdtempSync(join(tmpdir(), 'wslab-ckpt-')), 'best.safetensors');
  await saveCheckpoint(path, model, norm);
  const checkpoint = await readCheckpoint(path);
  assert.deepEqual(checkpoint.norm, norm);
  const loaded = modelFromCheckpoint(checkpoint, path);
  assert.deepEqual(logits(loaded, false), logits(model, false), 'eval mode uses the saved running statistics');
  const fresh = createModel(model.config, WIDTHS, 3, 1);
  assert.notDeepEqual(logits(fresh, false), logits(model, false), 'the running statistics matter (the check can fail)');
});

test('a checkpoint from before normalisation layers and per-parameter statistics loads as the old architecture', async () => {
  await initTf('wasm');
  const { norm: _n, pool: _p, setLayer: _s, ...oldConfig } = { ...MODEL_DEFAULTS.dwsnet, ...LEGACY_MODEL_KEYS, hidden: 4, layers: 2, headHidden: 8 };
  const model = createModel({ ...oldConfig, ...LEGACY_MODEL_KEYS }, WIDTHS, 3, 2);
  const perTensor = Float32Array.from(tensorSizes(WIDTHS), (_, t) => t + 1);
  const path = join(mkdtempSync(join(tmpdir(), 'wslab-ckpt-')), 'old.safetensors');
  await writeWeightSet(
    path,
    new WeightSet(
      [
        ...model.params.toWeightSet({}, 'model.').tensors,
        ...WeightSet.fromArrays([
          { name: 'norm.mean', shape: [perTensor.length], data: perTensor },
          { name: 'norm.std', shape: [perTensor.length], data: perTensor },
        ]).tensors,
      ],
      { 'wslab.model': JSON.stringify({ model: oldConfig, widths: WIDTHS, classes: 3 }) },
    ),
    { format: 'safetensors' },
  );
  const checkpoint = await readCheckpoint(path);
  assert.deepEqual(checkpoint.record.model, { ...oldConfig, ...LEGACY_MODEL_KEYS });
  let offset = 0;
  tensorSizes(WIDTHS).forEach((size, t) => {
    assert.ok(
      checkpoint.norm.mean.subarray(offset, offset + size).every((v) => v === t + 1),
      `tensor ${t}'s mean spread over its ${size} parameters`,
    );
    offset += size;
  });
  assert.equal(checkpoint.norm.std.length, P);
  assert.equal(checkpoint.norm.signs, 'as-is', 'trained before sign canonicalisation: its inputs were read as fitted');
  assert.deepEqual(logits(modelFromCheckpoint(checkpoint, path), false), logits(model, false));
});

test('a checkpoint whose model record lacks its widths is a CheckpointError naming the file', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'wslab-ckpt-')), 'bad.safetensors');
  const norm = new Float32Array(P);
  await writeWeightSet(
    path,
    new WeightSet(
      WeightSet.fromArrays([
        { name: 'norm.mean', shape: [P], data: norm },
        { name: 'norm.std', shape: [P], data: norm },
      ]).tensors,
      { 'wslab.model': JSON.stringify({ model: MODEL_DEFAULTS.dwsnet, classes: 3 }) },
    ),
    { format: 'safetensors' },
  );
  await assert.rejects(readCheckpoint(path), (e: unknown) => e instanceof CheckpointError && e.message.startsWith(`${path}: damaged checkpoint metadata`));
});
