/**
 * Commands on the Experiments tree's items: open a dataset sample in the inspector, reveal in the
 * explorer, delete (after a modal confirmation; never while a task writes there), refresh.
 */
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import { findDatasetSample, writeDatasetSample } from '../../core/workspace/datasetSample';
import { INSPECTOR_VIEW_TYPE } from '../panels/inspector/panel';
import type { Lab } from '../lab';
import { UserError } from '../userError';
import type { ExperimentNode } from '../tree/experimentModel';
import { pathOfArgument } from './common';
import { refuseWhenUntrusted, type Refusal } from '../trust';
import { chooseDataset } from './augment';

/** Extracts one INR of a dataset to the extension's storage and opens it in the inspector. */
export async function openDatasetSampleCommand(lab: Lab, arg?: unknown, options?: { id?: string }): Promise<{ file: string; id: string } | undefined> {
  const dataset = await chooseDataset(lab, arg, 'Open Dataset Sample');
  if (!dataset) return undefined;
  const sample = await findDatasetSample(dataset, options?.id);
  const file = join(lab.context.globalStorageUri.fsPath, 'samples', `${basename(dataset)}-${sample.id}.safetensors`);
  await writeDatasetSample(dataset, sample, file);
  await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(file), INSPECTOR_VIEW_TYPE);
  return { file, id: sample.id };
}

export async function revealInExplorerCommand(_lab: Lab, arg?: unknown): Promise<void> {
  const path = pathOfArgument(arg);
  if (!path) throw new UserError('Reveal in Explorer: choose an item of the Experiments view.');
  await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(path));
}

export async function deleteItemCommand(lab: Lab, arg?: unknown, options?: { confirmed?: boolean }): Promise<{ deleted: string } | Refusal | undefined> {
  const refusal = refuseWhenUntrusted('Deleting');
  if (refusal) return refusal;
  const node = arg as Partial<ExperimentNode> | undefined;
  const path = pathOfArgument(arg);
  if (!path) throw new UserError('Delete: choose a config, dataset or run in the Experiments view.');
  const busy = lab.hasTasks && lab.tasks.active().some((t) => t.target === path);
  if (busy) throw new UserError(`${basename(path)} is in use by a running task: cancel it first.`);
  const what = node?.kind === 'dataset' ? 'dataset folder' : node?.kind === 'run' ? 'run folder' : node?.kind === 'config' ? 'config file' : 'item';
  if (options?.confirmed !== true) {
    const answer = await vscode.window.showWarningMessage(
      `Delete the ${what} ${basename(path)}?`,
      { modal: true, detail: `${path}\n\nIt is moved to the trash where the system has one.` },
      'Delete',
    );
    if (answer !== 'Delete') return undefined;
  }
  const uri = vscode.Uri.file(path);
  try {
    await vscode.workspace.fs.delete(uri, { recursive: true, useTrash: true });
  } catch {
    await vscode.workspace.fs.delete(uri, { recursive: true, useTrash: false });
  }
  await lab.tree.refreshNow();
  return { deleted: path };
}

export async function refreshExperimentsCommand(lab: Lab): Promise<void> {
  await lab.tree.refreshNow();
}
