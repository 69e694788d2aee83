/**
 * Loads one webview panel on its own in a real headless Chromium (Debian's `chromium`, driven by
 * playwright-core), the way VS Code would: the page is the real one from src/extension/webviewHtml.ts with
 * its CSP and nonce, the bundle is the built media/<bundle>.js, and the body carries VS Code's theme class
 * and CSS variables (test/browser/themes/*.css). `acquireVsCodeApi` is stubbed: what the webview posts is
 * recorded and handed to the test's `answer` function, whose replies are delivered back as message events —
 * a stub host that answers the protocol from fixtures. CSP violations, page errors and console errors are
 * collected so a test can assert there were none.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { renderWebviewHtml, type ResourceUri } from '../../src/extension/webviewHtml';

const ROOT = resolve(__dirname, '..', '..');
/** The origin the page and its resources are served from (intercepted: nothing goes to the network). */
const ORIGIN = 'https://webview.wslab.test';
const SCREENSHOTS = join(ROOT, 'test-results', 'browser');

export type Theme = 'dark' | 'light' | 'high-contrast';

const BODY_CLASS: Record<Theme, string> = { dark: 'vscode-dark', light: 'vscode-light', 'high-contrast': 'vscode-high-contrast' };

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.map': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};

/** Debian's chromium, or WSLAB_CHROMIUM; a clear error when neither exists (CI installs it in .ci/run). */
export function chromiumPath(): string {
  const path = process.env.WSLAB_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new Error(`the browser tests need Chromium at ${path}: install it (apt-get install chromium) or set WSLAB_CHROMIUM`);
  }
  return path;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: ['--no-sandbox', '--disable-gpu'] });
}

/** Answers one message from the webview with the host's replies (possibly none). */
export type StubHost = (message: any) => unknown[] | Promise<unknown[]>;

export interface OpenPanelOptions {
  /** The webview bundle: media/<bundle>.js + media/<bundle>.css. */
  readonly bundle: string;
  readonly answer: StubHost;
  readonly theme?: Theme;
  readonly viewport?: { readonly width: number; readonly height: number };
  /** The state `getState()` returns at first (as after the panel was hidden and shown again). */
  readonly initialState?: unknown;
}

export interface Panel {
  readonly page: Page;
  /** Every message the webview posted, in order (structured-cloned through JSON, as VS Code does). */
  readonly received: any[];
  /** Console errors, uncaught page errors and CSP violations. */
  readonly consoleErrors: string[];
  /** Delivers a host message the webview did not ask for (a pushed update). */
  post(message: unknown): Promise<void>;
  /** Resolves with the first received message that matches (waits up to `timeoutMs`). */
  waitForMessage(match: (message: any) => boolean, timeoutMs?: number): Promise<any>;
  /** What the webview last passed to setState. */
  state(): Promise<unknown>;
  /** Writes test-results/browser/<name>.png (the full page) and returns its path. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

class ServedUri implements ResourceUri {
  constructor(readonly path: string) {}
  with(change: { path: string }): ServedUri {
    return new ServedUri(change.path);
  }
}

function pageHtml(bundle: string, theme: Theme): string {
  const html = renderWebviewHtml(
    { cspSource: ORIGIN, asWebviewUri: (uri) => `${ORIGIN}${uri.path}` },
    new ServedUri('/extension'),
    bundle,
    `${bundle} (browser test)`,
  );
  // VS Code sets the theme's variables and a body class on every webview; here the variables come from a
  // stylesheet (allowed by the page's own style-src) placed before the panel's styles.
  return html
    .replace('<link rel="stylesheet"', `<link rel="stylesheet" href="${ORIGIN}/theme/${theme}.css">\n  <link rel="stylesheet"`)
    .replace('<body>', `<body class="${BODY_CLASS[theme]}" data-vscode-theme-kind="${BODY_CLASS[theme]}">`);
}

/** The file a served URL names, only inside media/ or the theme folder. */
function servedFile(pathname: string): string | undefined {
  const media = /^\/extension\/media\/([\w.-]+)$/.exec(pathname);
  if (media) return join(ROOT, 'media', media[1]!);
  const theme = /^\/theme\/([\w-]+\.css)$/.exec(pathname);
  if (theme) return join(__dirname, 'themes', theme[1]!);
  return undefined;
}

export async function openPanel(browser: Browser, options: OpenPanelOptions): Promise<Panel> {
  const bundleFile = join(ROOT, 'media', `${options.bundle}.js`);
  if (!existsSync(bundleFile)) throw new Error(`${bundleFile} is missing: build the bundles first (node scripts/build.mjs)`);
  const theme = options.theme ?? 'dark';
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1100, height: 800 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const received: any[] = [];
  const consoleErrors: string[] = [];
  const waiters: { match: (m: any) => boolean; resolve: (m: any) => void }[] = [];

  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(`uncaught: ${e.message}`));

  const deliver = async (message: unknown): Promise<void> => {
    await page.evaluate((data) => {
      const w = globalThis as any;
      w.dispatchEvent(new w.MessageEvent('message', { data }));
    }, message as object);
  };

  await page.exposeFunction('__wslabToHost', async (message: unknown) => {
    received.push(message);
    for (const waiter of waiters.splice(0).filter((w) => !w.match(message) || (w.resolve(message), false))) waiters.push(waiter);
    const replies = await options.answer(message);
    for (const reply of replies) await deliver(reply);
  });
  // Functions sent to the page are compiled by tsx, which wraps named functions in `__name(...)`: define it there.
  await page.addInitScript({ content: 'globalThis.__name = globalThis.__name || ((f) => f);' });
  await page.addInitScript((initialState: unknown) => {
    let state: unknown = initialState === null ? undefined : initialState;
    let acquired = false;
    // This runs in the page: `globalThis` is its window (the test's tsconfig has no DOM types).
    const w = globalThis as any;
    w.document.addEventListener('securitypolicyviolation', (e: any) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline code'}`);
    });
    w.acquireVsCodeApi = () => {
      if (acquired) throw new Error('acquireVsCodeApi may only be called once');
      acquired = true;
      return {
        postMessage: (message: unknown) => void w.__wslabToHost(JSON.parse(JSON.stringify(message))),
        getState: () => state,
        setState: (next: unknown) => {
          state = next;
          w.__wslabState = next;
          return next;
        },
      };
    };
  }, options.initialState ?? null);

  await page.route(`${ORIGIN}/**`, async (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/index.html') {
      await route.fulfill({ status: 200, contentType: 'text/html', body: pageHtml(options.bundle, theme) });
      return;
    }
    const file = servedFile(url.pathname);
    if (!file || !existsSync(file)) {
      await route.fulfill({ status: 404, body: 'not found' });
      return;
    }
    await route.fulfill({ status: 200, contentType: CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', body: readFileSync(file) });
  });
  await page.goto(`${ORIGIN}/index.html`);

  return {
    page,
    received,
    consoleErrors,
    post: deliver,
    waitForMessage: (match, timeoutMs = 10_000) => {
      const found = received.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolvePromise, reject) => {
        const timer = setTimeout(
          () =>
            reject(new Error(`no matching message from the webview within ${timeoutMs} ms; got: ${JSON.stringify(received.map((m) => m?.type ?? m?.method))}`)),
          timeoutMs,
        );
        waiters.push({
          match,
          resolve: (m) => {
            clearTimeout(timer);
            resolvePromise(m);
          },
        });
      });
    },
    state: () => page.evaluate(() => (globalThis as any).__wslabState as unknown),
    screenshot: async (name) => {
      mkdirSync(SCREENSHOTS, { recursive: true });
      const path = join(SCREENSHOTS, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    close: () => context.close(),
  };
}

/** True when some pixel of the canvas differs from its first pixel (a drawn canvas is not blank). */
export async function canvasHasContent(page: Page, selector: string): Promise<boolean> {
  return page
    .locator(selector)
    .first()
    .evaluate((node) => {
      const canvas = node as any;
      const context = canvas.getContext('2d');
      if (!context || canvas.width === 0 || canvas.height === 0) return false;
      const data: Uint8ClampedArray = context.getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 4; i < data.length; i += 4) {
        if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2] || data[i + 3] !== data[3]) return true;
      }
      return false;
    });
}
