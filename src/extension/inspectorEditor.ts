/**
 * The "Weight Space Lab Inspector" custom editor: a read-only view of a weight file's tensors and their
 * statistics. The host reads the file through core; the webview (webview/inspector) only renders the
 * report or the error it is sent.
 */
import { posix } from 'node:path';
import * as vscode from 'vscode';
import { isWeightFileError } from '../core/errors';
import { inspectWeightFile } from '../core/inspect/report';
import { parseInspectorMessage, type HostToInspector } from '../protocol';
import { renderWebviewHtml } from './webviewHtml';

export const INSPECTOR_VIEW_TYPE = 'weightSpaceLab.inspector';

/** Writes come in bursts (truncate, then chunks); inspect once the file has been quiet this long. */
const FILE_CHANGE_DEBOUNCE_MS = 300;

/**
 * Fills a custom editor's webview with the inspector for `uri` (extension.ts registers the editor and
 * loads this module when the first weight file opens).
 */
export function resolveInspector(extensionUri: vscode.Uri, uri: vscode.Uri, panel: vscode.WebviewPanel): void {
  panel.webview.options = {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')],
  };
  const title = `Inspect ${posix.basename(uri.path)}`;
  panel.webview.html = renderWebviewHtml(panel.webview, extensionUri, 'inspector', title);
  const session = new InspectorSession(uri, panel);
  panel.onDidDispose(() => session.dispose());
}

/**
 * One open inspector: answers the webview's requests and re-inspects when the file changes on disk.
 * A webview that is hidden cannot receive messages, so a change seen while hidden is sent when the
 * editor is shown again (the webview itself re-renders its last message from its saved state).
 */
class InspectorSession implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  /** Counts inspections; only the latest one's result is posted, so answers never arrive out of order. */
  private generation = 0;
  private changedWhileHidden = false;
  private debounceTimer: NodeJS.Timeout | undefined;
  private disposed = false;

  constructor(
    private readonly uri: vscode.Uri,
    private readonly panel: vscode.WebviewPanel,
  ) {
    this.disposables.push(
      panel.webview.onDidReceiveMessage((value: unknown) => {
        const message = parseInspectorMessage(value);
        switch (message?.type) {
          case 'ready':
          case 'refresh':
            void this.update();
            break;
        }
      }),
      panel.onDidChangeViewState(() => {
        if (panel.visible && this.changedWhileHidden) void this.update();
      }),
    );
    if (uri.scheme === 'file') this.disposables.push(this.watchFile());
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.debounceTimer);
    for (const disposable of this.disposables) disposable.dispose();
  }

  private async update(): Promise<void> {
    this.changedWhileHidden = false;
    const generation = ++this.generation;
    const message = await inspect(this.uri);
    if (!this.disposed && generation === this.generation) void this.panel.webview.postMessage(message);
  }

  /** Watches the file's folder (non-recursively) rather than a glob of its name, which may hold `*`, `[` or `{`. */
  private watchFile(): vscode.Disposable {
    const watcher = vscode.workspace.createFileSystemWatcher(
      new vscode.RelativePattern(vscode.Uri.joinPath(this.uri, '..'), '*'),
    );
    const onEvent = (changed: vscode.Uri): void => {
      if (changed.fsPath === this.uri.fsPath) this.scheduleUpdate();
    };
    watcher.onDidCreate(onEvent);
    watcher.onDidChange(onEvent);
    watcher.onDidDelete(onEvent);
    return watcher;
  }

  private scheduleUpdate(): void {
    clearTimeout(this.debounceTimer);
    this.debounceTimer = setTimeout(() => {
      if (this.panel.visible) void this.update();
      else this.changedWhileHidden = true;
    }, FILE_CHANGE_DEBOUNCE_MS);
  }
}

/** Inspects the file; never throws: failures become an error message for the webview. */
async function inspect(uri: vscode.Uri): Promise<HostToInspector> {
  if (uri.scheme !== 'file') {
    return {
      type: 'error',
      error: {
        code: 'unsupported',
        file: uri.toString(),
        message: `Only files on this machine can be inspected for now; this one is a "${uri.scheme}:" resource.`,
      },
    };
  }
  try {
    return { type: 'report', report: await inspectWeightFile(uri.fsPath) };
  } catch (e) {
    const error = isWeightFileError(e)
      ? e.toJSON()
      : { code: 'internal', file: uri.fsPath, message: e instanceof Error ? e.message : String(e) };
    return { type: 'error', error };
  }
}
