/**
 * "Weight Space Lab: Generate INR Dataset…": quick picks for the data (bundled MNIST or Fashion-MNIST, the
 * built-in 3-D shapes, or a folder of images or meshes), how many, views per image and fitting steps — the first choice of each is a sensible
 * default — then a background task that fits the dataset into <datasets folder>/<name>.
 */
import { basename, join, resolve } from 'node:path';
import * as vscode from 'vscode';
import type { GenerateJob } from '../../protocol/worker';
import { formatCount } from '../../protocol/display';
import type { Lab } from '../lab';
import { fitBackendFor, type LabSettings } from '../settings';
import type { TaskInfo } from '../tasks/taskManager';
import { refuseWhenUntrusted, type Refusal } from '../trust';
import { exists, inWorkspace, optionsOf, pick, type Choice } from './common';
import { datasetFolderName, shardSizeFor, uniqueName } from './naming';
import { BUNDLED_DATASETS, isBundledDataset } from '../../core/dataset/bundledDatasets';
import { GENERATION_DEFAULTS, type GenerationRequest } from '../../core/dataset/generationRequest';
import { SHAPES3D_PER_CLASS } from '../../core/mesh/meshSource';
import { SHAPE_CLASSES } from '../../core/mesh/shapes3d';

/**
 * What a caller may pass instead of picking; missing fields take the defaults (limit 1,000; steps and
 * target PSNR from the settings). `out` is relative to the workspace (default: a fresh folder under the
 * datasets folder).
 */
export type GenerateArgs = Pick<GenerationRequest, 'dataset'> &
  Partial<Pick<GenerationRequest, 'limit' | 'views' | 'steps' | 'targetPsnr' | 'seed' | 'shardSize' | 'out'>>;

const TITLE = 'Generate INR Dataset';

async function pickGeneration(settings: LabSettings): Promise<GenerateArgs | undefined> {
  const source = await pick<string>(`${TITLE} (1/4)`, 'Which images or meshes? One SIREN is fitted to each.', [
    ...Object.entries(BUNDLED_DATASETS).map(([name, d]) => ({
      label: d.title,
      description: `bundled: ${formatCount(d.images)} ${d.what}, 28×28`,
      value: name,
    })),
    {
      label: '3-D shapes',
      description: `built in: ${formatCount(SHAPES3D_PER_CLASS * SHAPE_CLASSES.length)} meshes in ${SHAPE_CLASSES.length} classes, 3-D INRs of their signed distance`,
      value: 'shapes3d',
    },
    { label: 'Folder…', description: 'your own images or meshes: FOLDER/<class>/*.png|jpg or *.obj|stl|ply', value: '' },
  ]);
  if (source === undefined) return undefined;
  let dataset = source;
  if (source === '') {
    const folder = await vscode.window.showOpenDialog({
      canSelectFiles: false,
      canSelectFolders: true,
      canSelectMany: false,
      openLabel: 'Use this folder',
      title: 'Images or meshes: one subfolder per class',
    });
    if (!folder?.[0]) return undefined;
    dataset = folder[0].fsPath;
  }
  const available = isBundledDataset(dataset)
    ? BUNDLED_DATASETS[dataset].images
    : dataset === 'shapes3d'
      ? SHAPES3D_PER_CLASS * SHAPE_CLASSES.length
      : undefined;
  const what = dataset === 'shapes3d' ? 'meshes' : isBundledDataset(dataset) ? 'images' : 'images or meshes';
  const sizes: Choice<number | null>[] = [
    { label: `1,000 ${what}`, description: 'enough to train a classifier (about a minute on 2 cores)', value: 1000 },
    { label: `256 ${what}`, description: 'a quick look', value: 256 },
    { label: `2,000 ${what}`, value: 2000 },
    { label: available ? `All ${formatCount(available)} ${what}` : `All ${what}`, value: null },
  ];
  const limit = await pick(`${TITLE} (2/4)`, `How many ${what}?`, available ? sizes.filter((s) => s.value === null || s.value <= available) : sizes);
  if (limit === undefined) return undefined;
  const views = await pick(`${TITLE} (3/4)`, 'INRs per image (views: each from its own random initialisation)', [
    { label: '1 view', description: 'one INR per image', value: 1 },
    { label: '2 views', value: 2 },
    { label: '4 views', value: 4 },
  ]);
  if (views === undefined) return undefined;
  const psnr = settings.targetPsnr === null ? 'no early stop' : `stop at ${settings.targetPsnr} dB`;
  const stepChoices: Choice<number>[] = [
    { label: `${formatCount(settings.fittingSteps)} steps`, description: `settings default, ${psnr}`, value: settings.fittingSteps },
  ];
  for (const steps of [300, 2000])
    if (steps !== settings.fittingSteps)
      stepChoices.push({
        label: `${formatCount(steps)} steps`,
        description: steps < settings.fittingSteps ? 'faster, lower PSNR' : 'slower, higher PSNR',
        value: steps,
      });
  const steps = await pick(`${TITLE} (4/4)`, 'Fitting steps per INR (Adam)', stepChoices);
  if (steps === undefined) return undefined;
  return { dataset, limit, views, steps };
}

export async function generateDatasetCommand(lab: Lab, arg?: unknown): Promise<TaskInfo | Refusal | undefined> {
  const refusal = refuseWhenUntrusted('Generating an INR dataset');
  if (refusal) return refusal;
  const job = await chooseGeneration(lab, arg);
  if (!job) return undefined;
  return lab.startTask({ title: `Generate ${basename(job.out)}`, job, target: job.out });
}

/**
 * The generation a GenerateArgs object asks for, or the quick picks' choice (undefined when dismissed),
 * as a worker job into a fresh folder under the datasets folder. "Submit to Slurm…" asks the same way.
 */
export async function chooseGeneration(lab: Lab, arg?: unknown): Promise<GenerateJob | undefined> {
  const root = lab.requireRoot();
  const settings = lab.settings();
  const given = optionsOf<GenerateArgs>(arg, 'dataset');
  const choice = given?.dataset ? (given as GenerateArgs) : await pickGeneration(settings);
  if (!choice) return undefined;
  const limit = choice.limit === undefined ? 1000 : choice.limit;
  const views = choice.views ?? GENERATION_DEFAULTS.views;
  const steps = choice.steps ?? settings.fittingSteps;
  // Paths in a GenerateArgs object (from another extension, a link, a test) must stay in the workspace;
  // an image folder picked in the open dialog is the user's own choice.
  const fromArgs = (path: string, what: string) => (given ? inWorkspace(root, path, what) : Promise.resolve(resolve(root, path)));
  const bundled = isBundledDataset(choice.dataset) ? BUNDLED_DATASETS[choice.dataset] : undefined;
  const dataset = bundled ? choice.dataset : await fromArgs(choice.dataset, 'the image folder');
  const sourceName = bundled ? choice.dataset : basename(dataset);
  const datasetsDir = lab.inRoot(settings.datasetsFolder);
  const out = choice.out
    ? await fromArgs(choice.out, 'the output folder')
    : join(
        datasetsDir,
        uniqueName(datasetFolderName({ source: sourceName, limit, views, steps, defaultSteps: settings.fittingSteps }), (n) => exists(join(datasetsDir, n))),
      );
  const total = (limit ?? bundled?.images ?? 10_000) * views;
  return {
    kind: 'generate',
    ...GENERATION_DEFAULTS,
    dataset,
    out,
    limit,
    views,
    steps,
    targetPsnr: choice.targetPsnr === undefined ? settings.targetPsnr : choice.targetPsnr,
    seed: choice.seed ?? GENERATION_DEFAULTS.seed,
    shardSize: choice.shardSize ?? shardSizeFor(total),
    backend: fitBackendFor(settings.backend),
    workers: settings.workerThreads > 0 ? settings.workerThreads : null,
  };
}
