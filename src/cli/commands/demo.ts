/**
 * `wslab demo` (what `npm start` runs): the whole lab end to end on MNIST in a few minutes on 2 cores —
 * fit 3,000 INRs (resumed when already there), render reconstructions and augmentation previews, train
 * a sanity baseline and the same weight-space classifier without and with augmentation, each with seeds
 * 0 … N−1, and write OUT/report.html. Layout:
 *   OUT/datasets/mnist/              the INR dataset (rerun: finished shards are reused)
 *   OUT/configs/<run>.wslab.json     the three experiment configs, usable with `wslab train --seeds`
 *   OUT/runs/<run>-seed<S>/          run folders (rerun: retrained from scratch; --resume continues them)
 *   OUT/report.html                  one self-contained page
 * — the layout of a workspace with the default folder settings, so VS Code opened on OUT shows the
 * dataset, configs and runs in the Weight Space Lab Experiments view as they are.
 */
import { cpus } from 'node:os';
import { rm, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { parseAugmentations } from '../../core/augment/parse';
import { previewAugmentations } from '../../core/augment/preview';
import { findAugmentation } from '../../core/augment/registry';
import { loadBundledDataset } from '../../core/dataset/bundledSource';
import { GENERATION_DEFAULTS } from '../../core/dataset/generationRequest';
import { runGeneration } from '../../core/dataset/runGeneration';
import { DatasetError, type ImageSource } from '../../core/dataset/imageSource';
import type { Manifest } from '../../core/dataset/manifest';
import { DEFAULT_FIT } from '../../core/inr/backend';
import { DEFAULT_SIREN, sirenWidths } from '../../core/inr/spec';
import { writeFileAtomic } from '../../core/io/atomicWrite';
import {
  accuracyCaveat,
  demoReportHtml,
  formatMeanStd,
  formatPercent,
  type FigureRow,
  type ReportRun,
  type ReportStage,
  type SeedRun,
} from '../../core/report/demoReport';
import { firstOfEachClass, reconstructionGrid } from '../../core/report/reconstructionGrid';
import { MODEL_DEFAULTS } from '../../core/models/modelConfig';
import { readExperimentConfig, type AugmentEntry } from '../../core/train/experimentConfig';
import { DEFAULT_OPTIMIZER } from '../../core/train/trainDefaults';
import { readMetrics, RUN_FILES, RunFolderError } from '../../core/train/runFolder';
import { train, TrainCancelled } from '../../core/train/trainer';
import { formatCount, formatCountOf } from '../../protocol/display';
import { plannedRuns } from './train';
import { UsageError, type CommandIO } from '../command';
import type { CliOptions } from '../optionHelp';
import { generateProgressRenderer } from '../generateProgress';
import { integerOption } from '../options';
import { formatDuration, ProgressReporter, type ProgressMode } from '../progress';
import { renderTable } from '../table';
import { trainProgressRenderer } from '../trainProgress';
import { cancelOnSignal } from '../cancelOnSignal';

export const demoUsage =
  'wslab demo [--out demo] [--inrs 3000] [--steps 200] [--epochs 20] [--seeds 3] [--workers W] [--resume] [--progress bar|none]\n' +
  '               the end-to-end demo (npm start): MNIST INRs, augmentation previews, training without and with augmentation, OUT/report.html';

/**
 * The classifier the two main runs train, and how: the default DWSNet (16 channels × 3 layers, BatchNorm, max
 * pooling; trained on the fused kernels) with the trainer's default optimizer. The first run is the field's
 * sanity baseline, StatNN (statistics of each weight tensor; its defaults), with the same optimizer: the
 * DWSNet should beat it.
 */
const MODEL = MODEL_DEFAULTS.dwsnet;
const SANITY_MODEL = { kind: 'statnn' } as const;
const OPTIMIZER = {
  lr: DEFAULT_OPTIMIZER.lr,
  weightDecay: DEFAULT_OPTIMIZER.weightDecay,
  warmupSteps: DEFAULT_OPTIMIZER.warmupSteps,
  batchSize: DEFAULT_OPTIMIZER.batchSize,
} as const;
/**
 * The augmented run's pipeline, each step applied with probability p, in order: input-space warps and a
 * SIREN symmetry, all exact. Plain `mixup` is left out on purpose — averaging two unaligned SIRENs makes a
 * noise function (measured: max error ≈ 1 in the preview, and lower test accuracy in this budget) — and
 * `mixup-aligned` costs several times the training time.
 */
const AUGMENT: readonly AugmentEntry[] = [
  { name: 'translate', p: 0.5, params: {} },
  { name: 'rotate', p: 0.5, params: {} },
  { name: 'siren-negation', p: 0.5, params: {} },
];
const RUNS = [
  { name: 'statnn', model: SANITY_MODEL, title: 'StatNN, the sanity baseline,', label: 'the sanity baseline', augment: [] as readonly AugmentEntry[] },
  {
    name: 'baseline',
    model: MODEL,
    title: `${MODEL.kind} (hidden ${MODEL.hidden}, ${MODEL.layers} equivariant layers)`,
    label: 'without augmentation',
    augment: [] as readonly AugmentEntry[],
  },
  {
    name: 'augmented',
    model: MODEL,
    title: `${MODEL.kind} (hidden ${MODEL.hidden}, ${MODEL.layers} equivariant layers)`,
    label: 'with augmentation',
    augment: AUGMENT,
  },
] as const;
const STAGES = 2 + RUNS.length;
const SHARD_SIZE = 100;
const PREVIEW_COPIES = 5;
const PREVIEW_SIZE = 84;

export const DEMO_OPTIONS = {
  out: { type: 'string', default: 'demo', value: 'DIR', help: 'The demo folder: dataset, previews, runs, report.html.' },
  inrs: { type: 'string', default: '3000', value: 'N', help: 'MNIST INRs to fit (at least 20).' },
  steps: { type: 'string', default: '200', value: 'N', help: 'Adam steps per INR at most.' },
  epochs: { type: 'string', default: '20', value: 'N', help: 'Training epochs of each run.' },
  seeds: { type: 'string', default: '3', value: 'N', help: 'Train every configuration with seeds 0…N−1 (the report shows mean ± std over them).' },
  workers: { type: 'string', value: 'W', help: 'Worker threads for fitting.', defaultText: 'one per core' },
  resume: { type: 'boolean', default: false, help: 'Keep what a previous demo in DIR finished and do the rest.' },
  progress: { type: 'string', default: 'bar', value: 'bar|none', help: 'Progress bars on stderr, or nothing.' },
} satisfies CliOptions;

export interface DemoSettings {
  readonly out: string;
  readonly inrs: number;
  readonly steps: number;
  readonly epochs: number;
  /** Seeds 0…seeds−1 of every configuration. */
  readonly seeds: number;
  readonly workers: number | undefined;
  readonly resume: boolean;
  readonly progress: Exclude<ProgressMode, 'json'>;
}

export function demoSettings(args: readonly string[]): DemoSettings {
  const { values } = parseArgs({ args: [...args], options: DEMO_OPTIONS });
  const progress = values.progress as DemoSettings['progress'];
  if (progress !== 'bar' && progress !== 'none') throw new UsageError('--progress must be bar or none');
  const inrs = integerOption('inrs', values.inrs!, 20);
  return {
    out: values.out!,
    inrs,
    steps: integerOption('steps', values.steps!, 1),
    epochs: integerOption('epochs', values.epochs!, 1),
    seeds: integerOption('seeds', values.seeds!, 1),
    workers: values.workers === undefined ? undefined : integerOption('workers', values.workers, 1),
    resume: values.resume!,
    progress,
  };
}

/** "none", "translate, rotate (each p 0.5)" or "translate (p 0.5), rotate (p 1)". */
export function describeAugment(entries: readonly AugmentEntry[]): string {
  if (entries.length === 0) return 'none';
  if (entries.every((a) => a.p === entries[0]!.p)) return `${entries.map((a) => a.name).join(', ')} (${entries.length > 1 ? 'each ' : ''}p ${entries[0]!.p})`;
  return entries.map((a) => `${a.name} (p ${a.p})`).join(', ');
}
const q = (path: string) => (/^[\w./-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`);

/** The experiment config of one demo run, as written to OUT/configs (dataset relative to it). */
function runConfig(run: (typeof RUNS)[number], epochs: number): object {
  return {
    name: run.name,
    description: `wslab demo: ${run.model.kind} on MNIST INRs, ${run.label}`,
    dataset: '../datasets/mnist',
    model: run.model,
    optimizer: { ...OPTIMIZER, epochs },
    augment: run.augment,
    seed: 0,
  };
}

/** Removes an earlier demo run folder; refuses a folder that is not a run (never deletes anything else). */
async function clearRun(dir: string): Promise<void> {
  const exists = await stat(dir).then(
    () => true,
    () => false,
  );
  if (!exists) return;
  const isRun = await stat(join(dir, RUN_FILES.config)).then(
    (s) => s.isFile(),
    () => false,
  );
  if (!isRun) throw new RunFolderError(`${dir} exists but is not a run folder; move it away or choose another --out`);
  await rm(dir, { recursive: true, force: true });
}

/** What every stage of one demo shares. */
interface Demo {
  readonly settings: DemoSettings;
  readonly io: CommandIO;
  /** Progress bars on stderr. */
  readonly bar: boolean;
  readonly out: string;
  readonly datasetDir: string;
  readonly signal: AbortSignal;
  /** Seeds 0 … settings.seeds − 1. */
  readonly seeds: readonly number[];
  /** The stages done so far, with their wall times, for the report. */
  readonly stages: ReportStage[];
}

/** A path as printed: relative to the working folder when inside it, else absolute; quoted for the shell. */
function shownPath(path: string): string {
  const r = relative(process.cwd(), path);
  return q(r === '' ? '.' : r.startsWith('..') ? path : r);
}

/** Runs a stage and records its wall time (and a note made from its result) in `demo.stages`. */
async function timed<T>(demo: Demo, name: string, work: () => Promise<T>, note?: (result: T) => string): Promise<T> {
  const started = performance.now();
  const result = await work();
  demo.stages.push({ name, seconds: (performance.now() - started) / 1000, ...(note ? { note: note(result) } : {}) });
  return result;
}

const lastStageTime = (demo: Demo) => formatDuration(demo.stages.at(-1)!.seconds);

/** The INRs' widths as the demo prints them: 2→32→32→1. */
const WIDTHS = sirenWidths(DEFAULT_SIREN).join('→');

/** Stage 1: fits (or reuses) the INR dataset; returns its manifest with its fit quality and split sizes. */
async function fitDataset(demo: Demo, source: ImageSource): Promise<{ manifest: Manifest } & ReturnType<typeof datasetFacts>> {
  const { settings, io } = demo;
  io.stdout(
    `\n[1/${STAGES}] Fitting ${formatCount(settings.inrs)} SIRENs ${WIDTHS} to MNIST digits, ${settings.steps} Adam steps each → ${shownPath(demo.datasetDir)}`,
  );
  let fitted = 0;
  const manifest = await timed(
    demo,
    'generate INRs',
    async (): Promise<Manifest> => {
      const progress = new ProgressReporter(settings.progress);
      const render = generateProgressRenderer(progress, demo.bar, io, source.name);
      const request = {
        ...GENERATION_DEFAULTS,
        dataset: 'mnist',
        out: demo.datasetDir,
        limit: settings.inrs,
        steps: settings.steps,
        targetPsnr: null,
        shardSize: SHARD_SIZE,
        workers: settings.workers ?? null,
      };
      try {
        return await runGeneration(request, {
          signal: demo.signal,
          onEvent: (e) => {
            if (e.type === 'done') fitted = e.fitted;
            render(e);
          },
        });
      } finally {
        progress.finish();
      }
    },
    () => (fitted === 0 ? 'reused the finished dataset' : `fitted ${formatCount(fitted)} INRs`),
  );
  const facts = datasetFacts(manifest);
  const { psnr, counts } = facts;
  io.stdout(
    `      ${formatCount(manifest.items.length)} INRs (train ${counts.train}, val ${counts.val}, test ${counts.test}), mean PSNR ${psnr.mean.toFixed(1)} dB (min ${psnr.min.toFixed(1)}) — ${lastStageTime(demo)}`,
  );
  return { manifest, ...facts };
}

/** The fit quality and split sizes of a dataset. */
function datasetFacts(manifest: Manifest) {
  const psnrs = manifest.items.map((i) => i.psnr);
  const counts = { train: 0, val: 0, test: 0 };
  for (const item of manifest.items) counts[item.split]++;
  return { psnr: { mean: psnrs.reduce((a, b) => a + b, 0) / psnrs.length, min: Math.min(...psnrs), max: Math.max(...psnrs) }, counts };
}

/** Stage 2: the reconstruction grid and one preview row per augmentation (and for the whole chain). */
async function renderFigures(demo: Demo, manifest: Manifest, source: ImageSource) {
  demo.io.stdout(`\n[2/${STAGES}] Rendering reconstructions and augmentation previews`);
  const figures = await timed(demo, 'render previews', async () => {
    const shownItems = firstOfEachClass(manifest.items, source.classes.length);
    const grid = await reconstructionGrid(demo.datasetDir, source, shownItems, 3);
    const reconstructions: FigureRow[] = [
      { label: 'MNIST image', detail: '28×28, shown 3×', png: grid.sources, alt: `source digits ${shownItems.map((i) => i.label).join(', ')}` },
      { label: 'its INR', detail: 'caption: PSNR (dB)', png: grid.inrs, alt: 'the INRs rendered on the same 28×28 grid' },
    ];
    const parent = manifest.items.find((i) => i.split === 'train') ?? manifest.items[0]!;
    const chains = [...AUGMENT.map((a) => a.name), AUGMENT.map((a) => a.name).join('+')];
    const augmentations: FigureRow[] = [];
    for (const chain of chains) {
      demo.signal.throwIfAborted();
      const steps = parseAugmentations(chain);
      const preview = await previewAugmentations({ input: `${demo.datasetDir}#${parent.id}`, steps, copies: PREVIEW_COPIES, seed: 0, size: PREVIEW_SIZE });
      const single = steps.length === 1 ? findAugmentation(chain) : undefined;
      augmentations.push({
        label: steps.length === 1 ? chain : `all ${steps.length}, in order`,
        detail: single ? single.law : `as one training example may get them (each with p = ${AUGMENT[0]!.p} in training)`,
        png: preview.png,
        alt: `INR ${parent.id} and ${PREVIEW_COPIES} copies under ${chain}`,
      });
    }
    return { reconstructions, augmentations, parent, digits: shownItems.length };
  });
  demo.io.stdout(
    `      ${figures.digits} reconstructions (one per class), ${figures.augmentations.length} augmentation rows of INR ${figures.parent.id} — ${lastStageTime(demo)}`,
  );
  return figures;
}

/** Stages 3–5: each configuration once per seed, into OUT/runs/NAME-seedS (its config in OUT/configs). */
async function trainConfiguration(demo: Demo, run: (typeof RUNS)[number], stageNumber: number): Promise<ReportRun> {
  const { settings, io, out, seeds } = demo;
  const configFile = join(out, 'configs', `${run.name}.wslab.json`);
  io.stdout(
    `\n[${stageNumber}/${STAGES}] Training ${run.title} for ${settings.epochs} epochs ${run.augment.length ? run.label : 'without augmentation'}` +
      `${run.augment.length ? `: ${describeAugment(run.augment)}` : ''}, seed${seeds.length > 1 ? 's' : ''} ${seeds.join(', ')} → ${shownPath(join(out, 'runs', `${run.name}-seed*`))}`,
  );
  await writeFileAtomic(configFile, new TextEncoder().encode(`${JSON.stringify(runConfig(run, settings.epochs), null, 2)}\n`));
  const planned = plannedRuns(await readExperimentConfig(configFile), join(out, 'runs'), seeds);
  const trained = await timed(
    demo,
    `train ${run.name}`,
    async () => {
      const done: SeedRun[] = [];
      for (const { config, dir } of planned) {
        if (!settings.resume) await clearRun(dir);
        const progress = new ProgressReporter(settings.progress);
        let summary;
        try {
          summary = await train({ config, dir, resume: settings.resume, signal: demo.signal, onEvent: trainProgressRenderer(progress, demo.bar, io) });
        } finally {
          progress.finish();
        }
        io.stdout(
          `      seed ${config.seed}: best val ${formatPercent(summary.bestValAccuracy)} at epoch ${summary.bestEpoch ?? '–'}, test at best val ${formatPercent(summary.testAccuracyAtBest)} — ${formatDuration(summary.durationSec)}`,
        );
        done.push({ seed: config.seed, dir: relative(out, dir), summary, metrics: await readMetrics(dir) });
      }
      return done;
    },
    // The stage's wall time also loads the dataset and starts the backend: say what the runs' own time is.
    (runs) =>
      `${formatCountOf(runs.length, 'run')}: training itself ${formatDuration(runs.reduce((t, r) => t + r.summary.durationSec, 0))} of it (the table shows the mean per run); the rest loads the dataset and starts the backend`,
  );
  return { label: run.name, augmentation: describeAugment(run.augment), seeds: trained };
}

/**
 * The report's Reproduce block: each step on its own, as pasted into a shell in this folder right after
 * the demo (npx finds this package's wslab; the dataset step finds its work done; the runs are trained
 * again beside the demo's, under OUT/reproduced).
 */
function reproduceCommands(demo: Demo, args: readonly string[], parentId: string): string[] {
  const { settings, out, datasetDir, seeds } = demo;
  const reproduced = join(out, 'reproduced');
  return [
    `# all of it: npm start (= node dist/cli.js demo${args.length ? ` ${args.map(q).join(' ')}` : ''})`,
    `npx wslab generate --dataset mnist --out ${shownPath(datasetDir)} --limit ${settings.inrs} --steps ${settings.steps} --target-psnr none --shard-size ${SHARD_SIZE}`,
    `npx wslab render ${shownPath(datasetDir)}#${parentId} --out ${shownPath(join(reproduced, 'inr.png'))} --size ${PREVIEW_SIZE}`,
    `npx wslab preview --in ${shownPath(datasetDir)}#${parentId} --aug ${AUGMENT.map((a) => a.name).join('+')} --copies ${PREVIEW_COPIES} --size ${PREVIEW_SIZE} --out ${shownPath(join(reproduced, 'preview.png'))}`,
    ...RUNS.map(
      (r) =>
        `npx wslab train --config ${shownPath(join(out, 'configs', `${r.name}.wslab.json`))} --seeds ${seeds.join(',')} --runs ${shownPath(join(reproduced, 'runs'))}`,
    ),
    `npx wslab eval ${shownPath(join(reproduced, 'runs', 'baseline-seed0'))}`,
  ];
}

/** How to see the same in VS Code, one sentence per line. */
function vscodeHints(demo: Demo, manifest: Manifest, reportPath: string): string[] {
  return [
    `Open the demo folder in VS Code with the Weight Space Lab extension installed (npm run package, then "Extensions: Install from VSIX…"): code ${shownPath(demo.out)}`,
    `Its Experiments view lists the dataset, the configs and the runs (Compare Runs… puts the runs side by side; Train Experiment retrains a config), and every weight file opens in the inspector — a dataset shard such as ${shownPath(join(demo.datasetDir, 'shards', '00000.safetensors'))} (${Math.min(SHARD_SIZE, manifest.items.length)} INRs) or a trained classifier such as ${shownPath(join(demo.out, 'runs', 'augmented-seed0', RUN_FILES.best))}.`,
    `This report opens in VS Code with the Live Preview extension (right-click ${shownPath(reportPath)} → "Show Preview"), or in any browser.`,
  ];
}

/** The results as printed at the end: one row per configuration, mean ± std over seeds and each seed's. */
function resultsTable(demo: Demo, runs: readonly ReportRun[]): string {
  const spread = demo.seeds.length > 1 ? ' (mean ± std)' : '';
  return renderTable(
    [
      { title: 'run' },
      { title: 'augmentation' },
      { title: `test at best val${spread}`, align: 'right' },
      { title: 'per seed', align: 'right' },
      { title: 'best val', align: 'right' },
    ],
    runs.map((r) => [
      r.label,
      r.augmentation,
      formatMeanStd(r.seeds.map((x) => x.summary.testAccuracyAtBest ?? Number.NaN).filter(Number.isFinite)),
      r.seeds.map((x) => formatPercent(x.summary.testAccuracyAtBest)).join(', '),
      formatMeanStd(r.seeds.map((x) => x.summary.bestValAccuracy ?? Number.NaN).filter(Number.isFinite)),
    ]),
  );
}

export async function demoCommand(args: readonly string[], io: CommandIO): Promise<number> {
  const settings = demoSettings(args);
  const out = resolve(settings.out);
  const cancellation = cancelOnSignal();
  const demo: Demo = {
    settings,
    io,
    bar: settings.progress === 'bar',
    out,
    datasetDir: join(out, 'datasets', 'mnist'),
    signal: cancellation.controller.signal,
    seeds: Array.from({ length: settings.seeds }, (_, k) => k),
    stages: [],
  };
  io.stdout(
    `wslab demo → ${shownPath(out)}/: ${formatCount(settings.inrs)} MNIST INRs, augmentation previews, a sanity baseline and ${MODEL.kind} trained without and with augmentation, report`,
  );
  let stage = 'generation';
  try {
    const source = await loadBundledDataset('mnist');
    const { manifest, psnr, counts } = await fitDataset(demo, source);
    stage = 'previews';
    const figures = await renderFigures(demo, manifest, source);
    stage = 'training';
    const runs: ReportRun[] = [];
    for (const [k, run] of RUNS.entries()) runs.push(await trainConfiguration(demo, run, 3 + k));

    stage = 'report';
    const reportPath = join(out, 'report.html');
    const vscode = vscodeHints(demo, manifest, reportPath);
    const html = demoReportHtml({
      title: 'Weight Space Lab — demo report',
      createdAt: new Date().toISOString().replace('T', ' ').slice(0, 19) + ' UTC',
      machine: `${cpus().length} CPU cores, Node ${process.version}, ${process.platform}`,
      dataset: [
        ['images', `MNIST (bundled), ${formatCount(manifest.items.length)} images, one INR each`],
        ['INR', `SIREN ${WIDTHS}, w0 = ${DEFAULT_SIREN.w0}, ${settings.steps} full-batch Adam steps (lr ${DEFAULT_FIT.lr})`],
        ['fit quality', `PSNR mean ${psnr.mean.toFixed(2)} dB, min ${psnr.min.toFixed(2)}, max ${psnr.max.toFixed(2)}`],
        ['splits', `train ${counts.train}, validation ${counts.val}, test ${counts.test} (by image)`],
        ['folder', shownPath(demo.datasetDir)],
      ],
      reconstructions: figures.reconstructions,
      reconstructionsCaption:
        'The first INR of each class: the source image, and the INR evaluated on the same 28×28 grid it was fitted to (both enlarged 3× by nearest neighbour), captioned with its PSNR.',
      augmentations: figures.augmentations,
      augmentationsCaption:
        `INR ${figures.parent.id} (left, rendered at ${PREVIEW_SIZE}×${PREVIEW_SIZE}) and ${PREVIEW_COPIES} augmented copies per row, each made in weight space and then rendered. ` +
        'Under each copy: max|g(x) − f(Ax + t)|, how far the new network is from the original function moved by the drawn warp: about 0 (float rounding), as these augmentations are exact.',
      training:
        `baseline and augmented: ${MODEL.kind} (hidden ${MODEL.hidden}, ${MODEL.layers} equivariant layers with BatchNorm and ReLU, max pooling, head ${MODEL.headHidden}) — the only difference between them is the augmentation. ` +
        `statnn: StatNN, 7 statistics of each weight and bias tensor into an MLP, the field's sanity baseline (a classifier on weights should beat it). ` +
        `All three: AdamW lr ${OPTIMIZER.lr}, weight decay ${OPTIMIZER.weightDecay}, warm-up ${OPTIMIZER.warmupSteps} steps, batch ${OPTIMIZER.batchSize}, ${settings.epochs} epochs, ` +
        `${demo.seeds.length > 1 ? `seeds ${demo.seeds.join(', ')} (each seed its own run)` : 'seed 0'}.`,
      classes: source.classes.length,
      runs,
      stages: demo.stages,
      commands: reproduceCommands(demo, args, figures.parent.id),
      vscode,
    });
    await writeFileAtomic(reportPath, new TextEncoder().encode(html));

    io.stdout(`\nResults (${formatDuration(demo.stages.reduce((s, x) => s + x.seconds, 0))} in all):`);
    io.stdout(resultsTable(demo, runs));
    io.stdout(accuracyCaveat(runs, source.classes.length));
    io.stdout(`\nReport: ${shownPath(reportPath)}  (${pathToFileURL(reportPath).href})`);
    io.stdout(`In VS Code: ${vscode.join('\n            ')}`);
    return 0;
  } catch (e) {
    if (demo.signal.aborted || e instanceof TrainCancelled || (e as Error).name === 'AbortError') {
      const resumeHint =
        stage === 'generation'
          ? 'the finished dataset shards are kept: run npm start (or wslab demo) again to resume'
          : `the dataset is complete and kept; run the demo again to retrain, or ${settings.out === 'demo' ? 'npm start -- --resume (wslab demo --resume)' : `wslab demo --resume --out ${q(settings.out)}`} to continue the runs from their last finished epoch`;
      io.stderr(`wslab: demo cancelled during ${stage}; ${resumeHint}`);
      return 130;
    }
    if (e instanceof DatasetError && /other settings/.test(e.message)) {
      throw new DatasetError(
        `${e.message} (the demo keeps its dataset in ${shownPath(demo.datasetDir)}; run the demo with its earlier --inrs/--steps, or delete that folder)`,
      );
    }
    throw e;
  } finally {
    cancellation.dispose();
  }
}
