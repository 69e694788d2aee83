/** `wslab train`: trains a weight-space classifier from an experiment config into run folders, one per seed. */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readExperimentConfig, type ExperimentConfig } from '../../core/train/experimentConfig';
import { train, TrainCancelled, type TrainEvent } from '../../core/train/trainer';
import { UsageError, type CommandIO } from '../command';
import { integerOption } from '../options';
import type { CliOptions } from '../optionHelp';
import { PROGRESS_OPTION, ProgressReporter, formatDuration, progressMode } from '../progress';
import { pct, trainProgressRenderer } from '../trainProgress';
import { cancelOnSignal } from '../cancelOnSignal';

export const trainUsage =
  'wslab train --config FILE [--set key=value]… [--seeds 0,1,2] [--name NAME] [--runs DIR] [--backend B] [--threads N] [--resume] [--progress bar|json|none]\n' +
  '               train a weight-space classifier; one run folder per seed under --runs (default runs/)';

export const TRAIN_OPTIONS = {
  config: { type: 'string', value: 'FILE', help: 'The experiment config (*.wslab.json); its keys are listed below.', required: true },
  set: { type: 'string', multiple: true, default: [], value: 'key=value', help: 'Override a config key, dotted for nested keys (--set model.hidden=32).' },
  seeds: { type: 'string', value: '0,1,2', help: 'Train one run per seed, in folders NAME-seedS.', defaultText: "the config's seed, one run" },
  name: { type: 'string', value: 'NAME', help: 'The run folder name (letters, digits, . _ -).', defaultText: "the config's name" },
  runs: { type: 'string', default: 'runs', value: 'DIR', help: 'Where run folders are made.' },
  backend: {
    type: 'string',
    value: 'B',
    help: 'Short for --set backend=B: auto, fused, wasm, cpu, tfjs-node-gpu or webgpu.',
    defaultText: "the config's, else auto",
  },
  threads: {
    type: 'string',
    value: 'N',
    help: 'Short for --set threads=N: threads of the fused backend, 0 = one per core.',
    defaultText: "the config's, else 0",
  },
  resume: { type: 'boolean', default: false, help: 'Continue a run folder from its last finished epoch.' },
  progress: PROGRESS_OPTION,
} satisfies CliOptions;

/** The run folders a train command writes: NAME, or NAME-seedS for each of --seeds. */
export function plannedRuns(
  config: ExperimentConfig,
  runsDir: string,
  seeds: readonly number[] | undefined,
  name?: string,
): { config: ExperimentConfig; dir: string }[] {
  const base = name ?? config.name;
  if (!seeds) return [{ config, dir: resolve(runsDir, base) }];
  return seeds.map((seed) => ({ config: { ...config, seed }, dir: resolve(join(runsDir, `${base}-seed${seed}`)) }));
}

export async function trainCommand(args: readonly string[], io: CommandIO): Promise<number> {
  const { values } = parseArgs({ args: [...args], options: TRAIN_OPTIONS });
  if (!values.config) throw new UsageError(`train needs --config FILE\nusage: ${trainUsage}`);
  const mode = progressMode(values.progress);
  if (values.name !== undefined && !/^[A-Za-z0-9._-]+$/.test(values.name))
    throw new UsageError(`--name may use letters, digits, . _ - only, got "${values.name}"`);
  const seeds = values.seeds?.split(',').map((s) => integerOption('seeds', s.trim(), 0));
  // --backend and --threads are short for --set backend=… and --set threads=… (checked by the schema alike).
  const sets = [
    ...values.set!,
    ...(values.backend !== undefined ? [`backend=${values.backend}`] : []),
    ...(values.threads !== undefined ? [`threads=${values.threads}`] : []),
  ];
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
