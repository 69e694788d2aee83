/** `wslab train`: trains a weight-space classifier from an experiment config into run folders, one per seed. */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readExperimentConfig, type ExperimentConfig } from '../../core/train/experimentConfig';
import { train, TrainCancelled, type TrainEvent } from '../../core/train/trainer';
import { UsageError, type CommandIO } from '../command';
import { integerOption } from '../options';
import { ProgressReporter, formatDuration, type ProgressMode } from '../progress';
import { pct, trainProgressRenderer } from '../trainProgress';
import { cancelOnSignal } from '../cancelOnSignal';

export const trainUsage =
  'wslab train --config FILE [--set key=value]… [--seeds 0,1,2] [--name NAME] [--runs DIR] [--backend B] [--threads N] [--resume] [--progress bar|json|none]\n' +
  '               train a weight-space classifier; one run folder per seed under --runs (default runs/)';

/** The run folders a train command writes: NAME, or NAME-seedS for each of --seeds. */
export function plannedRuns(config: ExperimentConfig, runsDir: string, seeds: readonly number[] | undefined, name?: string): { config: ExperimentConfig; dir: string }[] {
  const base = name ?? config.name;
  if (!seeds) return [{ config, dir: resolve(runsDir, base) }];
  return seeds.map((seed) => ({ config: { ...config, seed }, dir: resolve(join(runsDir, `${base}-seed${seed}`)) }));
}

export async function trainCommand(args: readonly string[], io: CommandIO): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      config: { type: 'string' },
      set: { type: 'string', multiple: true, default: [] },
      seeds: { type: 'string' },
      name: { type: 'string' },
      runs: { type: 'string', default: 'runs' },
      backend: { type: 'string' },
      threads: { type: 'string' },
      resume: { type: 'boolean', default: false },
      progress: { type: 'string', default: 'bar' },
    },
  });
  if (!values.config) throw new UsageError(`train needs --config FILE\nusage: ${trainUsage}`);
  const mode = values.progress as ProgressMode;
  if (!['bar', 'json', 'none'].includes(mode)) throw new UsageError('--progress must be bar, json or none');
  if (values.name !== undefined && !/^[A-Za-z0-9._-]+$/.test(values.name)) throw new UsageError(`--name may use letters, digits, . _ - only, got "${values.name}"`);
  const seeds = values.seeds?.split(',').map((s) => integerOption('seeds', s.trim(), 0));
  // --backend and --threads are short for --set backend=… and --set threads=… (checked by the schema alike).
  const sets = [...values.set!, ...(values.backend !== undefined ? [`backend=${values.backend}`] : []), ...(values.threads !== undefined ? [`threads=${values.threads}`] : [])];
  const config = await readExperimentConfig(values.config, sets);
  const runs = plannedRuns(config, values.runs!, seeds, values.name);

  const cancellation = cancelOnSignal();
  const { controller } = cancellation;
  try {
    for (const run of runs) {
      const progress = new ProgressReporter(mode);
      const render = trainProgressRenderer(progress, mode === 'bar', io);
      const onEvent = (e: TrainEvent) => {
        progress.event(e);
        if (typeof process.send === 'function') process.send({ kind: 'train-progress', event: e });
        render(e);
      };
      const summary = await train({ config: run.config, dir: run.dir, resume: values.resume, signal: controller.signal, onEvent });
      if (mode !== 'json') {
        io.stdout(
          `${run.dir}: best val ${pct(summary.bestValAccuracy)} at epoch ${summary.bestEpoch ?? '–'}, test at best val ${pct(summary.testAccuracyAtBest)} (${formatDuration(summary.durationSec)})`,
        );
      }
    }
    return 0;
  } catch (e) {
    if (e instanceof TrainCancelled || controller.signal.aborted) {
      io.stderr(`wslab: training cancelled; rerun with --resume to continue from the last finished epoch`);
      return 130;
    }
    throw e;
  } finally {
    cancellation.dispose();
  }
}
