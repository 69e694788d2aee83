/**
 * Training on WebGPU (TensorFlow.js's WebGPU backend on Dawn; SwiftShader on this machine) against the
 * TensorFlow.js WebAssembly backend, for every model kind, from the same initial parameters and batch:
 *   - the loss of each of the first 10 AdamW steps agrees within 1e-5 (float32 sums in another order);
 *   - after 10 steps every parameter agrees within 1e-4, except entries whose gradient is rounding noise:
 *     a bias right before a BatchNorm cannot change the output (the normalisation subtracts its channel
 *     mean), so its exact gradient is 0, and AdamW's normalised step turns either backend's noise into moves
 *     of up to lr per step in either direction. Those are found from the reference's first gradient (|g| <
 *     1e-6) and left out, with the running means that carry them.
 * The models are small (hidden 4, one layer): on SwiftShader every step dispatches hundreds of shaders, and
 * the step count is what the check is about. Then `wslab train --backend webgpu` runs end to end.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MODEL_DEFAULTS, type ModelKind } from '../../src/core/models/modelConfig';
import { initTf, tf } from '../../src/core/models/tf';
import { createModel } from '../../src/core/models/weightSpaceModel';
import { Rng } from '../../src/core/random/rng';
import { AdamW } from '../../src/core/train/adamw';
import { softCrossEntropy } from '../../src/core/train/evaluate';
import { readSummary } from '../../src/core/train/runFolder';
import { trainStep, trainStepAsync } from '../../src/core/train/trainStep';
import { tinyDataset } from '../helpers/tinyDataset';

const WIDTHS = [2, 8, 8, 1];
const P = 8 * 3 + 8 * 9 + 9;
const CLASSES = 10;
const BATCH = 6;
const STEPS = 10;
const SETTINGS = { lr: 3e-3, weightDecay: 5e-4, warmupSteps: 3, beta1: 0.9, beta2: 0.999, eps: 1e-8 };

const rng = new Rng(3);
const x = Float32Array.from({ length: BATCH * P }, () => rng.normal());
const targets = new Float32Array(BATCH * CLASSES);
for (let n = 0; n < BATCH; n++) targets[n * CLASSES + rng.int(0, CLASSES - 1)] = 1;

interface Trained {
  readonly losses: number[];
  readonly weights: Map<string, Float32Array>;
  /** Entries of each parameter whose first gradient is rounding noise (reference only). */
  readonly noise: Map<string, Set<number>>;
}

const modelOf = (kind: ModelKind) => createModel({ ...MODEL_DEFAULTS[kind], hidden: 4, layers: 1 }, WIDTHS, CLASSES, 7);

/** Per parameter, the entries whose first gradient is rounding noise (on the current backend; a model of its own). */
function noiseEntries(kind: ModelKind): Map<string, Set<number>> {
  const model = modelOf(kind);
  const noise = new Map<string, Set<number>>();
  const { grads } = tf.variableGrads(
    () => softCrossEntropy(model.forward(tf.tensor2d(x, [BATCH, P]), true) as tf.Tensor2D, tf.tensor2d(targets, [BATCH, CLASSES])),
    model.params.list,
  );
  model.params.names.forEach((name, i) => {
    const g = grads[model.params.list[i]!.name]!.dataSync();
    noise.set(name, new Set([...g.keys()].filter((j) => Math.abs(g[j]!) < 1e-6)));
  });
  tf.dispose(Object.values(grads));
  model.params.dispose();
  return noise;
}

async function train(kind: ModelKind, backend: 'wasm' | 'webgpu'): Promise<Trained> {
  await initTf(backend);
  const noise = backend === 'wasm' ? noiseEntries(kind) : new Map<string, Set<number>>();
  const model = modelOf(kind);
  const optimizer = new AdamW(model.params.list, SETTINGS);
  try {
    const losses: number[] = [];
    for (let s = 0; s < STEPS; s++)
      losses.push((backend === 'webgpu' ? await trainStepAsync(model, optimizer, x, targets, BATCH) : trainStep(model, optimizer, x, targets, BATCH)).loss);
    await model.params.fetch();
    return { losses, weights: new Map(model.params.toWeightSet().tensors.map((t) => [t.name, t.data as Float32Array])), noise };
  } finally {
    optimizer.dispose();
    model.params.dispose();
  }
}

for (const kind of Object.keys(MODEL_DEFAULTS) as ModelKind[]) {
  test(`${kind} on WebGPU follows the WebAssembly backend for ${STEPS} AdamW steps`, async () => {
    const reference = await train(kind, 'wasm');
    const gpu = await train(kind, 'webgpu');
    reference.losses.forEach((l, s) => assert.ok(Math.abs(gpu.losses[s]! - l) <= 1e-5, `step ${s + 1}: loss ${gpu.losses[s]} on WebGPU, ${l} on wasm`));
    assert.ok(gpu.losses.at(-1)! < gpu.losses[0]!, 'training lowered the loss');
    for (const [name, expected] of reference.weights) {
      if (name.endsWith('.runningMean')) continue;
      const got = gpu.weights.get(name)!;
      const skip = reference.noise.get(name) ?? new Set<number>();
      for (let j = 0; j < expected.length; j++) {
        if (!skip.has(j))
          assert.ok(Math.abs(got[j]! - expected[j]!) <= 1e-4, `${name}[${j}] after ${STEPS} steps: ${got[j]} on WebGPU, ${expected[j]} on wasm`);
      }
    }
  });
}

test('wslab train --backend webgpu trains, evaluates and checkpoints a run; its summary names the backend', async () => {
  const dataset = await tinyDataset();
  const root = mkdtempSync(join(tmpdir(), 'wslab-webgpu-train-'));
  const config = join(root, 'exp.json');
  writeFileSync(
    config,
    JSON.stringify({
      dataset,
      model: { kind: 'mlp', hidden: 16, layers: 1, headHidden: 16 },
      optimizer: { epochs: 2, batchSize: 16, warmupSteps: 2 },
      backend: 'webgpu',
      seed: 1,
    }),
  );
  const run = spawnSync(process.execPath, ['dist/cli.js', 'train', '--config', config, '--runs', root, '--progress', 'none'], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const summary = await readSummary(join(root, 'exp'));
  assert.equal(summary?.backend, 'webgpu');
  assert.equal(summary?.epochsDone, 2);
  assert.ok(summary!.bestValAccuracy !== null && summary!.bestValAccuracy >= 0);
});
