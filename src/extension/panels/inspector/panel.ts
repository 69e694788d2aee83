/**
 * The "Weight Space Lab Inspector" custom editor: a read-only view of a weight file. This file is the
 * VS Code wiring — the document (the header cache and the file watcher, shared by the file's editors),
 * the webview page, its messages, the open dialog for "Compare with…" — around the session logic of session.ts (header first from the host, everything
 * that reads tensor data in a worker thread: workerClient.ts says why a thread).
 */
import { posix } from 'node:path';
import * as vscode from 'vscode';
import { WEIGHT_FILE_EXTENSIONS } from '../../../core/formats/registry';
import { parseInspectorNotice, type HostToInspector } from '../../../protocol';
import { LabError } from '../../../core/labError';
import { InspectorSession, readHeader } from './session';
import { renderWebviewHtml } from '../../webviewHtml';

export const INSPECTOR_VIEW_TYPE = 'weightSpaceLab.inspector';

/** Writes come in bursts (truncate, then chunks); inspect once the file has been quiet this long. */
const FILE_CHANGE_DEBOUNCE_MS = 300;

/**
 * The document behind the inspector's editors of one file: it owns the header (read once, shared by
 * every editor of the file, read again after a change) and the one watcher of the file, which tells the
 * editors when the file changed on disk. Each editor keeps its own worker thread (its "Compare with…"
 * file is its own).
 */
export class InspectorDocument implements vscode.CustomDocument {
  private cached: Promise<HostToInspector> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires once a burst of writes to the file is over (the header cache is already dropped). */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private debounceTimer: NodeJS.Timeout | undefined;

  constructor(readonly uri: vscode.Uri) {
    if (uri.scheme === 'file') this.disposables.push(this.watchFile());
  }

  header(): Promise<HostToInspector> {
    return (this.cached ??= readHeader(this.uri.fsPath));
  }

  dispose(): void {
    clearTimeout(this.debounceTimer);
    for (const disposable of this.disposables) disposable.dispose();
  }

  /** Watches the file's folder (non-recursively) rather than a glob of its name, which may hold `*`, `[` or `{`. */
  private watchFile(): vscode.Disposable {
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.joinPath(this.uri, '..'), '*'));
    const onEvent = (changed: vscode.Uri): void => {
      if (changed.fsPath !== this.uri.fsPath) return;
      clearTimeout(this.debounceTimer);
      this.debounceTimer = setTimeout(() => {
        this.cached = undefined;
        this.changed.fire();
      }, FILE_CHANGE_DEBOUNCE_MS);
    };
    watcher.onDidCreate(onEvent);
    watcher.onDidChange(onEvent);
    watcher.onDidDelete(onEvent);
    return watcher;
  }
}

/**
 * Fills a custom editor's webview with the inspector for `document` (extension.ts registers the editor
 * and loads this module when the first weight file opens).
 */
export function resolveInspector(extensionUri: vscode.Uri, document: InspectorDocument, panel: vscode.WebviewPanel): void {
  const uri = document.uri;
  panel.webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')] };
  const title = `Inspect ${posix.basename(uri.path)}`;
  panel.webview.html = renderWebviewHtml(panel.webview, extensionUri, 'inspector', title);
  if (uri.scheme !== 'file') {
    // Only the header could be read remotely, and not the tensors in a worker: say so instead.
    const listener = panel.webview.onDidReceiveMessage((value: unknown) => {
      if (parseInspectorNotice(value)?.type !== 'ready') return;
      void panel.webview.postMessage({
        type: 'error',
        error: {
          code: 'unsupported',
          file: uri.toString(),
          message: `Only files on this machine can be inspected for now; this one is a "${uri.scheme}:" resource.`,
        },
      });
    });
    panel.onDidDispose(() => listener.dispose());
    return;
  }
  const editor = new InspectorEditor(document, panel);
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
  private readonly uri: vscode.Uri;
  private changedWhileHidden = false;

  constructor(
    document: InspectorDocument,
    private readonly panel: vscode.WebviewPanel,
  ) {
    this.uri = document.uri;
    this.session = new InspectorSession(document.uri.fsPath, {
      post: (message) => void panel.webview.postMessage(message),
      pickFile: () => this.pickFile(),
      header: () => document.header(),
    });
    this.disposables.push(
      panel.webview.onDidReceiveMessage((value: unknown) => void this.session.handle(value)),
      panel.onDidChangeViewState(() => {
        if (panel.visible && this.changedWhileHidden) {
          this.changedWhileHidden = false;
          void this.session.fileChanged();
        }
      }),
      document.onDidChange(() => {
        if (this.panel.visible) void this.session.fileChanged();
        else this.changedWhileHidden = true;
      }),
    );
  }

  dispose(): void {
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
}
