/**
 * Extension entry point: a thin layer that registers commands and editors and does nothing else at
 * activation. The work happens in the handlers (core reads files; webviews render).
 */
import * as vscode from 'vscode';
import { WEIGHT_FILE_EXTENSIONS } from '../core/formats/registry';
import { INSPECTOR_VIEW_TYPE, InspectorEditorProvider } from './inspectorEditor';

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    InspectorEditorProvider.register(context.extensionUri),
    vscode.commands.registerCommand('weightSpaceLab.inspectWeightFile', inspectWeightFileCommand),
  );
}

/** Nothing to do: everything registered is disposed through context.subscriptions. */
export function deactivate(): void {}

/** Opens the inspector on the file clicked in the explorer, or on one the user picks. */
async function inspectWeightFileCommand(resource?: unknown): Promise<void> {
  const uri = resource instanceof vscode.Uri ? resource : await pickWeightFile();
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
