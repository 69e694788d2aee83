/** `wslab eval RUN`: accuracy and loss of a run's best (or last) checkpoint on a split of its dataset. */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { initTf } from '../../core/models/tf';
import { modelFromCheckpoint, readCheckpoint } from '../../core/train/checkpoint';
import { loadDatasetSplits } from '../../core/train/datasetSplits';
import { evaluateModel } from '../../core/train/evaluate';
import type { ExperimentConfig } from '../../core/train/experimentConfig';
import { normalise } from '../../core/train/inputNorm';
import { readRunConfig, RUN_FILES, RunFolderError } from '../../core/train/runFolder';
import { UsageError, type CommandIO } from '../command';
import type { CliOptions } from '../optionHelp';

export const evalUsage = 'wslab eval RUN [--split test|val|train] [--checkpoint best|last] [--json]   evaluate a run folder';

export const EVAL_OPTIONS = {
  split: { type: 'string', default: 'test', value: 'test|val|train', help: "The split of the run's dataset to evaluate on." },
  checkpoint: { type: 'string', default: 'best', value: 'best|last', help: "The best-validation checkpoint or the last epoch's." },
  json: { type: 'boolean', default: false, help: 'Print one JSON object.' },
} satisfies CliOptions;

export async function evalCommand(args: readonly string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], allowPositionals: true, options: EVAL_OPTIONS });
  const [dir] = positionals;
  if (!dir || positionals.length > 1) throw new UsageError(`usage: ${evalUsage}`);
  const split = values.split as 'train' | 'val' | 'test';
  if (!['train', 'val', 'test'].includes(split)) throw new UsageError(`--split must be train, val or test, got "${values.split}"`);
  if (!['best', 'last'].includes(values.checkpoint!)) throw new UsageError(`--checkpoint must be best or last`);
  const config = await readRunConfig<ExperimentConfig>(dir);
  if (!config) throw new RunFolderError(`${dir}: not a run folder (no ${RUN_FILES.config})`);
  const path = join(dir, values.checkpoint === 'best' ? RUN_FILES.best : RUN_FILES.last);
  await initTf(config.backend === 'fused' ? 'auto' : config.backend); // evaluation runs on TensorFlow.js
  const checkpoint = await readCheckpoint(path);
  const model = modelFromCheckpoint(checkpoint, path);
  const dataset = await loadDatasetSplits(config.dataset);
  const data = dataset.splits[split];
  const score = evaluateModel(model, normalise(data.data, checkpoint.norm), data.labels);
  if (values.json) io.stdout(JSON.stringify({ run: dir, checkpoint: values.checkpoint, split, ...score }));
  else
    io.stdout(`${dir} (${values.checkpoint}): ${split} accuracy ${(100 * score.accuracy).toFixed(2)}%, loss ${score.loss.toFixed(4)} over ${score.count} INRs`);
  return 0;
}
