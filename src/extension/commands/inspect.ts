/**
 * "Weight Space Lab: Inspect Weight File…": the inspector on the file clicked in the explorer (a Uri), on a
 * file path (a run view's "Open checkpoint"), or on one the user picks.
 */
import * as vscode from 'vscode';
import { WEIGHT_FILE_EXTENSIONS } from '../../core/formats/registry';
import { INSPECTOR_VIEW_TYPE } from '../panels/inspector/panel';
import type { Lab } from '../lab';

export async function inspectWeightFileCommand(_lab: Lab, resource?: unknown): Promise<void> {
  const uri = resource instanceof vscode.Uri ? resource : typeof resource === 'string' ? vscode.Uri.file(resource) : await pickWeightFile();
  if (uri) await vscode.commands.executeCommand('vscode.openWith', uri, INSPECTOR_VIEW_TYPE);
}

async function pickWeightFile(): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    openLabel: 'Inspect',
    title: 'Inspect Weight File',
    filters: { 'Weight files': WEIGHT_FILE_EXTENSIONS.map((ext) => ext.slice(1)), 'All files': ['*'] },
  });
  return picked?.[0];
}
