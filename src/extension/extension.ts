/**
 * Extension entry point: a thin layer that registers the Experiments view, the commands, the inspector
 * editor and the status bar item, and does nothing else at activation (no file is read, no process is
 * started). The commands live in a second bundle loaded when the first one runs; all heavy work runs in worker
 * processes (src/worker) started by the task manager. activate() returns the extension's API: the tree
 * provider, the task manager and the measured activation time (tests read them).
 */
import { join } from 'node:path';
import * as vscode from 'vscode';
import { Lab } from './lab';
import { offerNextSteps } from './nextStep';
import { isNothingYet, isUserError } from './userError';
import type { LabStatusBar } from './statusBar';
import type { TaskManager } from './tasks/taskManager';
import { EXPERIMENTS_VIEW, type ExperimentTreeProvider } from './tree/experimentTreeProvider';
import { COMMAND_IDS, type CommandId } from './commandIds';

/** Set by the bundle's first line (scripts/build.mjs banner): when this file started to evaluate. */
declare const globalThis: { __wslabBundleStart?: number; __wslabBundleCpu?: NodeJS.CpuUsage };

export interface WeightSpaceLabApi {
  readonly experimentTree: ExperimentTreeProvider;
  /** Created on first use: workers are forked only when a task starts. */
  readonly tasks: TaskManager;
  readonly status: LabStatusBar;
  /**
   * The activation cost in milliseconds, as VS Code counts it (loading the code, then the activate call):
   * evaluating the bundle (its first line to its last), activate() itself, and their sum. The host may
   * wait between the two; that wait is not ours and not counted. `cpuMs`: the CPU time this process
   * used over the same two stretches — what activation costs when the machine is busy and the wall time
   * includes waiting for a core.
   */
  readonly activation: {
    readonly loadMs: number;
    readonly activateMs: number;
    readonly totalMs: number;
    readonly cpuMs: number;
    readonly steps: Readonly<Record<string, number>>;
  };
}

type CommandsModule = typeof import('./commands/index.js');

let commandsModule: CommandsModule | undefined;
/** The commands' bundle, dist/extension-commands.js, loaded on first use (see commands/index.ts). */
function commands(): CommandsModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a second bundle, loaded on first use
  commandsModule ??= require(join(__dirname, 'extension-commands.js')) as CommandsModule;
  return commandsModule;
}

export function activate(context: vscode.ExtensionContext): WeightSpaceLabApi {
  const activateStart = performance.now();
  const activateCpu = process.cpuUsage();
  const steps: Record<string, number> = {};
  let mark = activateStart;
  const step = (name: string) => {
    const now = performance.now();
    steps[name] = now - mark;
    mark = now;
  };
  const lab = new Lab(context);
  context.subscriptions.push(lab);
  // Slurm job statuses are read by core code in the commands' bundle, loaded when a job is first polled.
  lab.tree.connectSlurm((record, settings) => commands().slurmJobStatus(record, settings));
  step('services');
  context.subscriptions.push(registerInspector(context));
  step('inspector');
  for (const id of COMMAND_IDS) {
    context.subscriptions.push(vscode.commands.registerCommand(id, (...args: unknown[]) => runCommand(lab, id, args)));
  }
  step('commands');
  context.subscriptions.push(
    vscode.window.createTreeView(EXPERIMENTS_VIEW, { treeDataProvider: lab.tree, canSelectMany: true, showCollapseAll: true }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => lab.tree.refresh()),
    vscode.workspace.onDidChangeWorkspaceFolders(() => lab.tree.refresh()),
  );
  step('view');
  const activateMs = performance.now() - activateStart;
  const loadMs = bundleEvaluated - (globalThis.__wslabBundleStart ?? bundleEvaluated);
  const cpu = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;
  const cpuMs = cpu(process.cpuUsage(activateCpu)) + (globalThis.__wslabBundleCpu ? cpu(bundleEvaluatedCpu) - cpu(globalThis.__wslabBundleCpu) : 0);
  const activation = { loadMs, activateMs, totalMs: loadMs + activateMs, cpuMs, steps };
  return {
    experimentTree: lab.tree,
    get tasks() {
      return lab.tasks;
    },
    status: lab.status,
    activation,
  };
}

/** Nothing to do: everything registered is disposed through context.subscriptions. */
export function deactivate(): void {}

/**
 * Runs a command; its errors are shown (a UserError as it is, anything else prefixed and logged with its
 * stack) and returned as `{ error }` rather than thrown, so a caller of executeCommand gets them too.
 * "Nothing yet" (no runs, no dataset) is no error: an information message offers the command that makes
 * one, and the caller gets `{ nothingYet }`.
 */
async function runCommand(lab: Lab, id: CommandId, args: unknown[]): Promise<unknown> {
  try {
    // VS Code passes what the command's menus and callers give; each handler checks what it got.
    return await commands().COMMAND_HANDLERS[id](lab, ...(args as never[]));
  } catch (e) {
    if (isNothingYet(e)) {
      lab.log(`${id}: ${e.message}`);
      offerNextSteps(e.message, e.next ? [e.next] : []);
      return { nothingYet: e.message };
    }
    const message = e instanceof Error ? e.message : String(e);
    lab.log(`${id} failed: ${isUserError(e) ? message : ((e as Error)?.stack ?? message)}`);
    void vscode.window.showErrorMessage(isUserError(e) ? message : `Weight Space Lab: ${message}`);
    return { error: message };
  }
}

/** The inspector editor, registered now but loaded when the first weight file opens. */
function registerInspector(context: vscode.ExtensionContext): vscode.Disposable {
  const viewType = 'weightSpaceLab.inspector';
  return vscode.window.registerCustomEditorProvider(
    viewType,
    {
      openCustomDocument: (uri: vscode.Uri) => new (commands().InspectorDocument)(uri),
      resolveCustomEditor: (document: InstanceType<CommandsModule['InspectorDocument']>, panel: vscode.WebviewPanel) => {
        commands().resolveInspector(context.extensionUri, document, panel);
      },
    },
    { supportsMultipleEditorsPerDocument: true },
  );
}

/** The last top-level statements of the bundle: everything above has been evaluated by now. */
const bundleEvaluated = performance.now();
const bundleEvaluatedCpu = process.cpuUsage();
