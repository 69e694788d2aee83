/**
 * The fused WebAssembly training kernels against TensorFlow.js, the reference (whose gradients are checked
 * against finite differences and PyTorch in test/models): for dwsnet and nfn-np with every normalisation and
 * pooling the kernels support, on a network with a hidden→hidden weight (two neuron axes) and with channel
 * counts that are and are not multiples of 4 (the vector and scalar paths), from the same initial parameters:
 *   - loss and every parameter's gradient of one training step agree within float32 rounding of sums taken in
 *     another order (1e-6 relative on the loss, 2e-6 + 1e-4·|g| on gradients);
 *   - after 10 AdamW steps with warm-up, the loss and every parameter agree within 1e-4 (the trajectories
 *     drift apart only by rounding);
 *   - eval-mode loss (running statistics) agrees within 1e-5.
 * Law used: a bias directly before a BatchNorm cannot change the output (the normalisation subtracts every
 * channel's mean), so its gradient is exactly 0. The kernels give exactly 0; TensorFlow.js gives rounding
 * noise (< 1e-6), which AdamW's normalised step turns into moves of up to lr per step — so those biases, and
 * the running means that carry them, are compared for being 0 / left out of the 10-step comparison.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fusedUnsupportedReason } from '../../src/core/fused/equivariantProgram';
import { FusedEngine } from '../../src/core/fused/fusedEngine';
import { softCrossEntropyGrad } from '../../src/core/fused/softCrossEntropy';
import { MODEL_DEFAULTS, type ModelConfig } from '../../src/core/models/modelConfig';
import { initTf, tf } from '../../src/core/models/tf';
import { createModel } from '../../src/core/models/weightSpaceModel';
import { Rng } from '../../src/core/random/rng';
import { AdamW } from '../../src/core/train/adamw';
import { evaluateModel, softCrossEntropy } from '../../src/core/train/evaluate';
import { trainStep } from '../../src/core/train/trainStep';
import { parameterCount } from '../../src/core/weights/network';

const CLASSES = 5;
const BATCH = 6;
const SETTINGS = { lr: 3e-3, weightDecay: 5e-4, warmupSteps: 3, beta1: 0.9, beta2: 0.999, eps: 1e-8 };

interface Case {
  readonly config: ModelConfig;
  readonly widths: readonly number[];
}

const cases: Case[] = [];
for (const kind of ['dwsnet', 'nfn-np'] as const) {
  for (const norm of ['batch', 'none'] as const) {
    for (const pool of ['mean', 'max', 'mean+max'] as const) {
      cases.push({ config: { ...MODEL_DEFAULTS[kind], hidden: 4, layers: 2, headHidden: 8, norm, pool }, widths: [2, 8, 6, 1] });
    }
  }
  // Odd channel counts (scalar paths), a three-hidden-layer network, an RGB-like output.
  cases.push({ config: { ...MODEL_DEFAULTS[kind], hidden: 3, layers: 3, headHidden: 5 }, widths: [2, 5, 4, 3, 3] });
}

function batch(widths: readonly number[], seed: number): { x: Float32Array; targets: Float32Array; labels: Int32Array } {
  const P = parameterCount(widths);
  const rng = new Rng(seed);
  const x = Float32Array.from({ length: BATCH * P }, () => rng.normal());
  const labels = Int32Array.from({ length: BATCH }, () => rng.int(0, CLASSES - 1));
  // Soft targets with label smoothing, as training batches have them.
  const targets = new Float32Array(BATCH * CLASSES).fill(0.1 / CLASSES);
  labels.forEach((c, n) => (targets[n * CLASSES + c] += 0.9));
  return { x, targets, labels };
}

/** Names of biases directly before a BatchNorm (exactly zero gradient). */
function cancelledBiases(config: ModelConfig, names: readonly string[]): Set<string> {
  return new Set(config.norm === 'batch' ? names.filter((n) => /^eq\d+\.[wb]\d+\.bias$/.test(n)) : []);
}

for (const { config, widths } of cases) {
  const label = `${config.kind} hidden ${config.hidden} × ${config.layers}, norm ${config.norm}, pool ${config.pool}, widths ${widths.join('-')}`;

  test(`fused kernels match TensorFlow.js: one step's loss and gradients (${label})`, async () => {
    await initTf('cpu');
    assert.equal(fusedUnsupportedReason(config), null);
    const P = parameterCount(widths);
    const { x, targets } = batch(widths, 1);
    const reference = createModel(config, widths, CLASSES, 3);
    const variables = reference.params.list;
    const { value, grads } = tf.variableGrads(
      () => softCrossEntropy(reference.forward(tf.tensor2d(x, [BATCH, P]), true), tf.tensor2d(targets, [BATCH, CLASSES])),
      variables,
    );
    const engine = new FusedEngine(createModel(config, widths, CLASSES, 3), SETTINGS, BATCH);
    const program = engine.program;
    program.setInput(x, BATCH);
    const loss = softCrossEntropyGrad(program.forward(BATCH, true), targets, BATCH, CLASSES, program.dLogits(BATCH)).lossSum / BATCH;
    program.backward(BATCH);
    const expectedLoss = value.dataSync()[0]!;
    assert.ok(Math.abs(loss - expectedLoss) <= 1e-6 * Math.abs(expectedLoss), `loss ${loss} vs ${expectedLoss}`);
    const fusedGrad = program.f32(program.grad);
    const zero = cancelledBiases(config, reference.params.names);
    reference.params.names.forEach((name, i) => {
      const expected = grads[variables[i]!.name]!.dataSync();
      const offset = program.offsets.get(name)!;
      for (let j = 0; j < expected.length; j++) {
        const got = fusedGrad[offset + j]!;
        if (zero.has(name)) {
          assert.equal(got, 0, `${name}[${j}]: a bias before BatchNorm has gradient 0`);
          assert.ok(Math.abs(expected[j]!) < 1e-6, `${name}[${j}]: TensorFlow.js gives ${expected[j]} (rounding noise expected)`);
        } else {
          assert.ok(Math.abs(got - expected[j]!) <= 2e-6 + 1e-4 * Math.abs(expected[j]!), `${name}[${j}]: ${got} vs ${expected[j]}`);
        }
      }
    });
  });

  test(`fused kernels match TensorFlow.js: 10 AdamW steps and eval mode (${label})`, async () => {
    await initTf('cpu');
    const { x, targets, labels } = batch(widths, 2);
    const reference = createModel(config, widths, CLASSES, 5);
    const optimizer = new AdamW(reference.params.list, SETTINGS);
    const fusedModel = createModel(config, widths, CLASSES, 5);
    const engine = new FusedEngine(fusedModel, SETTINGS, BATCH);
    // Eval mode before training: the same parameters give the same loss.
    const before = [evaluateModel(reference, x, labels).loss, engine.evaluate(x, labels).loss];
    assert.ok(Math.abs(before[0]! - before[1]!) <= 1e-5, `eval loss ${before[1]} vs ${before[0]}`);
    let losses = [0, 0];
    for (let step = 0; step < 10; step++) losses = [trainStep(reference, optimizer, x, targets, BATCH).loss, engine.trainStep(x, targets, BATCH).loss];
    assert.ok(Math.abs(losses[0]! - losses[1]!) <= 1e-4, `step-10 loss ${losses[1]} vs ${losses[0]}`);
    assert.ok(losses[1]! < before[1]!, 'training lowered the loss');
    const fused = engine.program.weightSet();
    const skip = cancelledBiases(config, reference.params.names);
    for (const t of reference.params.toWeightSet().tensors) {
      if (skip.has(t.name) || t.name.endsWith('.runningMean')) continue;
      const got = fused.get(t.name).data;
      for (let j = 0; j < t.data.length; j++) assert.ok(Math.abs(got[j]! - t.data[j]!) <= 1e-4, `${t.name}[${j}] after 10 steps: ${got[j]} vs ${t.data[j]}`);
    }
    // The engine's state goes back into the model's ParamStore (checkpoints are written from there).
    engine.syncModel();
    assert.ok(Math.abs(evaluateModel(fusedModel, x, labels).loss - engine.evaluate(x, labels).loss) <= 1e-5);
  });
}

test('the fused program refuses what it has no kernels for, naming it', () => {
  assert.match(fusedUnsupportedReason(MODEL_DEFAULTS.gnn) ?? '', /gnn/);
  assert.match(fusedUnsupportedReason({ ...MODEL_DEFAULTS.dwsnet, norm: 'layer' }) ?? '', /layer/);
  assert.match(fusedUnsupportedReason({ ...MODEL_DEFAULTS.dwsnet, setLayer: 'sab' }) ?? '', /sab/);
});
