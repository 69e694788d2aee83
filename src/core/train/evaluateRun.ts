/**
 * A run's checkpoint evaluated on a split of its dataset: what `wslab eval RUN` prints and the extension's
 * Evaluate Run… task reports. The checkpoint rebuilds its model and carries the input normalisation it was
 * trained with; evaluation runs on TensorFlow.js.
 */
import { join } from 'node:path';
import { initTf } from '../models/tf';
import type { Split } from '../dataset/plan';
import { modelFromCheckpoint, readCheckpoint } from './checkpoint';
import { loadDatasetSplits } from './datasetSplits';
import { evaluateModel, type SplitScore } from './evaluate';
import type { ExperimentConfig } from './experimentConfig';
import { normalise } from './inputNorm';
import { readRunConfig, RUN_FILES, RunFolderError } from './runFolder';

export type CheckpointChoice = 'best' | 'last';

export async function evaluateRun(dir: string, split: Split, checkpoint: CheckpointChoice): Promise<SplitScore> {
  const config = await readRunConfig<ExperimentConfig>(dir);
  if (!config) throw new RunFolderError(`${dir}: not a run folder (no ${RUN_FILES.config})`);
  const path = join(dir, RUN_FILES[checkpoint]);
  await initTf(config.backend === 'fused' ? 'auto' : config.backend);
  const loaded = await readCheckpoint(path);
  const model = modelFromCheckpoint(loaded, path);
  try {
    const data = (await loadDatasetSplits(config.dataset)).splits[split];
    return evaluateModel(model, normalise(data.data, loaded.norm), data.labels);
  } finally {
    model.params.dispose();
  }
}
