/**
 * The training loop really learns: each model kind, trained on 32 INRs, classifies all 32 correctly
 * afterwards (checked by evaluating its saved last checkpoint in eval mode, not the loop's own running
 * accuracy). An untrained model starts near chance (≤ 50%), so the check can fail. The run's summary names
 * the class counts of the 32 it trained on. Kinds with fused kernels train on both backends.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fusedUnsupportedReason } from '../../src/core/fused/equivariantProgram';
import { MODEL_DEFAULTS, MODEL_KINDS } from '../../src/core/models/modelConfig';
import { initTf } from '../../src/core/models/tf';
import { createModel } from '../../src/core/models/weightSpaceModel';
import { modelFromCheckpoint, readCheckpoint } from '../../src/core/train/checkpoint';
import { classCounts, loadDatasetSplits, trainingSample } from '../../src/core/train/datasetSplits';
import { evaluateModel } from '../../src/core/train/evaluate';
import { resolveConfig } from '../../src/core/train/experimentConfig';
import { inputStatistics, normalise } from '../../src/core/train/inputNorm';
import { readSummary } from '../../src/core/train/runFolder';
import { train } from '../../src/core/train/trainer';
import { tinyDataset } from '../helpers/tinyDataset';

for (const kind of MODEL_KINDS) {
  // The fused kernels too where the kind has them; the checkpoint is then evaluated by TensorFlow.js.
  for (const backend of fusedUnsupportedReason({ ...MODEL_DEFAULTS[kind] }) === null ? (['wasm', 'fused'] as const) : (['wasm'] as const))
    test(`${kind} overfits 32 training INRs to 100% accuracy (backend ${backend})`, async () => {
      const dataset = await tinyDataset();
      const dir = join(mkdtempSync(join(tmpdir(), 'wslab-overfit-')), `${kind}-${backend}`);
      const config = resolveConfig(
        {
          dataset,
          trainLimit: 32,
          model: { kind, hidden: 16, layers: 1, headHidden: 32 },
          optimizer: { lr: 1e-2, weightDecay: 0, warmupSteps: 0, epochs: 100, batchSize: 32 },
          backend,
          seed: 3,
        },
        join(dir, 'exp.json'),
      );
      await initTf('wasm');
      const splits = await loadDatasetSplits(dataset);
      const trainSplit = trainingSample(splits, config.trainLimit, config.seed);
      assert.equal(trainSplit.count, 32);
      const x = normalise(trainSplit.data, inputStatistics(trainSplit, splits.widths, 'tensor', 'canonical'));
      const untrained = createModel(config.model, splits.widths, splits.classes, 99);
      assert.ok(evaluateModel(untrained, x, trainSplit.labels).accuracy <= 0.5, 'an untrained model is not already right');

      await train({ config, dir });
      const checkpoint = await readCheckpoint(join(dir, 'last.safetensors'));
      const model = modelFromCheckpoint(checkpoint, dir);
      const score = evaluateModel(model, normalise(trainSplit.data, checkpoint.norm), trainSplit.labels);
      assert.equal(score.accuracy, 1, `train accuracy ${score.accuracy}, loss ${score.loss}`);
      const expected = Object.fromEntries(classCounts(trainSplit, splits.classes).map((n, c) => [splits.classNames[c]!, n]));
      assert.deepEqual((await readSummary(dir))?.trainClassCounts, expected);
    });
}
