/**
 * The augmentation preview panel (webview/preview): one per dataset, reused when opened again. The
 * host side is PreviewSession (session.ts); this file gives it a webview, the host's file
 * dialog and a render thread. Renders run in a worker_threads Worker (dist/preview-thread.js, see
 * src/worker/previewThread.ts for why a thread rather than a worker-process task), started on the
 * first render and ended with the panel. The webview is not kept alive while hidden
 * (retainContextWhenHidden false): it saves its selection with setState and asks again when shown.
 */
import { basename, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import type { PreviewSelection, PreviewThreadRpc } from '../../../protocol/preview';
import { ThreadClient } from '../../threadClient';
import { renderWebviewHtml } from '../../webviewHtml';
import { PreviewSession, type InrSource, type PreviewHost, type RenderOutcome } from './session';

export const PREVIEW_VIEW_TYPE = 'weightSpaceLab.augmentationPreview';

/** Weight files the "Open a file…" dialog offers (the formats core reads). */
const WEIGHT_FILE_FILTERS = { 'Weight files': ['safetensors', 'pth', 'pt', 'npz', 'npy'] };

/** What the command returns: tests wait on renders through it. */
export interface PreviewPanelHandle {
  readonly source: string;
  /** The outcome of the latest finished render (waits for the first). */
  whenRendered(): Promise<RenderOutcome>;
  /** The outcome of the next render, ignoring earlier ones. */
  nextRender(): Promise<RenderOutcome>;
}

export interface PreviewPanelOptions {
  readonly extensionUri: vscode.Uri;
  /** The dataset folder (the panel's key). */
  readonly source: string;
  readonly inrs: readonly InrSource[];
  readonly selection: PreviewSelection;
  readonly note?: string;
  readonly size: number;
  readonly log: (line: string) => void;
}

const panels = new Map<string, { panel: vscode.WebviewPanel; handle: PreviewPanelHandle }>();

/** Opens (or reveals) the preview panel of `options.source`. A panel already open keeps its own selection. */
export function openPreviewPanel(options: PreviewPanelOptions): PreviewPanelHandle {
  const open = panels.get(options.source);
  if (open) {
    open.panel.reveal();
    return open.handle;
  }
  const title = `Preview: ${basename(options.source)}`;
  const panel = vscode.window.createWebviewPanel(PREVIEW_VIEW_TYPE, title, vscode.ViewColumn.Active, {
    enableScripts: true,
    retainContextWhenHidden: false,
    localResourceRoots: [vscode.Uri.joinPath(options.extensionUri, 'media')],
  });
  const thread = new ThreadClient<PreviewThreadRpc>(() => new Worker(join(options.extensionUri.fsPath, 'dist', 'preview-thread.js')), 'the preview thread');
  const host: PreviewHost = {
    post: (message) => void panel.webview.postMessage(message),
    render: (request) => thread.request('render', request),
    pickFile: async () => {
      const picked = await vscode.window.showOpenDialog({
        canSelectMany: false,
        openLabel: 'Preview',
        filters: WEIGHT_FILE_FILTERS,
        title: 'An INR weight file to preview',
      });
      return picked?.[0]?.fsPath;
    },
    log: options.log,
  };
  const session = new PreviewSession(host, {
    title: basename(options.source),
    inrs: options.inrs,
    selection: options.selection,
    note: options.note,
    size: options.size,
  });
  const subscription = panel.webview.onDidReceiveMessage((value: unknown) => void session.handle(value));
  panel.webview.html = renderWebviewHtml(panel.webview, options.extensionUri, 'preview', title);
  const handle: PreviewPanelHandle = { source: options.source, whenRendered: () => session.whenRendered(), nextRender: () => session.nextRender() };
  panels.set(options.source, { panel, handle });
  panel.onDidDispose(() => {
    panels.delete(options.source);
    subscription.dispose();
    session.dispose();
    thread.dispose('the preview panel was closed');
  });
  return handle;
}
