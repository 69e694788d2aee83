/**
 * Helpers for the extension-host suite (test/vscode/host/*.host.ts). They run inside the real VS Code
 * extension host, with the workspace that scripts/vscode/test.mjs lays out (see WORKSPACE_FILES in scripts/vscode/lib.mjs).
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'weight-space-lab.weight-space-lab';
export const INSPECTOR_VIEW_TYPE = 'weightSpaceLab.inspector';

/** The parts of package.json the suite reads. */
export interface Manifest {
  readonly contributes: {
    readonly commands?: readonly { command: string; title: string; category?: string }[];
    readonly customEditors?: readonly { viewType: string; selector: readonly { filenamePattern: string }[] }[];
    readonly menus?: Readonly<Record<string, readonly { command?: string; submenu?: string }[]>>;
    readonly viewsContainers?: Readonly<Record<string, readonly { id: string; title: string }[]>>;
    readonly views?: Readonly<Record<string, readonly { id: string; name: string; type?: string }[]>>;
  };
}

export function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded in this window`);
  return ext;
}

export function manifest(): Manifest {
  return extension().packageJSON as Manifest;
}

export function contributedCommands(): string[] {
  return (manifest().contributes.commands ?? []).map((c) => c.command);
}

export function contributedViews(): { id: string; name: string; container: string }[] {
  return Object.entries(manifest().contributes.views ?? {}).flatMap(([container, views]) =>
    views.map((v) => ({ id: v.id, name: v.name, container })),
  );
}

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test window has no workspace folder');
  return folder.uri;
}

export function workspaceFile(name: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), name);
}

/** Polls `probe` until it returns something truthy; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | null | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The active tab when it is a custom editor: its view type and resource. */
export function activeCustomEditor(): { viewType: string; uri: vscode.Uri } | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputCustom ? { viewType: input.viewType, uri: input.uri } : undefined;
}

/** Waits until the active tab is the inspector on `uri`. */
export async function expectInspectorOn(uri: vscode.Uri): Promise<void> {
  await waitFor(`the inspector to be the active editor on ${uri.fsPath} (active: ${describeActiveTab()})`, () => {
    const editor = activeCustomEditor();
    return editor?.viewType === INSPECTOR_VIEW_TYPE && editor.uri.toString() === uri.toString();
  });
}

export function describeActiveTab(): string {
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
  if (!tab) return 'none';
  const input = tab.input as { viewType?: string; uri?: vscode.Uri } | undefined;
  return `${tab.label} (${input?.constructor?.name ?? 'unknown input'}${input?.viewType ? ` ${input.viewType}` : ''})`;
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await waitFor('all editors to close', () => vscode.window.tabGroups.all.every((g) => g.tabs.length === 0));
}
