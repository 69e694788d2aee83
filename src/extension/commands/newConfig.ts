/**
 * "Weight Space Lab: New Experiment Config…": picks a dataset of the workspace and a model, writes a
 * starter config (every key explained in its "$comment", validated by the JSON schema as you edit) as
 * configs/<dataset>-<model>.wslab.json — the layout the tree and `wslab demo` use — and opens it.
 */
import { mkdir } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import * as vscode from 'vscode';
import { writeFileAtomic } from '../../core/io/atomicWrite';
import type { ModelKind } from '../../core/models/modelConfig';
import { scanExperiments } from '../../core/workspace/experimentScan';
import { starterConfig } from '../../core/workspace/starterConfig';
import type { Lab } from '../lab';
import { refuseWhenUntrusted, type Refusal } from '../trust';
import { exists, inWorkspace, optionsOf, pathOfArgument, pick } from './common';
import { slug, uniqueName } from './naming';

export interface NewConfigArgs {
  /** Dataset folder (absolute or workspace-relative). */
  readonly dataset: string;
  readonly model?: ModelKind;
  readonly epochs?: number;
  /** File name without .wslab.json (default: <dataset>-<model>). */
  readonly name?: string;
  /** Open the new file in an editor (default true). */
  readonly open?: boolean;
}

/** Where new configs go, in the workspace (as `wslab demo` lays out its configs). */
const CONFIGS_FOLDER = 'configs';

const MODELS: { label: string; description: string; value: ModelKind }[] = [
  { label: 'DWSNet', description: 'equivariant to hidden-neuron permutations (the paper’s model)', value: 'dwsnet' },
  { label: 'NFN-NP', description: 'neural functional, every neuron layer permutable', value: 'nfn-np' },
  { label: 'Neural-graph GNN', description: 'the network as a graph: neurons are nodes, weights are edges', value: 'gnn' },
  { label: 'StatNN', description: 'statistics of each weight tensor: the sanity baseline', value: 'statnn' },
  { label: 'MLP', description: 'flattened weights: the non-invariant baseline', value: 'mlp' },
];

export async function newExperimentConfigCommand(lab: Lab, arg?: unknown): Promise<{ file: string } | Refusal | undefined> {
  const refusal = refuseWhenUntrusted('Creating an experiment config');
  if (refusal) return refusal;
  const root = lab.requireRoot();
  const given = optionsOf<NewConfigArgs>(arg, 'dataset');
  const argument = given?.dataset ?? pathOfArgument(arg);
  let dataset = argument ? await inWorkspace(root, argument, 'the dataset') : undefined;
  if (!dataset) {
    const { datasetsFolder, runsFolder } = lab.settings();
    const scan = await scanExperiments(root, { datasetsFolder, runsFolder });
    const choices = scan.datasets
      .filter((d) => d.state === 'complete')
      .map((d) => ({ label: d.name, description: `${d.items ?? '?'} INRs${d.augmentation ? ` · ${d.augmentation}` : ''}`, value: d.dir }));
    const fallback = join(lab.inRoot(datasetsFolder), 'mnist-1000');
    dataset = await pick(
      'New Experiment Config (1/2)',
      choices.length ? 'Which INR dataset?' : 'No finished dataset yet: the config can point to one you generate next',
      [
        ...choices,
        ...(choices.length
          ? []
          : [{ label: `${relative(root, fallback)}`, description: 'the default of Generate INR Dataset… (generate it before training)', value: fallback }]),
      ],
    );
    if (!dataset) return undefined;
  }
  const model = given?.model ?? (given ? 'dwsnet' : await pick('New Experiment Config (2/2)', 'Which weight-space model?', MODELS));
  if (!model) return undefined;
  const base = given?.name ?? `${slug(basename(dataset))}-${model}`;
  const folder = join(root, CONFIGS_FOLDER);
  const name = uniqueName(base, (n) => exists(join(folder, `${n}.wslab.json`)));
  const file = join(folder, `${name}.wslab.json`);
  await mkdir(folder, { recursive: true });
  const datasetPath = relative(dirname(file), dataset).split('\\').join('/') || '.';
  await writeFileAtomic(file, new TextEncoder().encode(starterConfig({ dataset: datasetPath, model, epochs: given?.epochs })));
  void lab.tree.refresh();
  if (given?.open !== false) await vscode.window.showTextDocument(vscode.Uri.file(file));
  return { file };
}
