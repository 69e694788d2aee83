// The study report (report.html, written by every study) in headless Chromium: it loads nothing (every
// request is refused and none may be made), the plot draws one marker per point with finished runs, and the
// tables render. Screenshot: test-results/browser/study-report.png (docs/panels/study-report.png).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { resolveStudy } from '../../src/core/study/studyConfig';
import { runStudy } from '../../src/core/study/studyRunner';
import { fakeLauncher, STUDY } from '../study/fakeStudy';
import { launchBrowser } from './harness';

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test('report.html renders on its own: the plot has every point, the tables every curve, and nothing is fetched', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wslab-study-report-browser-'));
  const study = await resolveStudy(STUDY, join(dir, 'sizes.study.wslab.json'));
  const result = await runStudy({ study, out: join(dir, 'sizes'), launch: fakeLauncher([]) });
  const html = readFileSync(join(dir, 'sizes', 'report.html'), 'utf8');
  const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await page.setContent(html, { waitUntil: 'load' });
    assert.deepEqual(requests, [], 'the report fetched something');
    assert.deepEqual(errors, []);
    assert.equal(await page.title(), 'sizes: study');
    const points = result.curves.reduce((n, c) => n + c.points.filter((p) => p.mean !== null).length, 0);
    assert.equal(await page.locator('svg circle').count(), points);
    const box = await page.locator('svg').first().boundingBox();
    assert.ok(box && box.width > 500 && box.height > 300, JSON.stringify(box));
    const rows = await page.locator('table').nth(0).locator('tbody tr th').allTextContents();
    assert.deepEqual(
      rows,
      result.curves.map((c) => c.label),
    );
    assert.match((await page.locator('table').nth(1).textContent()) ?? '', /≈ 200 \(2\.0×\)/);
    mkdirSync(join(__dirname, '..', '..', 'test-results', 'browser'), { recursive: true });
    await page.screenshot({ path: join(__dirname, '..', '..', 'test-results', 'browser', 'study-report.png'), fullPage: true });
  } finally {
    await page.close();
  }
});
