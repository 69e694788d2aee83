/**
 * The two tables under the charts, as plain data (the DOM and the CSV export are built from these):
 * best vs last — per run, the best validation accuracy (its epoch, and the test accuracy measured at that
 * epoch) against the last epoch's numbers, computed from the curves so a running run is current — and the
 * hyper-parameters that differ between the runs (keys whose value, or presence, is not the same in all;
 * the config's `name` and `description` label a run, they are not hyper-parameters, and the run column
 * already names it).
 */
import type { FlatValue } from '../../src/protocol/compare';
import { augmentText } from './augmentText';
import type { RunData } from './series';

export interface BestVsLast {
  readonly id: string;
  readonly name: string;
  readonly state: string;
  readonly bestValAccuracy: number | null;
  readonly bestEpoch: number | null;
  readonly testAccuracyAtBest: number | null;
  readonly lastValAccuracy: number | null;
  readonly lastTrainLoss: number | null;
  readonly lastEpoch: number | null;
  /** Planned epochs (summary.json), when known. */
  readonly epochs: number | null;
  /** Seconds of training (the last record's time). */
  readonly time: number | null;
}

const lastOf = (a: Float32Array): number | null => (a.length ? a[a.length - 1]! : null);

export function bestVsLast(run: RunData): BestVsLast {
  const val = run.metrics.val;
  let best = -1;
  for (let i = 0; i < val.accuracy.length; i++) if (Number.isFinite(val.accuracy[i]!) && (best < 0 || val.accuracy[i]! > val.accuracy[best]!)) best = i; // the first of equals, as the trainer keeps
  const bestEpoch = best >= 0 ? val.epoch[best]! : null;
  const test = run.metrics.test;
  let testAtBest: number | null = null;
  for (let i = 0; i < test.epoch.length; i++) if (test.epoch[i] === bestEpoch) testAtBest = test.accuracy[i]!;
  const times = (['train', 'val', 'test'] as const).map((s) => lastOf(run.metrics[s].time)).filter((t): t is number => t !== null);
  const epochs = (['train', 'val'] as const).map((s) => lastOf(run.metrics[s].epoch)).filter((e): e is number => e !== null);
  return {
    id: run.id,
    name: run.name,
    state: run.state,
    bestValAccuracy: best >= 0 ? val.accuracy[best]! : null,
    bestEpoch,
    testAccuracyAtBest: testAtBest,
    lastValAccuracy: lastOf(val.accuracy),
    lastTrainLoss: lastOf(run.metrics.train.loss),
    lastEpoch: epochs.length ? Math.max(...epochs) : null,
    epochs: run.summary?.epochs ?? null,
    time: times.length ? Math.max(...times) : null,
  };
}

/** Keys (in first-seen order) whose values are not all equal; a key missing from a run counts as different. */
export function differingKeys(configs: readonly Readonly<Record<string, FlatValue>>[]): string[] {
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const config of configs) {
    for (const key of Object.keys(config)) {
      if (!seen.has(key)) {
        seen.add(key);
        keys.push(key);
      }
    }
  }
  return keys.filter((key) => {
    const first = configs[0]![key];
    return configs.some((c) => !Object.hasOwn(c, key) || c[key] !== first);
  });
}

/** Config keys that label a run rather than set up its training: left out of the hyper-parameter table. */
export const LABEL_KEYS: readonly string[] = ['name', 'description'];

/** The columns of the hyper-parameter table (and of the CSV): the differing keys but the labels. */
export function hyperParameterKeys(configs: readonly Readonly<Record<string, FlatValue>>[]): string[] {
  return differingKeys(configs).filter((key) => !LABEL_KEYS.includes(key));
}

/** What a config cell shows: "–" for a missing key, the augment list in words (augmentText.ts). */
export function configCell(key: string, value: FlatValue | undefined): string {
  if (value === undefined) return '–';
  if (key === 'augment' && typeof value === 'string') return augmentText(value);
  return value === null ? 'null' : String(value);
}

/**
 * The hyper-parameters a run view lists (its full config.json is one click away): the dataset and its
 * training subset, the model's keys, the optimizer's main ones, augmentation, input normalisation, label
 * smoothing, seed and backend — those the config has, in this order.
 */
const KEY_HYPER_PARAMETERS: readonly (string | RegExp)[] = [
  'dataset',
  'trainLimit',
  /^model\./,
  'optimizer.lr',
  'optimizer.weightDecay',
  'optimizer.warmupSteps',
  'optimizer.epochs',
  'optimizer.batchSize',
  'augment',
  /^inputNorm(\.|$)/,
  'labelSmoothing',
  'seed',
  'backend',
];

export function keyHyperParameters(config: Readonly<Record<string, FlatValue>>): [string, FlatValue][] {
  const keys = Object.keys(config);
  return KEY_HYPER_PARAMETERS.flatMap((k) => keys.filter((key) => (typeof k === 'string' ? key === k : k.test(key)))).map((key) => [key, config[key]!]);
}

/** A float32 value as the number it was written as (0.26, not 0.25999999046325684). */
const f32 = (v: number | null): number | null => (v === null ? null : Number(v.toPrecision(7)));

/** Both tables as one sheet, one row per run: the numbers unrounded (fractions, seconds), then the differing hyper-parameters. */
export function tableRows(runs: readonly RunData[]): (string | number | boolean | null)[][] {
  const keys = hyperParameterKeys(runs.map((r) => r.config));
  const header = [
    'run',
    'state',
    'best val accuracy',
    'best epoch',
    'test accuracy at best',
    'last val accuracy',
    'last train loss',
    'last epoch',
    'epochs',
    'time (s)',
    ...keys,
  ];
  const rows = runs.map((run) => {
    const b = bestVsLast(run);
    return [
      b.name,
      b.state,
      f32(b.bestValAccuracy),
      b.bestEpoch,
      f32(b.testAccuracyAtBest),
      f32(b.lastValAccuracy),
      f32(b.lastTrainLoss),
      b.lastEpoch,
      b.epochs,
      f32(b.time),
      ...keys.map((k) => (Object.hasOwn(run.config, k) ? run.config[k]! : null)),
    ];
  });
  return [header, ...rows];
}
