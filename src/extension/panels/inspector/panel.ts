/**
 * The "Weight Space Lab Inspector" custom editor: a read-only view of a weight file. This file is the
 * VS Code wiring — the webview page, its messages, the file watcher, the open dialog for "Compare
 * with…" — around the session logic of session.ts (header first from the host, everything
 * that reads tensor data in a worker thread: workerClient.ts says why a thread).
 */
import { posix } from 'node:path';
import * as vscode from 'vscode';
import { WEIGHT_FILE_EXTENSIONS } from '../../../core/formats/registry';
import { parseInspectorNotice } from '../../../protocol';
import { LabError } from '../../../core/labError';
import { InspectorSession } from './session';
import { renderWebviewHtml } from '../../webviewHtml';

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
  if (uri.scheme !== 'file') {
    // Only the header could be read remotely, and not the tensors in a worker: say so instead.
    const listener = panel.webview.onDidReceiveMessage((value: unknown) => {
      if (parseInspectorNotice(value)?.type !== 'ready') return;
      void panel.webview.postMessage({
        type: 'error',
        error: { code: 'unsupported', file: uri.toString(), message: `Only files on this machine can be inspected for now; this one is a "${uri.scheme}:" resource.` },
      });
    });
    panel.onDidDispose(() => listener.dispose());
    return;
  }
  const editor = new InspectorEditor(uri, panel);
  panel.onDidDispose(() => editor.dispose());
}

/**
 * One open inspector in VS Code. A webview that is hidden cannot receive messages, so a change on disk
 * seen while hidden is handled when the editor is shown again (the webview itself re-renders its last
 * state when shown).
 */
class InspectorEditor implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly session: InspectorSession;
  private changedWhileHidden = false;
  private debounceTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly uri: vscode.Uri,
    private readonly panel: vscode.WebviewPanel,
  ) {
    this.session = new InspectorSession(uri.fsPath, {
      post: (message) => void panel.webview.postMessage(message),
      pickFile: () => this.pickFile(),
    });
    this.disposables.push(
      panel.webview.onDidReceiveMessage((value: unknown) => void this.session.handle(value)),
      panel.onDidChangeViewState(() => {
        if (panel.visible && this.changedWhileHidden) {
          this.changedWhileHidden = false;
          void this.session.fileChanged();
        }
      }),
      this.watchFile(),
    );
  }

  dispose(): void {
    clearTimeout(this.debounceTimer);
    this.session.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }

  private async pickFile(): Promise<string | undefined> {
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: false,
      openLabel: 'Compare',
      title: `Compare ${posix.basename(this.uri.path)} with…`,
      defaultUri: vscode.Uri.joinPath(this.uri, '..'),
      filters: { 'Weight files': WEIGHT_FILE_EXTENSIONS.map((ext) => ext.slice(1)), 'All files': ['*'] },
    });
    const file = picked?.[0];
    if (file && file.scheme !== 'file') {
      throw new LabError('unsupported', 'Only files on this machine can be compared.', file.toString());
    }
    return file?.fsPath;
  }

  /** Watches the file's folder (non-recursively) rather than a glob of its name, which may hold `*`, `[` or `{`. */
  private watchFile(): vscode.Disposable {
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.joinPath(this.uri, '..'), '*'));
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
      if (this.panel.visible) void this.session.fileChanged();
      else this.changedWhileHidden = true;
    }, FILE_CHANGE_DEBOUNCE_MS);
  }
}
