/**
 * Every model kind and every block (BatchNorm in training and eval mode, LayerNorm, max and mean+max
 * pooling, self-attention, the neural-graph GNN, StatNN's statistics) and its PyTorch twin
 * (bench/train/torch_models.py, the baseline of `npm run bench:train`, using PyTorch's own BatchNorm1d,
 * LayerNorm and quantile) are the same architecture: with our initial parameters loaded into the PyTorch
 * model, both compute the same training-mode logits, loss and gradients on the same batch, the same running
 * statistics after that pass and eval-mode logits with them, the same parameters after two AdamW steps (ours:
 * src/core/train/adamw.ts; theirs: torch.optim.AdamW), with equal parameter counts. Needs Debian's
 * /usr/bin/python3 with torch; skipped (saying why) where it cannot import torch.
 *
 * Tolerances: both sides compute in float32 and differ only in summation order. Measured (WSLAB_VERBOSE=1
 * prints them): logits within 1.1e-6, gradients within 2.3e-5 of their largest entry, parameters after two
 * steps within 8e-7. The bounds (logits 1e-5, gradients 1e-4 relative, buffers 1e-5 relative, parameters
 * 0.05·lr) leave room, while an architectural difference fails: folding the output neurons untransposed moves
 * the deeper net's logits by 7e-3. A gradient that vanishes in exact arithmetic (a bias right before a
 * BatchNorm) must vanish on both sides; Adam's m/(√v + ε) turns its float noise into steps of ±lr, so those
 * parameters alone may differ after the steps.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readWeightSet, writeWeightSet } from '../../src/core/formats/registry';
import { MODEL_DEFAULTS, type ModelConfig } from '../../src/core/models/modelConfig';
import { initTf, tf, type TrainBackendName } from '../../src/core/models/tf';
import { createModel } from '../../src/core/models/weightSpaceModel';
import { Rng } from '../../src/core/random/rng';
import { AdamW, type AdamWSettings } from '../../src/core/train/adamw';
import { softCrossEntropy } from '../../src/core/train/evaluate';
import { WeightSet } from '../../src/core/weights/weightSet';
import { PYTHON, torchUnavailable } from '../helpers/python';
import { parameterCount } from '../../src/core/weights/network';

const SCRIPT = join(__dirname, '..', '..', 'bench', 'train', 'torch_equivalence.py');
const skip = torchUnavailable();
const OPTIMIZER: AdamWSettings = { lr: 1e-3, weightDecay: 0.05, warmupSteps: 0, beta1: 0.9, beta2: 0.999, eps: 1e-8 };
const CLASSES = 10;
const BATCH = 8;

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

const SMALL = { hidden: 5, layers: 2, headHidden: 9 };
const CASES: { widths: number[]; model: ModelConfig }[] = [
  // The MNIST INR shape: every kind's default, and the models before normalisation (no norm, mean pooling).
  ...(['dwsnet', 'nfn-np', 'gnn', 'statnn', 'mlp'] as const).map((kind) => ({ widths: [2, 32, 32, 1], model: MODEL_DEFAULTS[kind] })),
  { widths: [2, 32, 32, 1], model: { ...MODEL_DEFAULTS.dwsnet, norm: 'none', pool: 'mean' } },
  // A deeper net with several outputs: folds of width > 1 on both ends, odd channel counts, the other options.
  { widths: [3, 4, 7, 5, 2], model: { ...MODEL_DEFAULTS['nfn-np'], ...SMALL, norm: 'none', pool: 'mean' } },
  { widths: [3, 4, 7, 5, 2], model: { ...MODEL_DEFAULTS.dwsnet, ...SMALL, norm: 'batch', pool: 'mean+max' } },
  { widths: [3, 4, 7, 5, 2], model: { ...MODEL_DEFAULTS.dwsnet, hidden: 4, layers: 2, headHidden: 9, norm: 'layer', pool: 'max', setLayer: 'sab' } },
  { widths: [3, 4, 7, 5, 2], model: { ...MODEL_DEFAULTS['nfn-np'], hidden: 8, layers: 2, headHidden: 9, norm: 'batch', pool: 'mean+max', setLayer: 'sab' } },
  { widths: [3, 4, 7, 5, 2], model: { ...MODEL_DEFAULTS.gnn, ...SMALL, norm: 'batch', pool: 'max' } },
  { widths: [3, 4, 7, 5, 2], model: { ...MODEL_DEFAULTS.statnn, ...SMALL, norm: 'layer' } },
];

interface Ours {
  readonly name: string;
  readonly parameters: number;
  readonly names: string[];
  readonly logits: Float32Array;
  readonly loss: number;
  readonly grads: Float32Array[];
  readonly evalLogits: Float32Array;
  readonly after: Float32Array[];
  readonly buffers: Map<string, Float32Array>;
  readonly input: string;
  readonly output: string;
}

/** Exports a case for the PyTorch side and runs ours on it: the trainer's step (variableGrads + AdamW) twice. */
async function runOurs(dir: string, backend: TrainBackendName, widths: number[], config: ModelConfig): Promise<Ours> {
  await initTf(backend);
  const name = `${config.kind}-${config.norm}-${config.pool}-${config.setLayer}-${widths.join('_')}-${backend}`;
  const model = createModel(config, widths, CLASSES, 17);
  try {
    const P = parameterCount(widths);
    const rng = new Rng(widths.length * 31 + config.hidden);
    const x = Float32Array.from({ length: BATCH * P }, () => rng.normal());
    // Soft targets (rows sum to 1), as with label smoothing or MixUp.
    const targets = new Float32Array(BATCH * CLASSES);
    for (let n = 0; n < BATCH; n++) {
      const raw = Array.from({ length: CLASSES }, () => rng.uniform(0, 1) ** 4);
      const sum = raw.reduce((a, b) => a + b, 0);
      raw.forEach((v, c) => (targets[n * CLASSES + c] = v / sum));
    }
    const input = join(dir, `${name}.in.safetensors`);
    const check = { model: config, widths, classes: CLASSES, optimizer: OPTIMIZER };
    await writeWeightSet(
      input,
      new WeightSet(
        [
          ...model.params.toWeightSet({}, 'model.').tensors,
          ...WeightSet.fromArrays([
            { name: 'input.x', shape: [BATCH, P], data: x },
            { name: 'input.targets', shape: [BATCH, CLASSES], data: targets },
          ]).tensors,
        ],
        { 'wslab.check': JSON.stringify(check) },
      ),
      { format: 'safetensors' },
    );
    const variables = model.params.list;
    const optimizer = new AdamW(variables, OPTIMIZER);
    let first: { logits: Float32Array; loss: number; grads: Float32Array[]; evalLogits: Float32Array; buffers: Map<string, Float32Array> } | undefined;
    const trained = new Set(model.params.names);
    for (let step = 0; step < 2; step++) {
      tf.tidy(() => {
        const xs = tf.tensor2d(x, [BATCH, P]);
        const ys = tf.tensor2d(targets, [BATCH, CLASSES]);
        let logits: tf.Tensor | undefined;
        const { value, grads } = tf.variableGrads(() => {
          const z = model.forward(xs, true);
          logits = tf.keep(z);
          return softCrossEntropy(z, ys);
        }, variables);
        const ordered = variables.map((v) => grads[v.name]!);
        if (step === 0) {
          const evalLogits = model.forward(xs, false).dataSync() as Float32Array; // the running statistics of this pass
          const buffers = new Map(
            model.params
              .toWeightSet()
              .tensors.filter((t) => !trained.has(t.name))
              .map((t) => [t.name, t.data as Float32Array]),
          );
          first = {
            logits: logits!.dataSync() as Float32Array,
            loss: value.dataSync()[0]!,
            grads: ordered.map((g) => g.dataSync() as Float32Array),
            evalLogits,
            buffers,
          };
        }
        optimizer.apply(ordered);
        logits!.dispose();
      });
    }
    optimizer.dispose();
    return {
      name,
      parameters: model.params.size,
      names: model.params.names,
      ...first!,
      after: variables.map((v) => v.dataSync() as Float32Array),
      input,
      output: join(dir, `${name}.out.safetensors`),
    };
  } finally {
    model.params.dispose();
  }
}

const BACKENDS: TrainBackendName[] = ['wasm', 'cpu'];
const dir = mkdtempSync(join(tmpdir(), 'wslab-torch-eq-'));
/** Every case run on our side, then all of them in one PyTorch process (importing torch takes seconds). */
const prepared: Promise<Ours[]> = skip
  ? Promise.resolve([])
  : (async () => {
      const ours: Ours[] = [];
      for (const backend of BACKENDS) for (const { widths, model } of CASES) ours.push(await runOurs(dir, backend, widths, model));
      const run = spawnSync(PYTHON, [SCRIPT, ...ours.flatMap((o) => [o.input, o.output])], { encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`torch_equivalence.py failed (${run.error?.message ?? `exit ${run.status}`}):\n${run.stderr}`);
      return ours;
    })();
prepared.catch(() => {}); // reported by the tests that await it

after(() => rmSync(dir, { recursive: true, force: true }));

BACKENDS.forEach((backend, b) => {
  CASES.forEach(({ widths, model: config }, c) => {
    test(
      `${config.kind} (norm ${config.norm}, pool ${config.pool}, ${config.setLayer}) [${widths}] (${backend}) computes what its PyTorch twin computes`,
      { skip },
      async () => {
        const ours = (await prepared)[b * CASES.length + c]!;
        const theirs = await readWeightSet(ours.output);
        assert.equal(Number(theirs.metadata['parameters']), ours.parameters, 'parameter counts differ');
        const logitDiff = maxAbsDiff(ours.logits, theirs.get('logits').data as Float32Array);
        assert.ok(logitDiff < 1e-5, `max |Δlogit| = ${logitDiff}`);
        assert.ok(maxAbs(ours.logits) > 1e-2, 'the logits are not all ~0 (the check could fail)');
        const evalDiff = maxAbsDiff(ours.evalLogits, theirs.get('evalLogits').data as Float32Array);
        assert.ok(evalDiff < 1e-5, `eval mode: max |Δlogit| = ${evalDiff}`);
        assert.equal(ours.buffers.size, theirs.tensors.filter((t) => t.name.startsWith('buffer.')).length, 'buffer counts differ');
        for (const [name, values] of ours.buffers) {
          const d = maxAbsDiff(values, theirs.get(`buffer.${name}`).data as Float32Array);
          assert.ok(d < 1e-5 * Math.max(1, maxAbs(values)), `buffer ${name} after the first pass: max |Δ| = ${d}`);
        }
        const lossDiff = Math.abs(ours.loss - theirs.get('loss').data[0]!);
        assert.ok(lossDiff < 1e-5, `|Δloss| = ${lossDiff}`);
        let gradWorst = 0;
        let afterWorst = 0;
        let vanishing = 0;
        const largest = Math.max(...ours.names.map((name) => maxAbs(theirs.get(`grad.${name}`).data)));
        const tiny = 1e-5 * largest;
        ours.names.forEach((name, i) => {
          const g = theirs.get(`grad.${name}`).data as Float32Array;
          const mine = ours.grads[i]!;
          const after = theirs.get(`after.${name}`).data as Float32Array;
          // A gradient that is 0 in exact arithmetic (a bias right before a BatchNorm, which removes any
          // per-channel shift) is float noise on both sides: it must vanish on both, and Adam's m/(√v + ε) turns
          // the noise into steps of ±lr, so such entries are not compared after the steps.
          if (maxAbs(g) < tiny) {
            assert.ok(maxAbs(mine) < tiny, `grad ${name} vanishes in PyTorch (max |g| ${maxAbs(g)}), ours has max |g| ${maxAbs(mine)}`);
          } else {
            const scale = Math.max(1e-3, maxAbs(g));
            const d = maxAbsDiff(mine, g);
            gradWorst = Math.max(gradWorst, d / scale);
            assert.ok(d / scale < 1e-4, `grad ${name}: max |Δ| = ${d} (largest |g| ${scale})`);
          }
          ours.after[i]!.forEach((value, j) => {
            const p = Math.abs(value - after[j]!);
            if (Math.abs(g[j]!) < tiny && Math.abs(mine[j]!) < tiny) {
              if (p >= 0.05 * OPTIMIZER.lr) vanishing++;
              return;
            }
            afterWorst = Math.max(afterWorst, p);
            assert.ok(p < 0.05 * OPTIMIZER.lr, `${name}[${j}] after two AdamW steps: ${value}, PyTorch ${after[j]} (gradients ${mine[j]}, ${g[j]})`);
          });
        });
        if (process.env['WSLAB_VERBOSE'])
          console.log(
            `${ours.name}: ${ours.parameters} parameters; max |Δlogit| ${logitDiff.toExponential(2)} (eval ${evalDiff.toExponential(2)}), |Δloss| ${lossDiff.toExponential(2)}, max |Δgrad|/max|g| ${gradWorst.toExponential(2)}, max |Δθ| after 2 AdamW steps ${afterWorst.toExponential(2)} (${vanishing} parameters apart by Adam-amplified noise of a vanishing gradient)`,
          );
      },
    );
  });
});
