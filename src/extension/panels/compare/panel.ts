/**
 * The run comparison panel (webview/compare): one for the window, reused (and given the new runs) when
 * "Compare Runs…" runs again. The host side is CompareSession (session.ts); this file gives it a
 * webview, a file watcher per run folder (metrics.jsonl, summary.json, status: live updates while a run
 * trains), the save dialog for exports and the run picker. The webview is not kept alive while hidden
 * (retainContextWhenHidden false): it keeps its view settings with setState and asks for the runs again
 * when shown. With a study folder the panel also has the Study view (accuracy against training-set size,
 * from the folder's study.json, watched so the plot follows a running study).
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
  const panel = vscode.window.createWebviewPanel(COMPARE_VIEW_TYPE, title(options.runs, options.study ?? null), vscode.ViewColumn.Active, {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(options.extensionUri, 'media')],
  });
  panel.webview.html = renderWebviewHtml(panel.webview, options.extensionUri, 'compare', 'Run comparison');
  const watchers = new Map<string, vscode.Disposable>();
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
  const watch = (runs: readonly string[]) => {
    for (const dir of runs) {
      if (watchers.has(dir)) continue;
      // The run folder's own files, not a glob of its name (which may hold `*`, `[` or `{`).
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(dir), '{metrics.jsonl,summary.json,status}'));
      const changed = (uri: vscode.Uri) => session.runChanged(dirname(uri.fsPath));
      watcher.onDidCreate(changed);
      watcher.onDidChange(changed);
      watcher.onDidDelete(changed);
      watchers.set(dir, watcher);
    }
  };
  const session = new CompareSession(
    {
      post: (message) => void panel.webview.postMessage(message),
      askSavePath: async (name, format) =>
        (await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(join(options.root, name)), filters: FILTERS[format], saveLabel: 'Export' }))?.fsPath,
      pickRuns: () =>
        options.pickRuns().catch((e: unknown) => {
          void vscode.window.showErrorMessage(e instanceof Error ? e.message : String(e));
          return undefined;
        }),
      runsChanged: (runs) => {
        panel.title = title(runs, session.studyFolder);
        watch(runs);
      },
      studyShown: (dir) => {
        panel.title = title(session.runs, dir);
        watchStudy(dir);
      },
      log: options.log,
    },
    options.runs,
  );
  watch(session.runs);
  if (options.study) await session.showStudy(options.study);
  const messages = panel.webview.onDidReceiveMessage((value: unknown) => void session.receive(value));
  current = { panel, session };
  panel.onDidDispose(() => {
    messages.dispose();
    studyWatcher?.dispose();
    for (const watcher of watchers.values()) watcher.dispose();
    session.dispose();
    current = undefined;
  });
  return handle(panel, session);
}

function handle(panel: vscode.WebviewPanel, session: CompareSession): ComparePanelHandle {
  return { panel, runs: [...session.runs], idOf: (dir) => session.idOf(dir), study: session.studyFolder };
}
