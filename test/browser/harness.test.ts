// The browser harness itself, on the smallest page there is (the inspector): the real CSP applies, messages
// go both ways through the stubbed acquireVsCodeApi, and a blocked inline script is reported as a violation.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { launchBrowser, openPanel } from './harness';

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test('the webview posts to the stub host and receives its replies', async () => {
  const panel = await openPanel(browser, {
    bundle: 'inspector',
    answer: (message) =>
      message.type === 'ready' ? [{ type: 'error', error: { code: 'truncated', file: '/w/broken.safetensors', message: 'the header ends at byte 8' } }] : [],
  });
  try {
    const ready = await panel.waitForMessage((m) => m.type === 'ready');
    assert.equal(ready.type, 'ready');
    await panel.page.locator('.error-box[role="alert"]').waitFor({ timeout: 10_000 });
    assert.match((await panel.page.locator('.error-message').textContent()) ?? '', /header ends at byte 8/);
    assert.deepEqual(panel.consoleErrors, []);
  } finally {
    await panel.close();
  }
});

test('the page runs under the real CSP: an injected inline script is blocked and reported', async () => {
  const panel = await openPanel(browser, { bundle: 'inspector', answer: () => [] });
  try {
    await panel.waitForMessage((m) => m.type === 'ready');
    await panel.page.evaluate(() => {
      const d = (globalThis as any).document;
      const script = d.createElement('script');
      script.textContent = '(globalThis).__inlineRan = true';
      d.body.append(script);
    });
    await panel.page.waitForTimeout(200);
    assert.equal(await panel.page.evaluate(() => (globalThis as any).__inlineRan === true), false);
    assert.ok(
      panel.consoleErrors.some((e) => /CSP violation|Content Security Policy/.test(e)),
      panel.consoleErrors.join('\n'),
    );
  } finally {
    await panel.close();
  }
});
