/**
 * The HTML page every webview of the extension starts from: a strict Content-Security-Policy, the
 * shared stylesheet media/common.css, the webview's own media/<bundle>.css and its script media/<bundle>.js (built from
 * webview/<bundle>/main.ts). It depends on `vscode` only through the structural types below, so it
 * runs (and is tested) in plain Node.
 */
import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';

/** The parts of `vscode.Uri` the renderer uses. */
export interface ResourceUri {
  readonly path: string;
  with(change: { path: string }): ResourceUri;
}

/** The parts of `vscode.Webview` the renderer uses. */
export interface WebviewResources {
  /** The origin of local resources in this webview, for the CSP. */
  readonly cspSource: string;
  asWebviewUri(localResource: ResourceUri): { toString(): string };
}

export function renderWebviewHtml(webview: WebviewResources, extensionUri: ResourceUri, bundleName: string, title: string): string {
  // A fresh unguessable nonce per page: only the script tags written here carry it.
  const nonce = randomBytes(16).toString('base64');
  const mediaUri = (file: string): string => webview.asWebviewUri(extensionUri.with({ path: posix.join(extensionUri.path, 'media', file) })).toString();
  const csp = [
    // Nothing is allowed unless a rule below allows it: no fetch/XHR/WebSocket, frames, objects or media.
    "default-src 'none'",
    // Images shipped in the extension, and data: URLs a webview draws itself (e.g. canvas plots).
    `img-src ${webview.cspSource} data:`,
    // Stylesheets shipped in media/ only: no inline <style> or style="" attributes from untrusted data.
    `style-src ${webview.cspSource}`,
    // Only the scripts written by this function, identified by the nonce: no inline handlers, no eval.
    `script-src 'nonce-${nonce}'`,
    // Fonts shipped with the extension (e.g. icon fonts).
    `font-src ${webview.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <title>${escapeHtml(title)}</title>
  <link rel="stylesheet" href="${escapeHtml(mediaUri('common.css'))}">
  <link rel="stylesheet" href="${escapeHtml(mediaUri(`${bundleName}.css`))}">
</head>
<body>
  <script nonce="${escapeHtml(nonce)}" src="${escapeHtml(mediaUri(`${bundleName}.js`))}"></script>
</body>
</html>
`;
}

/** Escapes text for an element body or a double-quoted attribute. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
