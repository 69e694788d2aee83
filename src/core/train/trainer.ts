/**
 * Trains one weight-space classifier into a run folder (runFolder.ts). Everything random is derived
 * from the config's seed: the model's initialisation, each epoch's data order and each row's augmentation
 * draws (from the seed, the epoch and the row's position: trainingBatch.ts) — so a run resumed from its last checkpoint (end of an epoch) continues exactly as
 * an uninterrupted one would, bit for bit. Model selection uses the validation split only; the test split
 * is evaluated when validation improves, to report test accuracy at the best validation epoch.
 */
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { firstDifference, readDatasetSettings } from '../dataset/manifest';
import { removeStaleTempFiles } from '../io/atomicWrite';
import { createModel } from '../models/weightSpaceModel';
import { deriveSeed, Rng } from '../random/rng';
import { readCheckpoint, saveCheckpoint, type TrainProgress } from './checkpoint';
import { classCounts, loadDatasetSplits, trainingSample } from './datasetSplits';
import type { ExperimentConfig } from './experimentConfig';
import { inputStatistics, normalise } from './inputNorm';
import {
  appendMetrics,
  readRunConfig,
  readStatus,
  readSummary,
  RUN_FILES,
  RunFolderError,
  truncateMetrics,
  writeJson,
  writeStatus,
  type MetricRecord,
  type RunSummary,
} from './runFolder';
import type { TrainEngine } from './engine';
import { createTrainEngine, prepareBackend } from './trainEngine';
import { runVersions } from './versions';

export type TrainEvent =
  | {
      readonly type: 'start';
      readonly run: string;
      readonly dir: string;
      readonly backend: string;
      readonly totalSteps: number;
      readonly resumedFromEpoch: number;
    }
  | {
      readonly type: 'step';
      readonly step: number;
      readonly totalSteps: number;
      readonly epoch: number;
      readonly loss: number;
      readonly lr: number;
      readonly setsPerSec: number;
    }
  | {
      readonly type: 'epoch';
      readonly epoch: number;
      readonly epochs: number;
      readonly trainLoss: number;
      readonly trainAccuracy: number;
      readonly valAccuracy: number;
      readonly bestValAccuracy: number;
      readonly improved: boolean;
    }
  | { readonly type: 'done'; readonly summary: RunSummary };

export interface TrainOptions {
  readonly config: ExperimentConfig;
  /** The run folder (created if missing). */
  readonly dir: string;
  /** Continue from RUN/last.safetensors; without it an existing run folder is refused. */
  readonly resume?: boolean;
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: TrainEvent) => void;
}

export class TrainCancelled extends Error {
  override readonly name = 'TrainCancelled';
}

/** The loss or a parameter became NaN/Inf: training stops, naming where, before anything non-finite is saved. */
export class TrainDiverged extends RunFolderError {
  constructor(
    readonly epoch: number,
    /** The optimizer step (1-based) at which it was seen. */
    readonly step: number,
    what: string,
  ) {
    super(
      `training diverged: ${what} at epoch ${epoch}, step ${step}; nothing of this epoch was saved, the run resumes from the end of epoch ${epoch - 1} (lower optimizer.lr?)`,
    );
  }
}

/** The name of the first parameter holding NaN or ±Inf, if any. */
function nonFiniteParameter(model: ReturnType<typeof createModel>): string | undefined {
  for (const t of model.params.toWeightSet().tensors) {
    for (let i = 0; i < t.data.length; i++) if (!Number.isFinite(t.data[i])) return t.name;
  }
  return undefined;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

export async function train(options: TrainOptions): Promise<RunSummary> {
  const { config, dir, signal } = options;
  const emit = options.onEvent ?? (() => {});
  const configJson = JSON.parse(JSON.stringify(config)) as unknown;
  const runName = dir.split(/[\\/]/).filter(Boolean).pop()!;

  // The dataset first: a run that cannot start leaves no folder behind.
  await readDatasetSettings(config.dataset);
  if (await exists(join(dir, RUN_FILES.config))) {
    if (!options.resume) {
      // A run that ended before its first checkpoint has nothing to continue: it starts again.
      const neverCheckpointed = !(await exists(join(dir, RUN_FILES.last))) && ['failed', 'cancelled'].includes((await readStatus(dir))?.state ?? '');
      if (!neverCheckpointed) throw new RunFolderError(`${dir} already holds a run: pass --resume to continue it, or choose another name`);
    } else {
      const difference = firstDifference(await readRunConfig(dir), configJson);
      if (difference) throw new RunFolderError(`${dir} was started with another config (${difference}); resume it with the same config`);
      if ((await readStatus(dir))?.state === 'done') {
        const summary = await readSummary(dir);
        if (summary) {
          emit({ type: 'done', summary });
          return summary;
        }
      }
    }
  }
  await mkdir(dir, { recursive: true });
  await removeStaleTempFiles(dir); // left by a killed session of this run (a run folder has one writer)
  await writeJson(dir, RUN_FILES.config, configJson);
  await writeStatus(dir, 'running');

  try {
    const summary = await trainInFolder(options, runName, emit);
    await writeStatus(dir, 'done');
    emit({ type: 'done', summary });
    return summary;
  } catch (e) {
    const cancelled = e instanceof TrainCancelled || signal?.aborted;
    // The original error matters more than a failed status write (e.g. when the disk is full).
    await writeStatus(dir, cancelled ? 'cancelled' : 'failed', (e as Error).message).catch(() => undefined);
    throw e;
  }
}

async function trainInFolder(options: TrainOptions, runName: string, emit: (event: TrainEvent) => void): Promise<RunSummary> {
  const { config, dir, signal } = options;
  const { optimizer: o } = config;
  const backendSetup = await prepareBackend(config.backend, config.model);
  const dataset = await loadDatasetSplits(config.dataset);
  const { widths, classes } = dataset;
  const trainSplit = trainingSample(dataset, config.trainLimit, config.seed);
  if (trainSplit.count === 0) throw new RunFolderError(`${config.dataset}: the training split is empty`);
  const norm = inputStatistics(trainSplit, widths, config.inputNorm, config.inputSigns);
  const val = { data: normalise(dataset.splits.val.data, norm), labels: dataset.splits.val.labels };
  const test = { data: normalise(dataset.splits.test.data, norm), labels: dataset.splits.test.labels };
  const trainClassCounts = Object.fromEntries(classCounts(trainSplit, classes).map((n, c) => [dataset.classNames[c]!, n]));

  const model = createModel(config.model, widths, classes, deriveSeed(config.seed, 1));
  const stepsPerEpoch = Math.ceil(trainSplit.count / o.batchSize);
  const totalSteps = stepsPerEpoch * o.epochs;

  let progress: TrainProgress = { epoch: 0, step: 0, bestValAccuracy: null, bestEpoch: null, testAccuracyAtBest: null, elapsedSec: 0 };
  const lastPath = join(dir, RUN_FILES.last);
  let checkpointToResume: Awaited<ReturnType<typeof readCheckpoint>> | undefined;
  if (options.resume && (await exists(lastPath))) {
    checkpointToResume = await readCheckpoint(lastPath);
    if (!checkpointToResume.progress) throw new RunFolderError(`${lastPath}: no training state to resume from`);
    model.params.load(checkpointToResume.set, lastPath, 'model.');
    progress = checkpointToResume.progress;
  }
  const source = {
    split: trainSplit,
    widths,
    classes,
    activation: { kind: 'sine' as const, w0: dataset.settings.spec.w0 },
    augment: config.augment,
    labelSmoothing: config.labelSmoothing,
    norm,
    seed: config.seed,
  };
  const engine = createTrainEngine(model, o, o.batchSize, backendSetup, source, config.threads);
  // Released however the session ends (a cancelled or failed run in the extension's long-lived worker
  // process would otherwise keep the fused engine's threads and memory).
  try {
    if (checkpointToResume) engine.restore(checkpointToResume.set, model.params.names, progress.step, lastPath);
    const backend = engine.backend;
    await truncateMetrics(dir, progress.epoch);
    emit({ type: 'start', run: runName, dir, backend, totalSteps, resumedFromEpoch: progress.epoch });

    const sessionStart = performance.now();
    const priorSec = progress.elapsedSec; // time of earlier sessions of a resumed run
    const elapsed = () => priorSec + (performance.now() - sessionStart) / 1000;
    let last = { trainLoss: null as number | null, trainAccuracy: null as number | null, valLoss: null as number | null, valAccuracy: null as number | null };
    const summaryOf = (epochsDone: number, step: number): RunSummary => ({
      name: runName,
      epochs: o.epochs,
      epochsDone,
      steps: step,
      bestValAccuracy: progress.bestValAccuracy,
      bestEpoch: progress.bestEpoch,
      testAccuracyAtBest: progress.testAccuracyAtBest,
      last,
      durationSec: elapsed(),
      backend,
      counts: { train: trainSplit.count, val: val.labels.length, test: test.labels.length },
      trainClassCounts,
      parameters: model.params.size,
      versions: runVersions(),
    });

    let step = progress.step;
    for (let epoch = progress.epoch + 1; epoch <= o.epochs; epoch++) {
      const epochRun = await trainEpoch({ engine, count: trainSplit.count, config, signal, emit, elapsed, totalSteps }, epoch, step);
      const { records, trainLoss, trainAccuracy } = epochRun;
      step = epochRun.step;
      const valScore = await engine.evaluate(val.data, val.labels);
      records.push({ step, epoch, split: 'val', loss: valScore.loss, accuracy: valScore.accuracy, lr: engine.learningRate(step), time: elapsed() });
      const improved = val.labels.length > 0 && (progress.bestValAccuracy === null || valScore.accuracy > progress.bestValAccuracy);
      let { bestValAccuracy, bestEpoch, testAccuracyAtBest } = progress;
      if (improved) {
        const testScore = await engine.evaluate(test.data, test.labels);
        records.push({ step, epoch, split: 'test', loss: testScore.loss, accuracy: testScore.accuracy, lr: engine.learningRate(step), time: elapsed() });
        bestValAccuracy = valScore.accuracy;
        bestEpoch = epoch;
        testAccuracyAtBest = testScore.accuracy;
      }
      await engine.syncModel();
      const badParameter = nonFiniteParameter(model);
      if (badParameter !== undefined) throw new TrainDiverged(epoch, step, `parameter ${badParameter} holds NaN or Inf`);
      if (!Number.isFinite(valScore.loss) && val.labels.length > 0) throw new TrainDiverged(epoch, step, `the validation loss is ${valScore.loss}`);
      await appendMetrics(dir, records);
      if (improved) await saveCheckpoint(join(dir, RUN_FILES.best), model, norm);
      progress = { epoch, step, bestValAccuracy, bestEpoch, testAccuracyAtBest, elapsedSec: elapsed() };
      await saveCheckpoint(lastPath, model, norm, { optimizer: engine, progress });
      last = { trainLoss, trainAccuracy, valLoss: valScore.loss, valAccuracy: valScore.accuracy };
      await writeJson(dir, RUN_FILES.summary, summaryOf(epoch, step));
      emit({
        type: 'epoch',
        epoch,
        epochs: o.epochs,
        trainLoss,
        trainAccuracy,
        valAccuracy: valScore.accuracy,
        bestValAccuracy: bestValAccuracy ?? valScore.accuracy,
        improved,
      });
    }
    const summary = summaryOf(o.epochs, step);
    await writeJson(dir, RUN_FILES.summary, summary);
    return summary;
  } finally {
    engine.dispose();
    model.params.dispose();
  }
}

/** What one epoch of training needs from its run. */
interface EpochContext {
  readonly engine: TrainEngine;
  /** Networks in the training split. */
  readonly count: number;
  readonly config: ExperimentConfig;
  readonly signal: AbortSignal | undefined;
  readonly emit: (event: TrainEvent) => void;
  /** Seconds of training so far, earlier sessions of a resumed run included. */
  readonly elapsed: () => number;
  readonly totalSteps: number;
}

/**
 * One pass over the training split in the epoch's seeded order, an AdamW step per batch: the metric records
 * of every `logEvery` steps (and the epoch's last), a step event for each, and the epoch's mean loss and
 * accuracy. Cancellation is checked before every step; a non-finite loss stops the run (TrainDiverged).
 */
async function trainEpoch(
  c: EpochContext,
  epoch: number,
  firstStep: number,
): Promise<{ step: number; trainLoss: number; trainAccuracy: number; records: MetricRecord[] }> {
  const { engine, count: total, config, signal, emit, elapsed, totalSteps } = c;
  const batchSize = config.optimizer.batchSize;
  const order = new Rng(deriveSeed(config.seed, 2, epoch)).permutation(total);
  let step = firstStep;
  let epochLoss = 0;
  let epochCorrect = 0;
  let windowLoss = 0;
  let windowCorrect = 0;
  let windowCount = 0;
  let windowStart = performance.now();
  const records: MetricRecord[] = [];
  for (let start = 0; start < total; start += batchSize) {
    if (signal?.aborted) throw new TrainCancelled(`cancelled at epoch ${epoch}, step ${step}; the run resumes from the end of epoch ${epoch - 1}`);
    const indices = order.subarray(start, Math.min(start + batchSize, total));
    const lr = engine.learningRate();
    const { loss, correct } = await engine.trainBatch({ indices, epoch, start });
    const count = indices.length;
    if (!Number.isFinite(loss)) throw new TrainDiverged(epoch, step + 1, `the training loss is ${loss}`);
    step += 1;
    epochLoss += loss * count;
    epochCorrect += correct;
    windowLoss += loss * count;
    windowCorrect += correct;
    windowCount += count;
    if (step % config.logEvery === 0 || start + batchSize >= total) {
      records.push({ step, epoch, split: 'train', loss: windowLoss / windowCount, accuracy: windowCorrect / windowCount, lr, time: elapsed() });
      const setsPerSec = windowCount / Math.max(1e-9, (performance.now() - windowStart) / 1000);
      emit({ type: 'step', step, totalSteps, epoch, loss: windowLoss / windowCount, lr, setsPerSec });
      windowLoss = windowCorrect = windowCount = 0;
      windowStart = performance.now();
      await new Promise((r) => setImmediate(r)); // let signals and IPC through
    }
  }
  return { step, trainLoss: epochLoss / total, trainAccuracy: epochCorrect / total, records };
}
