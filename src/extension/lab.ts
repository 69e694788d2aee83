/**
 * The extension's services, created on first use so activation stays cheap: settings, the workspace
 * folder, the output channel, the task manager (workers forked from dist/worker.js) and the Experiments
 * tree. Commands receive the Lab; nothing else holds state.
 */
import { join, resolve } from 'node:path';
import * as vscode from 'vscode';
import { readSettings, SETTINGS_SECTION, type LabSettings } from './settings';
import { LabStatusBar } from './statusBar';
import { forkLauncher } from './tasks/workerProcess';
import { TaskManager, type StartRequest, type TaskInfo } from './tasks/taskManager';
import { TaskUi } from './tasks/taskUi';
import { ExperimentTreeProvider } from './tree/experimentTreeProvider';
import { UserError } from './userError';

export class Lab implements vscode.Disposable {
  private outputChannel: vscode.OutputChannel | undefined;
  private taskManager: TaskManager | undefined;
  private taskUi: TaskUi | undefined;
  readonly tree: ExperimentTreeProvider;
  readonly status: LabStatusBar;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(readonly context: vscode.ExtensionContext) {
    this.tree = new ExperimentTreeProvider({ root: () => this.root(), settings: () => this.settings(), tasks: () => this.taskManager?.list() ?? [] });
    this.status = new LabStatusBar(() => this.settings().backend);
    this.disposables.push(
      this.tree,
      this.status,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration(SETTINGS_SECTION)) return;
        this.status.update(this.taskManager?.list() ?? []);
        this.tree.refresh();
      }),
    );
  }

  settings(): LabSettings {
    const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
    return readSettings((key) => config.get(key));
  }

  /** The first workspace folder on this machine, if any. */
  root(): string | undefined {
    const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
    return folder?.uri.fsPath;
  }

  requireRoot(): string {
    const root = this.root();
    if (!root) throw new UserError('Open a folder first: Weight Space Lab keeps datasets, configs and runs in the workspace folder.');
    return root;
  }

  /** A workspace-relative settings path (e.g. "datasets") made absolute. */
  inRoot(path: string): string {
    return resolve(this.requireRoot(), path);
  }

  get output(): vscode.OutputChannel {
    this.outputChannel ??= vscode.window.createOutputChannel('Weight Space Lab');
    return this.outputChannel;
  }

  log(line: string): void {
    this.output.appendLine(`[${new Date().toLocaleTimeString()}] ${line}`);
  }

  get tasks(): TaskManager {
    if (!this.taskManager) {
      const manager = new TaskManager(forkLauncher({ modulePath: join(this.context.extensionPath, 'dist', 'worker.js'), cwd: this.root() }), {
        maxConcurrent: () => this.settings().maxConcurrentTasks,
      });
      this.taskManager = manager;
      this.taskUi = new TaskUi(manager, this);
      this.disposables.push(this.taskUi, { dispose: () => manager.dispose() });
      manager.onDidChange(() => this.tree.tasksChanged());
    }
    return this.taskManager;
  }

  /** Whether the task manager exists yet (the status bar shows tasks only then). */
  get hasTasks(): boolean {
    return this.taskManager !== undefined;
  }

  startTask(request: StartRequest): TaskInfo {
    return this.tasks.start(request);
  }

  dispose(): void {
    for (const d of this.disposables.splice(0).reverse()) d.dispose();
    this.outputChannel?.dispose();
  }
}
