/**
 * "Weight Space Lab: Preview Augmentations…": picks a dataset, one of its INRs and an augmentation
 * chain; the worker renders the INR and four augmented copies (each captioned with its
 * function-preservation error) into a PNG in the extension's storage, which opens in an editor tab —
 * the interim view that issue 9 replaces with a panel (panels/interimPanels.ts).
 */
import { basename, join, resolve } from 'node:path';
import { sampleIds } from '../../core/workspace/datasetSample';
import type { PreviewJob } from '../../protocol/worker';
import type { Lab } from '../lab';
import { UserError } from '../userError';
import { showAugmentationPreview } from '../panels/interimPanels';
import type { TaskInfo } from '../tasks/taskManager';
import { refuseWhenUntrusted, type Refusal } from '../trust';
import { chooseChain, chooseDataset } from './augment';
import { optionsOf, pick } from './common';
import { chainSlug } from './naming';

export interface PreviewArgs {
  readonly dataset: string;
  /** INR id (default: the first of the dataset). */
  readonly id?: string;
  readonly aug?: string;
  readonly copies?: number;
  readonly seed?: number;
  readonly size?: number;
}

export async function previewAugmentationsCommand(lab: Lab, arg?: unknown): Promise<TaskInfo | Refusal | undefined> {
  const refusal = refuseWhenUntrusted('Previewing augmentations');
  if (refusal) return refusal;
  const root = lab.requireRoot();
  const given = optionsOf<PreviewArgs>(arg, 'dataset');
  const dataset = given?.dataset ? resolve(root, given.dataset) : await chooseDataset(lab, arg, 'Preview Augmentations (1/3)');
  if (!dataset) return undefined;
  const ids = await sampleIds(dataset);
  if (ids.length === 0) throw new UserError(`${dataset}: no finished shard to preview yet`);
  const id = given?.id ?? (given ? ids[0] : await pick('Preview Augmentations (2/3)', 'Which INR?', ids.map((i) => ({ label: i, value: i }))));
  if (!id) return undefined;
  const aug = given?.aug ?? (await chooseChain('Preview Augmentations (3/3)'));
  if (!aug) return undefined;
  const out = join(lab.context.globalStorageUri.fsPath, 'previews', `${basename(dataset)}-${id}-${chainSlug(aug)}.png`);
  const job: PreviewJob = { kind: 'preview', input: `${dataset}#${id}`, aug, out, copies: given?.copies ?? 4, seed: given?.seed ?? 0, size: given?.size ?? 112 };
  const task = lab.startTask({ title: `Preview ${aug} on ${basename(dataset)}#${id}`, job });
  void lab.tasks.whenSettled(task.id).then(async (end) => {
    if (end.state === 'done' && end.result?.kind === 'preview') {
      await showAugmentationPreview({ png: end.result.out, title: task.title, lines: end.result.lines });
    }
  });
  return task;
}
