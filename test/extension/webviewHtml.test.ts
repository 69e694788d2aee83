// renderWebviewHtml: the CSP and script tags every webview page starts from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderWebviewHtml, type ResourceUri, type WebviewResources } from '../../src/extension/webviewHtml';

class FakeUri implements ResourceUri {
  constructor(readonly path: string) {}
  with(change: { path: string }): FakeUri {
    return new FakeUri(change.path);
  }
}

const CSP_SOURCE = 'https://fake.vscode-cdn.net';
const webview: WebviewResources = { cspSource: CSP_SOURCE, asWebviewUri: (uri) => `${CSP_SOURCE}${uri.path}` };
const extensionUri = new FakeUri('/ext/weight-space-lab');

function render(title = 'Inspect model.safetensors'): string {
  return renderWebviewHtml(webview, extensionUri, 'inspector', title);
}

function attribute(tag: string, name: string): string | undefined {
  return new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
}

function cspOf(html: string): Map<string, string[]> {
  const meta = /<meta\s+http-equiv="Content-Security-Policy"[^>]*>/i.exec(html);
  assert.ok(meta, 'the page has a CSP meta tag');
  const content = attribute(meta[0], 'content');
  assert.ok(content);
  return new Map(
    content
      .split(';')
      .map((rule) => rule.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([directive, ...sources]) => [directive!, sources]),
  );
}

function nonceOf(html: string): string {
  const sources = cspOf(html).get('script-src') ?? [];
  const nonces = sources.filter((s) => /^'nonce-.+'$/.test(s)).map((s) => s.slice("'nonce-".length, -1));
  assert.equal(nonces.length, 1, `one script nonce in ${sources.join(' ')}`);
  return nonces[0]!;
}

test('each render uses a fresh, long nonce', () => {
  const nonces = new Set(Array.from({ length: 20 }, () => nonceOf(render())));
  assert.equal(nonces.size, 20);
  for (const nonce of nonces) assert.ok(Buffer.from(nonce, 'base64').length >= 16, nonce);
});

test('every script carries the nonce and loads the bundle from media/', () => {
  const html = render();
  const nonce = nonceOf(html);
  const scripts = html.match(/<script\b[^>]*>/gi) ?? [];
  assert.equal(scripts.length, 1);
  for (const script of scripts) {
    assert.equal(attribute(script, 'nonce'), nonce);
    assert.equal(attribute(script, 'src'), `${CSP_SOURCE}/ext/weight-space-lab/media/inspector.js`);
  }
  const stylesheets = (html.match(/<link\b[^>]*rel="stylesheet"[^>]*>/gi) ?? []).map((tag) => attribute(tag, 'href'));
  // The shared styles first, so a panel's own stylesheet can override them.
  assert.deepEqual(stylesheets, [`${CSP_SOURCE}/ext/weight-space-lab/media/common.css`, `${CSP_SOURCE}/ext/weight-space-lab/media/inspector.css`]);
});

test('the CSP denies by default and allows no inline code or eval', () => {
  const html = render();
  const csp = cspOf(html);
  assert.deepEqual(csp.get('default-src'), ["'none'"]);
  assert.deepEqual(csp.get('script-src'), [`'nonce-${nonceOf(html)}'`]);
  assert.deepEqual(csp.get('style-src'), [CSP_SOURCE]);
  assert.deepEqual(csp.get('img-src'), [CSP_SOURCE, 'data:']);
  assert.deepEqual(csp.get('font-src'), [CSP_SOURCE]);
  for (const sources of csp.values()) {
    for (const forbidden of ["'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", '*', 'https:', 'http:']) {
      assert.ok(!sources.includes(forbidden), `${forbidden} in ${sources.join(' ')}`);
    }
  }
});

test('the CSP is the first thing in <head>, before any resource', () => {
  const html = render();
  const head = /<head>([\s\S]*)<\/head>/i.exec(html)?.[1] ?? '';
  const cspAt = head.search(/http-equiv="Content-Security-Policy"/i);
  const firstResource = head.search(/<(script|link|style|img)\b/i);
  assert.ok(cspAt >= 0 && firstResource >= 0 && cspAt < firstResource);
});

test('the title is escaped', () => {
  const html = render('Inspect <script>alert(1)</script>"&.pth');
  assert.ok(html.includes('<title>Inspect &#60;script&#62;alert(1)&#60;/script&#62;&#34;&#38;.pth</title>'));
  assert.equal((html.match(/<script\b/gi) ?? []).length, 1);
});
