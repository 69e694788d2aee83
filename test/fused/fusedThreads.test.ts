/**
 * Sharded fused training: a batch split over worker threads (BatchNorm statistics of the whole batch, a
 * fixed-order reduction of partial sums) computes the same maths as one thread — losses, parameters after
 * 10 steps and eval-mode loss agree to float32 rounding (1e-4; only the order of sums differs) — and two
 * sessions with the same thread count are bit-identical whatever the timing. Batches of fewer rows than
 * threads leave some shards empty.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FusedEngine } from '../../src/core/fused/fusedEngine';
import { shardRange } from '../../src/core/fused/fusedShard';
import { MODEL_DEFAULTS } from '../../src/core/models/modelConfig';
import { initTf } from '../../src/core/models/tf';
import { createModel } from '../../src/core/models/weightSpaceModel';
import { Rng } from '../../src/core/random/rng';
import { parameterCount } from '../../src/core/weights/network';

const WIDTHS = [2, 8, 6, 1];
const P = parameterCount(WIDTHS);
const CLASSES = 4;
const SETTINGS = { lr: 3e-3, weightDecay: 5e-4, warmupSteps: 2, beta1: 0.9, beta2: 0.999, eps: 1e-8 };
const CONFIG = { ...MODEL_DEFAULTS.dwsnet, hidden: 4, layers: 2, headHidden: 8 };

function session(threads: number, batches: readonly number[]): { losses: number[]; weights: Float32Array[]; evalLoss: number } {
  const rng = new Rng(11);
  const engine = new FusedEngine(createModel(CONFIG, WIDTHS, CLASSES, 2), SETTINGS, 9, threads);
  try {
    const losses = batches.map((count) => {
      const x = Float32Array.from({ length: count * P }, () => rng.normal());
      const targets = new Float32Array(count * CLASSES);
      for (let n = 0; n < count; n++) targets[n * CLASSES + rng.int(0, CLASSES - 1)] = 1;
      return engine.trainStep(x, targets, count).loss;
    });
    const data = Float32Array.from({ length: 20 * P }, () => rng.normal());
    const labels = Int32Array.from({ length: 20 }, () => rng.int(0, CLASSES - 1));
    return { losses, weights: engine.program.weightSet().tensors.map((t) => t.data as Float32Array), evalLoss: engine.evaluate(data, labels).loss };
  } finally {
    engine.dispose();
  }
}

test('shardRange splits rows contiguously, sizes differing by at most 1, empty shards when rows < threads', () => {
  for (const [count, threads] of [
    [9, 2],
    [9, 4],
    [2, 3],
    [0, 2],
    [32, 8],
  ] as const) {
    const ranges = Array.from({ length: threads }, (_, i) => shardRange(count, threads, i));
    assert.equal(ranges[0]![0], 0);
    assert.equal(ranges[threads - 1]![1], count);
    ranges.slice(1).forEach(([start], i) => assert.equal(start, ranges[i]![1]));
    const sizes = ranges.map(([a, b]) => b - a);
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `${count} over ${threads}: ${sizes}`);
  }
});

test('fused training on 3 threads matches 1 thread to rounding, and repeats bit for bit', async () => {
  await initTf('cpu');
  const batches = [9, 9, 9, 9, 9, 9, 9, 9, 5, 2]; // the last ones smaller, the very last one leaving a shard empty
  const one = session(1, batches);
  const three = session(3, batches);
  const again = session(3, batches);
  one.losses.forEach((loss, i) => assert.ok(Math.abs(loss - three.losses[i]!) <= 1e-4, `step ${i + 1}: ${three.losses[i]} vs ${loss}`));
  one.weights.forEach((w, i) =>
    w.forEach((v, j) => assert.ok(Math.abs(v - three.weights[i]![j]!) <= 1e-4, `tensor ${i}[${j}]: ${three.weights[i]![j]} vs ${v}`)),
  );
  assert.ok(Math.abs(one.evalLoss - three.evalLoss) <= 1e-4, `eval loss ${three.evalLoss} vs ${one.evalLoss}`);
  assert.deepEqual(again.losses, three.losses);
  again.weights.forEach((w, i) =>
    assert.deepEqual(
      Buffer.from(w.buffer, w.byteOffset, w.byteLength),
      Buffer.from(three.weights[i]!.buffer, three.weights[i]!.byteOffset, three.weights[i]!.byteLength),
    ),
  );
  assert.equal(again.evalLoss, three.evalLoss);
});

test('a worker thread that fails mid-command makes the engine throw its error instead of waiting for it', async () => {
  await initTf('cpu');
  const engine = new FusedEngine(createModel(CONFIG, WIDTHS, CLASSES, 2), SETTINGS, 8, 2);
  try {
    const rng = new Rng(3);
    const data = Float32Array.from({ length: 8 * P }, () => rng.normal());
    const labels = Int32Array.from({ length: 8 }, () => rng.int(0, CLASSES - 1));
    const inner = engine as unknown as { together<T>(message: unknown, own: () => T): T; shard: { evaluate(d: Float32Array, l: Int32Array): unknown } };
    // The helper gets a command it cannot run (it fails at once); this thread runs a valid evaluation, which
    // reaches the team's reduction and would wait there for ever.
    const started = Date.now();
    assert.throws(() => inner.together({ type: 'load' }, () => inner.shard.evaluate(data, labels)), /a worker thread failed: TypeError/);
    assert.ok(Date.now() - started < 30_000, 'it did not wait for the stall timeout');
  } finally {
    engine.dispose();
  }
});
