/**
 * "Weight Space Lab: Preview Augmentations…": picks a dataset (or takes the tree item clicked) and opens
 * its augmentation preview panel (panels/preview/panel.ts), where the INR, the augmentation, its
 * parameters, the seed and the MixUp partner are chosen. Called with arguments
 * ({ dataset, id?, aug?, copies?, seed?, size? }, as tests and the walkthrough do) the panel starts
 * from that selection; it returns the panel's handle, whose whenRendered() gives the first render.
 */
import { resolve } from 'node:path';
import type { Lab } from '../lab';
import { openPreviewPanel, type PreviewPanelHandle } from '../panels/preview/panel';
import { datasetInrs, selectionFromArgs, type StartArgs } from '../panels/preview/session';
import { UserError } from '../userError';
import { refuseWhenUntrusted, type Refusal } from '../trust';
import { chooseDataset } from './augment';
import { optionsOf } from './common';

/** id, aug, copies and seed choose the panel's starting selection (panels/preview/session.ts StartArgs). */
export interface PreviewArgs extends StartArgs {
  readonly dataset: string;
  /** Rendering size in pixels (default 84: 3× a 28-pixel MNIST image). */
  readonly size?: number;
}

const DEFAULT_SIZE = 84;

export async function previewAugmentationsCommand(lab: Lab, arg?: unknown): Promise<PreviewPanelHandle | Refusal | undefined> {
  const refusal = refuseWhenUntrusted('Previewing augmentations');
  if (refusal) return refusal;
  const root = lab.requireRoot();
  const given = optionsOf<PreviewArgs>(arg, 'dataset');
  const dataset = given?.dataset ? resolve(root, given.dataset) : await chooseDataset(lab, arg, 'Preview Augmentations');
  if (!dataset) return undefined;
  const inrs = await datasetInrs(dataset).catch((e: unknown) => {
    throw new UserError(`${dataset}: cannot read its manifest: ${e instanceof Error ? e.message : String(e)}`);
  });
  if (inrs.length === 0) throw new UserError(`${dataset}: no finished INR to preview yet`);
  const size = given?.size ?? DEFAULT_SIZE;
  if (!Number.isInteger(size) || size < 8 || size > 512) throw new UserError(`size must be an integer in [8, 512], got ${size}`);
  const { selection, note } = selectionFromArgs(inrs, given);
  return openPreviewPanel({ extensionUri: lab.context.extensionUri, source: dataset, inrs, selection, note, size, log: (line) => lab.log(line) });
}
