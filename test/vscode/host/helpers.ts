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

/** What the extension's activate() returns (src/extension/extension.ts WeightSpaceLabApi), as the suite uses it. */
export interface LabApi {
  readonly experimentTree: {
    getChildren(node?: TreeNode): Promise<TreeNode[]>;
    getTreeItem(node: TreeNode): vscode.TreeItem;
    refreshNow(): Promise<TreeNode[]>;
    allNodes(): TreeNode[];
  };
  readonly tasks: { list(): TaskInfo[]; active(): TaskInfo[]; get(id: number): TaskInfo | undefined; whenSettled(id: number): Promise<TaskInfo> };
  readonly status: { readonly text: string };
  readonly activation: {
    readonly loadMs: number;
    readonly activateMs: number;
    readonly totalMs: number;
    readonly cpuMs: number;
    readonly steps: Record<string, number>;
  };
}

export interface TreeNode {
  readonly id: string;
  readonly kind: string;
  readonly label: string;
  readonly description?: string;
  readonly contextValue: string;
  readonly path?: string;
  readonly children?: readonly TreeNode[];
}

export interface TaskInfo {
  readonly id: number;
  readonly title: string;
  readonly state: string;
  readonly job: { readonly kind: string };
  readonly detail?: string;
  readonly backend?: string;
  readonly pid?: number;
  readonly crashed: boolean;
  readonly progress?: { readonly done: number; readonly total: number };
  readonly result?: Record<string, unknown> & { kind: string };
  readonly error?: { readonly message: string };
}

export async function labApi(): Promise<LabApi> {
  const ext = extension();
  await ext.activate();
  return ext.exports as LabApi;
}

/** Runs a command that starts a task and waits for the task to end; fails with what the command returned otherwise. */
export async function runTask(command: string, ...args: unknown[]): Promise<TaskInfo> {
  const api = await labApi();
  const started = await vscode.commands.executeCommand<unknown>(command, ...args);
  assert.ok(started && typeof (started as TaskInfo).id === 'number', `${command} started no task: ${JSON.stringify(started)}`);
  return api.tasks.whenSettled((started as TaskInfo).id);
}

/** The tree node with this id after a fresh scan. */
export async function treeNode(id: string): Promise<TreeNode> {
  const api = await labApi();
  await api.experimentTree.refreshNow();
  const node = api.experimentTree.allNodes().find((n) => n.id === id);
  assert.ok(
    node,
    `the Experiments tree has no ${id}; it has: ${api.experimentTree
      .allNodes()
      .map((n) => n.id)
      .join(', ')}`,
  );
  return node;
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
  return Object.entries(manifest().contributes.views ?? {}).flatMap(([container, views]) => views.map((v) => ({ id: v.id, name: v.name, container })));
}

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test window has no workspace folder');
  return folder.uri;
}

export function workspaceFile(name: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), name);
}

/** Asks the driver (scripts/vscode/test.mjs) for a screenshot of this window: test-results/NAME.png. */
export async function screenshot(name: string): Promise<void> {
  console.log(`wslab-screenshot:${name}`);
  await new Promise((resolve) => setTimeout(resolve, 1500));
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
