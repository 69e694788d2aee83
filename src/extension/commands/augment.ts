/**
 * "Weight Space Lab: Augment Dataset…": picks a finished dataset, one or more augmentations (applied in
 * order) and the number of copies, then a background task writes the augmented dataset next to it as
 * <dataset>-aug-<chain>.
 */
import { basename, dirname, join } from 'node:path';
import { scanExperiments } from '../../core/workspace/experimentScan';
import type { AugmentJob } from '../../protocol/worker';
import type { Lab } from '../lab';
import { NothingYet } from '../userError';
import type { TaskInfo } from '../tasks/taskManager';
import { refuseWhenUntrusted, type Refusal } from '../trust';
import { exists, inWorkspace, optionsOf, pathOfArgument, pick, pickMany } from './common';
import { chainSlug, uniqueName } from './naming';

export interface AugmentArgs {
  readonly input: string;
  readonly aug: string;
  readonly copies?: number;
  readonly seed?: number;
  readonly out?: string;
}

/** A finished dataset: the one given (tree item, path) or one picked. */
export async function chooseDataset(lab: Lab, arg: unknown, title: string): Promise<string | undefined> {
  const root = lab.requireRoot();
  const given = pathOfArgument(arg);
  if (given) return inWorkspace(root, given, 'the dataset to augment');
  const { datasetsFolder, runsFolder } = lab.settings();
  const scan = await scanExperiments(root, { datasetsFolder, runsFolder });
  const finished = scan.datasets.filter((d) => d.state === 'complete');
  if (finished.length === 0)
    throw new NothingYet('No finished INR dataset in this workspace yet: generate one first.', {
      label: 'Generate INR Dataset…',
      command: 'weightSpaceLab.generateDataset',
    });
  return pick(
    title,
    'Which INR dataset?',
    finished.map((d) => ({
      label: d.name,
      description: `${d.items ?? '?'} INRs${d.psnr ? ` · PSNR ${d.psnr.mean.toFixed(1)} dB` : ''}${d.augmentation ? ` · ${d.augmentation}` : ''}`,
      value: d.dir,
    })),
  );
}

/** The augmentations of the registry as a multi-pick; the chain applies them in the order picked. */
export async function chooseChain(title: string, exclude: readonly string[] = []): Promise<string | undefined> {
  const { AUGMENTATIONS } = await import('../../core/augment/registry.js');
  const chosen = await pickMany(
    title,
    'Augmentations to apply, in list order (the exact symmetries keep the function; the others approximate it)',
    AUGMENTATIONS.filter((a) => !exclude.includes(a.name)).map((a) => ({
      label: a.name,
      description: a.kind,
      detail: a.description,
      value: a.name,
      picked: a.name === 'translate',
    })),
  );
  return chosen && chosen.length ? chosen.join('+') : undefined;
}

export async function augmentDatasetCommand(lab: Lab, arg?: unknown): Promise<TaskInfo | Refusal | undefined> {
  const refusal = refuseWhenUntrusted('Augmenting a dataset');
  if (refusal) return refusal;
  const root = lab.requireRoot();
  const given = optionsOf<AugmentArgs>(arg, 'input');
  const input = given?.input ? await inWorkspace(root, given.input, 'the dataset to augment') : await chooseDataset(lab, arg, 'Augment Dataset (1/3)');
  if (!input) return undefined;
  const aug = given?.aug ?? (await chooseChain('Augment Dataset (2/3)', ['label-smoothing']));
  if (!aug) return undefined;
  const copies =
    given?.copies ??
    (given
      ? 1
      : await pick('Augment Dataset (3/3)', 'Augmented copies per INR', [
          { label: '1 copy', value: 1 },
          { label: '2 copies', value: 2 },
          { label: '4 copies', value: 4 },
        ]));
  if (!copies) return undefined;
  const out = given?.out
    ? await inWorkspace(root, given.out, 'the output folder')
    : join(
        dirname(input),
        uniqueName(`${basename(input)}-aug-${chainSlug(aug)}`, (n) => exists(join(dirname(input), n))),
      );
  const job: AugmentJob = { kind: 'augment', input, out, aug, copies, seed: given?.seed ?? 0 };
  return lab.startTask({ title: `Augment ${basename(input)} → ${basename(out)}`, job, target: out });
}
