/**
 * The run comparison panel (webview/compare): one for the window, reused (and given the new runs) when
 * "Compare Runs…" runs again. The host side is CompareSession (session.ts); this file gives it a
 * webview, a file watcher per run folder (metrics.jsonl, summary.json, status: live updates while a run
 * trains), the save dialog for exports and the run picker. The webview is not kept alive while hidden
 * (retainContextWhenHidden false): it keeps its view settings with setState and asks for the runs again
 * when shown. With a study folder the panel also has the Study view (accuracy against training-set size,
 * from the folder's study.json, watched so the plot follows a running study).
 *
 * A run view ("Open Run", showRunPanel) is the same webview on one run, one panel per run folder, titled
 * "Run: <name>": its curves and best/last table, its state and config, and buttons that run commands of
 * the extension (Compare with…, Resume, Open checkpoint; CompareSession turns them into commands).
 */
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { renderWebviewHtml } from '../../webviewHtml';
import { CompareSession } from './session';

export const COMPARE_VIEW_TYPE = 'weightSpaceLab.runComparison';

export interface ComparePanelOptions {
  readonly extensionUri: vscode.Uri;
  /** Where the save dialog starts. */
  readonly root: string;
  readonly runs: readonly string[];
  /** A study folder (made by `wslab study`) for the Study view. */
  readonly study?: string;
  /** The command's run picker, for "Add runs…". */
  readonly pickRuns: () => Promise<string[] | undefined>;
  readonly log: (line: string) => void;
}

export interface RunPanelOptions {
  readonly extensionUri: vscode.Uri;
  /** Where the save dialog starts. */
  readonly root: string;
  /** The run folder. */
  readonly run: string;
  readonly log: (line: string) => void;
}

/** What the command returns: the panel and the runs it shows (tests read these). */
export interface ComparePanelHandle {
  readonly panel: vscode.WebviewPanel;
  readonly runs: readonly string[];
  /** The id the webview knows a run folder by. */
  idOf(dir: string): string | undefined;
  /** The study folder the Study view shows, if any. */
  readonly study: string | null;
}

const FILTERS: Record<'png' | 'csv', Record<string, string[]>> = { png: { 'PNG image': ['png'] }, csv: { 'CSV table': ['csv'] } };

let current: { panel: vscode.WebviewPanel; session: CompareSession } | undefined;
/** The open run views, by run folder. */
const runViews = new Map<string, { panel: vscode.WebviewPanel; session: CompareSession }>();

/** The files of a run folder whose changes a panel follows. */
const WATCHED_RUN_FILES = '{metrics.jsonl,summary.json,status,best.safetensors,last.safetensors}';

/** Follows the run folders of a session: a watcher per folder (its own files, not a glob of its name, which may hold `*`, `[` or `{`). */
class RunWatchers implements vscode.Disposable {
  private readonly watchers = new Map<string, vscode.Disposable>();
  constructor(private readonly changed: (dir: string) => void) {}
  watch(runs: readonly string[]): void {
    for (const dir of runs) {
      if (this.watchers.has(dir)) continue;
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(dir), WATCHED_RUN_FILES));
      const changed = (uri: vscode.Uri) => this.changed(dirname(uri.fsPath));
      watcher.onDidCreate(changed);
      watcher.onDidChange(changed);
      watcher.onDidDelete(changed);
      this.watchers.set(dir, watcher);
    }
  }
  dispose(): void {
    for (const watcher of this.watchers.values()) watcher.dispose();
    this.watchers.clear();
  }
}

const saveDialog = (root: string) => async (name: string, format: 'png' | 'csv') =>
  (await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(join(root, name)), filters: FILTERS[format], saveLabel: 'Export' }))?.fsPath;

const execute = (command: string, args: readonly unknown[]) => Promise.resolve(vscode.commands.executeCommand(command, ...args));

function createPanel(extensionUri: vscode.Uri, title: string): vscode.WebviewPanel {
  const panel = vscode.window.createWebviewPanel(COMPARE_VIEW_TYPE, title, vscode.ViewColumn.Active, {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')],
  });
  panel.webview.html = renderWebviewHtml(panel.webview, extensionUri, 'compare', 'Run comparison');
  return panel;
}

/** The title of a run view. */
const runViewTitle = (dir: string) => `Run: ${basename(dir)}`;

/** Opens the run view of a run folder, or shows the one already open. */
export async function showRunPanel(options: RunPanelOptions): Promise<ComparePanelHandle> {
  const open = runViews.get(options.run);
  if (open) {
    open.panel.reveal();
    return handle(open.panel, open.session);
  }
  const panel = createPanel(options.extensionUri, runViewTitle(options.run));
  const watchers = new RunWatchers((dir) => session.runChanged(dir));
  const session = new CompareSession(
    {
      post: (message) => void panel.webview.postMessage(message),
      askSavePath: saveDialog(options.root),
      pickRuns: async () => undefined,
      runsChanged: () => undefined,
      studyShown: () => undefined,
      execute,
      log: options.log,
    },
    [options.run],
    { runView: true },
  );
  watchers.watch(session.runs);
  const messages = panel.webview.onDidReceiveMessage((value: unknown) => void session.receive(value));
  runViews.set(options.run, { panel, session });
  panel.onDidDispose(() => {
    messages.dispose();
    watchers.dispose();
    session.dispose();
    runViews.delete(options.run);
  });
  return handle(panel, session);
}

function title(runs: readonly string[], study: string | null): string {
  const compare = `${runs.length} run${runs.length === 1 ? '' : 's'}`;
  return study ? `Study ${basename(study)}${runs.length ? ` · ${compare}` : ''}` : `Compare ${compare}`;
}

export async function showComparePanel(options: ComparePanelOptions): Promise<ComparePanelHandle> {
  if (current) {
    const { panel, session } = current;
    if (options.study) await session.showStudy(options.study);
    if (options.runs.length || !options.study) await session.showRuns(options.runs);
    panel.reveal();
    return handle(panel, session);
  }
  const panel = createPanel(options.extensionUri, title(options.runs, options.study ?? null));
  const watchers = new RunWatchers((dir) => session.runChanged(dir));
  let studyWatcher: vscode.Disposable | undefined;
  const watchStudy = (dir: string) => {
    studyWatcher?.dispose();
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(dir), 'study.json'));
    const changed = () => session.studyChanged();
    watcher.onDidCreate(changed);
    watcher.onDidChange(changed);
    watcher.onDidDelete(changed);
    studyWatcher = watcher;
  };
  const session = new CompareSession(
    {
      post: (message) => void panel.webview.postMessage(message),
      askSavePath: saveDialog(options.root),
      pickRuns: () =>
        options.pickRuns().catch((e: unknown) => {
          void vscode.window.showErrorMessage(e instanceof Error ? e.message : String(e));
          return undefined;
        }),
      runsChanged: (runs) => {
        panel.title = title(runs, session.studyFolder);
        watchers.watch(runs);
      },
      studyShown: (dir) => {
        panel.title = title(session.runs, dir);
        watchStudy(dir);
      },
      execute,
      log: options.log,
    },
    options.runs,
  );
  watchers.watch(session.runs);
  if (options.study) await session.showStudy(options.study);
  const messages = panel.webview.onDidReceiveMessage((value: unknown) => void session.receive(value));
  current = { panel, session };
  panel.onDidDispose(() => {
    messages.dispose();
    studyWatcher?.dispose();
    watchers.dispose();
    session.dispose();
    current = undefined;
  });
  return handle(panel, session);
}

function handle(panel: vscode.WebviewPanel, session: CompareSession): ComparePanelHandle {
  return { panel, runs: [...session.runs], idOf: (dir) => session.idOf(dir), study: session.studyFolder };
}
