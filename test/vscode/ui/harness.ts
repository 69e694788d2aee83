/**
 * Playwright helpers for the UI scenarios (test/vscode/ui/*.ui.ts): drive the real VS Code workbench that
 * code-server serves, in Debian's Chromium, the way a user does (explorer clicks, F1, Quick Open, context menus).
 *
 * scripts/vscode/test.mjs starts code-server (with the packaged .vsix installed) and Chromium, then runs the
 * scenarios with these variables set:
 *   WSLAB_CODE_SERVER_URL  http://127.0.0.1:PORT
 *   WSLAB_CDP_ENDPOINT     Chromium's DevTools WebSocket (Playwright connects over CDP)
 *   WSLAB_WORKSPACE        the folder the workbench opens (copies of the fixtures, see WORKSPACE_FILES)
 *   WSLAB_SCREENSHOTS      where screenshots go (test-results/)
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach } from 'mocha';
import { chromium, type Browser, type BrowserContext, type FrameLocator, type Locator, type Page } from 'playwright-core';

export interface HarnessEnv {
  readonly url: string;
  readonly cdpEndpoint: string;
  readonly workspace: string;
  readonly screenshots: string;
}

export function harnessEnv(): HarnessEnv {
  const get = (name: string): string => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set: run the UI scenarios through \`npm run test:vscode\``);
    return value;
  };
  return {
    url: get('WSLAB_CODE_SERVER_URL'),
    cdpEndpoint: get('WSLAB_CDP_ENDPOINT'),
    workspace: get('WSLAB_WORKSPACE'),
    screenshots: get('WSLAB_SCREENSHOTS'),
  };
}

let browser: Promise<Browser> | undefined;
function connect(): Promise<Browser> {
  browser ??= chromium.connectOverCDP(harnessEnv().cdpEndpoint);
  return browser;
}

/** Title of a command as the palette shows it: "Category: Title". */
export type CommandLabel = string;

/** A command of the extension: once the palette lists it, the workbench has the extension's contributions. */
const READY_COMMAND: CommandLabel = 'Weight Space Lab: Inspect Weight File…';

/** One browser window on the workbench, with the test workspace open. */
export class Workbench {
  /** Console errors of the page, for the failure message. */
  readonly consoleErrors: string[] = [];

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    readonly env: HarnessEnv,
  ) {
    page.on('console', (m) => {
      if (m.type() === 'error') this.consoleErrors.push(m.text());
    });
  }

  static async open(): Promise<Workbench> {
    const env = harnessEnv();
    const context = await (await connect()).newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const workbench = new Workbench(context, page, env);
    await page.goto(`${env.url}/?folder=${encodeURIComponent(env.workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // The explorer lists the workspace once the remote file system is connected.
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
    await workbench.waitForExtension();
    return workbench;
  }

  /** Back to an empty editor area with nothing open on top, for the next scenario in the same window. */
  async reset(): Promise<void> {
    await this.runCommand('View: Close All Editors');
    await this.page.locator('.editor-group-container .tabs-container .tab').first().waitFor({ state: 'detached' });
    await this.page.keyboard.press('Escape');
  }

  /**
   * Waits until the workbench knows the extension's contributions (its command shows in the palette): a click
   * on a weight file before that opens the text editor, as it would for a user that quick. Once issue 8 adds
   * an activity-bar icon, waiting for that icon is the cheaper signal.
   */
  async waitForExtension(label: CommandLabel = READY_COMMAND): Promise<void> {
    await this.findInPalette(label);
    await this.page.keyboard.press('Escape');
  }

  async close(): Promise<void> {
    await this.context.close();
  }

  /** The explorer row of a file or folder at the workspace root. */
  explorerItem(name: string): Locator {
    return this.page.locator(`.explorer-folders-view .monaco-list-row[aria-label^="${name}"]`).first();
  }

  /**
   * Opens a workspace file with a click in the explorer. On a loaded machine a click can land while the
   * explorer is still settling and be lost: then the file's tab does not show, and the click is repeated.
   * Right after a window starts, VS Code has once (1 of 6 CI runs) opened a weight file in its text
   * editor ("binary or uses an unsupported text encoding") although the inspector is the default editor
   * for it: then the tab is closed and the click repeated, so the file still has to end up in the editor
   * VS Code chooses by default.
   */
  async openFromExplorer(name: string): Promise<void> {
    const textEditorFallback = this.page.locator('.editor-container', { hasText: 'binary or uses an unsupported text encoding' });
    for (let attempt = 1; ; attempt++) {
      await this.explorerItem(name).click();
      try {
        await this.tab(name).waitFor({ timeout: 10_000 });
        if (attempt < 3 && (await textEditorFallback.isVisible().catch(() => false))) {
          await this.runCommand('View: Close All Editors');
          continue;
        }
        return;
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
  }

  /** Right-clicks an explorer item and picks `label` from its context menu. */
  async explorerContextMenu(name: string, label: string): Promise<void> {
    await this.explorerItem(name).click({ button: 'right' });
    await this.pickFromContextMenu(label);
  }

  /**
   * Clicks `label` in the open context menu. On a loaded machine a click can land while the menu is still
   * settling and be lost (the item stays highlighted, the menu open): then Enter activates it.
   */
  private async pickFromContextMenu(label: string): Promise<void> {
    const item = this.page.locator('.monaco-menu .action-item', { hasText: label }).first();
    await item.waitFor();
    await item.click();
    try {
      await item.waitFor({ state: 'hidden', timeout: 2000 });
    } catch {
      await this.page.keyboard.press('Enter'); // the item is still highlighted
    }
  }

  /**
   * Runs a command from the palette (F1, type, Enter). The palette lists contributed commands once the
   * extension host has scanned the extensions, so the label is retried until it shows.
   */
  async runCommand(label: CommandLabel, options: { timeoutMs?: number } = {}): Promise<void> {
    await this.findInPalette(label, options);
    await this.page.keyboard.press('Enter');
  }

  /** Opens the palette and types `label` until the palette lists it (selected). */
  private async findInPalette(label: CommandLabel, { timeoutMs = 60_000 } = {}): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.page.keyboard.press('Escape');
      await this.page.keyboard.press('F1');
      const input = this.quickInput();
      const row = this.page.locator('.quick-input-list .monaco-list-row.focused', { hasText: label }).first();
      // The palette can close again before it is typed into (focus moving to a view that just opened): retry.
      try {
        await input.waitFor({ timeout: 10_000 });
        await input.fill(`>${label}`, { timeout: 5000 });
        await row.waitFor({ timeout: 2000 });
        return;
      } catch (e) {
        if (Date.now() > deadline) throw new Error(`the palette never listed "${label}": ${String(e)}`);
      }
    }
  }

  /** Quick Open (Ctrl+P): type a file name, Enter. */
  async quickOpen(fileName: string): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('Control+P');
    const input = this.quickInput();
    await input.waitFor();
    await input.fill(fileName);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: fileName }).first().waitFor();
    await this.page.keyboard.press('Enter');
  }

  /** The text box of the quick input (palette, Quick Open, and the open-file dialog of a remote window). */
  quickInput(): Locator {
    return this.page.locator('.quick-input-widget .quick-input-box input');
  }

  /**
   * Answers VS Code's own open-file dialog (a quick input in a remote window) with `path`, without pressing
   * Enter. The dialog fills in its start folder asynchronously, so this waits for that first (else it could
   * overwrite the path typed here) and then for the path to stand in the box.
   */
  async typeInFileDialog(path: string): Promise<void> {
    const input = this.quickInput();
    await input.waitFor({ timeout: 30_000 });
    await assertEventually(async () => (await input.inputValue()).startsWith(this.env.workspace), 'the file dialog to start in the workspace');
    await input.fill(path);
    await assertEventually(async () => (await input.inputValue()) === path, `the file dialog to hold ${path}`);
  }

  /** The content of the visible webview (custom editors and webview panels). */
  webview(): FrameLocator {
    return this.page.locator('iframe.webview.ready:visible').last().contentFrame().locator('#active-frame').contentFrame();
  }

  /** A tab of the editor area by its label. */
  tab(label: string): Locator {
    return this.page.locator('.tabs-container .tab', { hasText: label }).first();
  }

  /** Drags the side bar's edge to make it at least `width` pixels wide (tree descriptions fit), then moves the mouse away. */
  async widenSideBar(width = 520): Promise<void> {
    await this.resizeSideBar(width, { onlyWider: true });
  }

  /** Drags the side bar's edge to make it `width` pixels wide, then moves the mouse away. */
  async resizeSideBar(width: number, { onlyWider = false } = {}): Promise<void> {
    const box = await this.page.locator('.part.sidebar').first().boundingBox();
    if (box && (onlyWider ? box.width < width : Math.abs(box.width - width) > 1)) {
      const edge = box.x + box.width;
      await this.page.mouse.move(edge, box.y + box.height / 2);
      await this.page.mouse.down();
      await this.page.mouse.move(box.x + width, box.y + box.height / 2, { steps: 5 });
      await this.page.mouse.up();
    }
    await this.page.mouse.move(900, 600); // no tooltip left over a row
  }

  /** The row of a tree view in the side bar (e.g. the Experiments view) whose label is exactly `label`. */
  treeItem(label: string): Locator {
    const exact = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    return this.page
      .locator('.sidebar .monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: exact }) })
      .first();
  }

  /** Right-clicks a side-bar tree row and picks `label` from its context menu. */
  async treeContextMenu(row: string, label: string): Promise<void> {
    await this.treeItem(row).click({ button: 'right' });
    await this.pickFromContextMenu(label);
  }

  /** A row of the open quick pick whose label contains `text`. */
  quickPickItem(text: string): Locator {
    return this.page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();
  }

  /** A notification toast containing `text`. */
  notification(text: string | RegExp): Locator {
    return this.page.locator('.notification-toast', { hasText: text }).first();
  }

  /** An icon of the activity bar by its title (e.g. a contributed view container). */
  activityBarItem(title: string): Locator {
    return this.page.locator(`.activitybar .action-item .action-label[aria-label^="${title}"]`).first();
  }

  async screenshot(name: string): Promise<string> {
    mkdirSync(this.env.screenshots, { recursive: true });
    const path = join(this.env.screenshots, `${name}.png`);
    await this.page.screenshot({ path });
    return path;
  }
}

/**
 * One workbench window per `describe` block, opened lazily by the first scenario that asks for it (about 10 s
 * on 2 cores) and reset between scenarios (all editors closed). A failed scenario leaves a screenshot
 * `FAILED-<title>.png` and its window is closed, so the next scenario starts in a fresh one.
 *
 *   const workbench = useWorkbench();
 *   it('…', async () => { const wb = await workbench(); … });
 */
export function useWorkbench(): () => Promise<Workbench> {
  let current: Workbench | undefined;
  afterEach(async function () {
    this.timeout(60_000);
    if (!current) return;
    const failed = this.currentTest?.state === 'failed';
    if (failed) {
      const name = `FAILED-${(this.currentTest?.title ?? 'scenario').replace(/[^\w.-]+/g, '-').slice(0, 80)}`;
      await current.screenshot(name).catch(() => undefined);
      if (current.consoleErrors.length > 0) {
        console.log(
          `    console errors of the page:\n${current.consoleErrors
            .slice(-10)
            .map((e) => `      ${e.slice(0, 300)}`)
            .join('\n')}`,
        );
      }
    }
    const reset = failed ? Promise.reject(new Error('failed')) : current.reset();
    await reset.catch(async () => {
      await current?.close().catch(() => undefined);
      current = undefined;
    });
  });
  after(async () => {
    await current?.close().catch(() => undefined);
    current = undefined;
  });
  return async () => (current ??= await Workbench.open());
}

/** Polls `probe` every 200 ms until it holds; throws naming `what` after `timeoutMs`. */
export async function assertEventually(probe: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
