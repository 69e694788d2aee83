/**
 * The training loop really learns: each model, trained on 32 INRs, classifies all 32 correctly afterwards
 * (checked by evaluating its saved last checkpoint, not the loop's own running accuracy). An untrained
 * model starts near chance (≤ 50%), so the check can fail.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initTf } from '../../src/core/models/tf';
import { createModel } from '../../src/core/models/weightSpaceModel';
import { modelFromCheckpoint, readCheckpoint } from '../../src/core/train/checkpoint';
import { limitSplit, loadDatasetSplits, normalise, tensorStatistics } from '../../src/core/train/datasetSplits';
import { evaluateModel } from '../../src/core/train/evaluate';
import { resolveConfig } from '../../src/core/train/experimentConfig';
import { train } from '../../src/core/train/trainer';
import { tinyDataset } from '../helpers/tinyDataset';

for (const kind of ['dwsnet', 'nfn-np', 'mlp'] as const) {
  test(`${kind} overfits 32 training INRs to 100% accuracy`, async () => {
    const dataset = await tinyDataset();
    const dir = join(mkdtempSync(join(tmpdir(), 'wslab-overfit-')), kind);
    const config = resolveConfig(
      {
        dataset,
        trainLimit: 32,
        model: { kind, hidden: 16, layers: 1, headHidden: 32 },
        optimizer: { lr: 1e-2, weightDecay: 0, warmupSteps: 0, epochs: 100, batchSize: 32 },
        backend: 'wasm',
        seed: 3,
      },
      join(dir, 'exp.json'),
    );
    await initTf('wasm');
    const splits = await loadDatasetSplits(dataset);
    const trainSplit = limitSplit(splits.splits.train, 32);
    assert.equal(trainSplit.count, 32);
    const norm = tensorStatistics(trainSplit, splits.widths);
    const x = normalise(trainSplit.data, splits.widths, norm);
    const untrained = createModel(config.model, splits.widths, splits.classes, 99);
    assert.ok(evaluateModel(untrained, x, trainSplit.labels).accuracy <= 0.5, 'an untrained model is not already right');

    await train({ config, dir });
    const checkpoint = await readCheckpoint(join(dir, 'last.safetensors'));
    const model = modelFromCheckpoint(checkpoint, dir);
    const score = evaluateModel(model, normalise(trainSplit.data, splits.widths, checkpoint.norm), trainSplit.labels);
    assert.equal(score.accuracy, 1, `train accuracy ${score.accuracy}, loss ${score.loss}`);
  });
}
