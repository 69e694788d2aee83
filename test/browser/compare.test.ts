// The run comparison panel (media/compare.js) on its own in headless Chromium under its real CSP, with a
// stub host answering from the fixture run folders (test/compare/fixtures/runs, read by the same core and
// host code the extension uses): datasets drawn, canvases not blank, raw curves behind the smoothed ones
// and the key to the line styles, tables (augment in words, run names wrapped at separators), grouping and
// its note when nothing groups, highlight, live appends, exports, the error states, three themes, the Study
// view, the README screenshot (docs/panels/compare.png), the run view ("Open Run": state, config, buttons,
// Resume only for an unfinished run, live) — and the 50 runs × 10,000 points bench.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { COMPARE_RPC, type CompareRun } from '../../src/protocol/compare';
import { RpcServer, type RpcReply } from '../../src/protocol/rpc';
import { encodeFloat32 } from '../../src/protocol/wire';
import { CHANGE_DEBOUNCE_MS, CompareSession, studyToWire } from '../../src/extension/panels/compare/session';
import { writeJson, writeStatus } from '../../src/core/train/runFolder';
import { resolveStudy } from '../../src/core/study/studyConfig';
import { runStudy } from '../../src/core/study/studyRunner';
import { readStudyResult } from '../../src/core/study/studyResult';
import { fakeLauncher, STUDY } from '../study/fakeStudy';
import { FIXTURE_RUNS, syntheticRun, wireRun } from '../compare/fixtureRuns';
import { canvasHasContent, launchBrowser, openPanel, type Panel, type Theme } from './harness';

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

async function fixtureRuns(names: readonly string[]): Promise<CompareRun[]> {
  return Promise.all(names.map((name, i) => wireRun(name, `r${i}`)));
}

/**
 * Opens the panel with a host that sends `runs` on ready and answers COMPARE_RPC's `save` (checked as the
 * host checks it: a malformed export fails the test) with the file "/w/<name>", writing nothing.
 */
async function open(
  runs: readonly CompareRun[],
  options: { theme?: Theme; initialState?: unknown; viewport?: { width: number; height: number } } = {},
): Promise<Panel> {
  return openPanel(browser, {
    bundle: 'compare',
    theme: options.theme,
    initialState: options.initialState,
    viewport: options.viewport,
    answer: async (m) => {
      const replies: RpcReply[] = [];
      if (await new RpcServer(COMPARE_RPC, { save: ({ name }) => `/w/${name}` }, (r) => replies.push(r)).receive(m)) {
        const refused = replies.find((r) => 'error' in r);
        if (refused) throw new Error(`the host refused a request: ${JSON.stringify(refused).slice(0, 300)}`);
        return replies;
      }
      return m.type === 'ready' ? [{ type: 'runs', runs }] : [];
    },
  });
}

/** The labels of the datasets drawn, without the raw (unsmoothed) ones unless `withRaw`. */
const datasetLabels = (panel: Panel, chart: 'loss' | 'accuracy', withRaw = false) =>
  panel.page
    .locator(`figure[data-chart="${chart}"] .dataset-list li${withRaw ? '' : ':not([data-role="raw"])'}`)
    .allTextContents()
    .then((items) => items.map((t) => t.replace(/ \(\d+ points drawn\)$/, '')));

/** A vscode-checkbox's or vscode-single-select's current value, read from the element. */
const checked = (panel: Panel, selector: string) => panel.page.locator(selector).evaluate((e: any) => e.checked as boolean);
const selected = (panel: Panel, selector: string) => panel.page.locator(selector).evaluate((e: any) => e.value as string);

const rowsOf = (panel: Panel, table: string) =>
  panel.page.locator(`${table} tbody tr`).evaluateAll((rows) => rows.map((r: any) => [...r.cells].map((c: any) => c.textContent as string)));

test('compare two finished runs: both charts drawn with train and val curves, the tables filled (three themes)', async () => {
  const runs = await fixtureRuns(['baseline-seed0', 'augmented']);
  for (const theme of ['dark', 'light', 'high-contrast'] as const) {
    const panel = await open(runs, { theme });
    try {
      await panel.page.locator('figure[data-chart="loss"][data-datasets="8"]').waitFor({ timeout: 15_000 });
      for (const chart of ['loss', 'accuracy'] as const) {
        assert.deepEqual(await datasetLabels(panel, chart, true), [
          'baseline-seed0 · train raw',
          'baseline-seed0 · train',
          'baseline-seed0 · val raw',
          'baseline-seed0 · val',
          'augmented · train raw',
          'augmented · train',
          'augmented · val raw',
          'augmented · val',
        ]);
        assert.ok(await canvasHasContent(panel.page, `figure[data-chart="${chart}"] canvas`), `${chart} canvas is blank (${theme})`);
      }
      const best = await rowsOf(panel, '.best-table');
      assert.deepEqual(
        best.map((r) => r[0]),
        ['baseline-seed0', 'augmented'],
      );
      assert.ok(
        best.every((r) => /^\d+\.\d\d%/.test(r[2]!)),
        JSON.stringify(best),
      );
      assert.equal(best.filter((r) => r[2]!.endsWith('★')).length >= 1, true);
      const hyperHeader = await panel.page.locator('.hyper-table thead th').allTextContents();
      assert.ok(hyperHeader.includes('augment') && !hyperHeader.includes('model.kind') && !hyperHeader.includes('name'), hyperHeader.join(', '));
      assert.match((await panel.page.locator('.status').textContent()) ?? '', /^2 runs · \d+ points/);
      await panel.screenshot(`compare-${theme}`);
      assert.deepEqual(panel.consoleErrors, []);
    } finally {
      await panel.close();
    }
  }
});

/** The dataset-list entry of one curve: its data-* attributes (role, split, last point drawn). */
const curveEntry = (panel: Panel, chart: 'loss' | 'accuracy', label: string, role: 'raw' | 'line') =>
  panel.page
    .locator(`figure[data-chart="${chart}"] .dataset-list li[data-role="${role}"]`, { hasText: `${label} (` })
    .evaluate((li: any) => ({ text: li.textContent as string, split: li.dataset.split as string, lastY: Number(li.dataset.lastY) }));

test('the raw values are drawn faintly behind the smoothed curve: the last raw point is the table’s last value; a key names the line styles', async () => {
  const panel = await open(await fixtureRuns(['baseline-seed0', 'augmented']));
  try {
    await panel.page.locator('.best-table tbody tr').first().waitFor({ timeout: 15_000 });
    await panel.page.locator('figure[data-chart="accuracy"][data-datasets]').waitFor();
    assert.ok((await panel.page.locator('figure[data-chart="accuracy"] .dataset-list li[data-role="raw"]').count()) > 0, 'no raw curve drawn');
    // Light smoothing by default (TensorBoard's 0.6 pulls the ends of short curves far off their last value).
    const smoothing = Number(await panel.page.locator('input.smoothing').inputValue());
    assert.ok(smoothing > 0 && smoothing <= 0.3, `default smoothing ${smoothing}`);
    const best = await rowsOf(panel, '.best-table');
    const header = await panel.page.locator('.best-table thead th').allTextContents();
    for (const row of best) {
      const name = row[0]!;
      const valRaw = await curveEntry(panel, 'accuracy', `${name} · val raw`, 'raw');
      assert.equal(valRaw.split, 'val');
      assert.equal(`${(100 * valRaw.lastY).toFixed(2)}%`, row[header.indexOf('last val acc')], `${name}: ${valRaw.text}`);
      const trainRaw = await curveEntry(panel, 'loss', `${name} · train raw`, 'raw');
      assert.equal(Number(trainRaw.lastY.toPrecision(4)).toString(), row[header.indexOf('last train loss')], `${name}: ${trainRaw.text}`);
      // The smoothed line is the one that lags: its end is not the recorded value (that is why raw is drawn).
      const valLine = await curveEntry(panel, 'accuracy', `${name} · val`, 'line');
      assert.notEqual(valLine.lastY, valRaw.lastY, name);
    }
    const legend = () => panel.page.locator('.chart-legend .legend-entry').evaluateAll((es) => es.map((e: any) => e.dataset.style as string));
    assert.deepEqual(await legend(), ['train', 'val', 'raw']);
    // Without val, and then without smoothing: the key and the raw curves follow.
    await panel.page.locator('vscode-checkbox.split-val').click();
    await panel.page.locator('figure[data-chart="loss"][data-datasets="4"]').waitFor();
    assert.deepEqual(await legend(), ['train', 'raw']);
    await panel.page.locator('input.smoothing').fill('0');
    await panel.page.locator('figure[data-chart="loss"][data-datasets="2"]').waitFor();
    assert.equal(await panel.page.locator('.dataset-list li[data-role="raw"]').count(), 0);
    assert.deepEqual(await legend(), ['train']);
    assert.deepEqual(panel.consoleErrors, []);
  } finally {
    await panel.close();
  }
});

test('"group seeds" with nothing to group says so in a note, gone again when unticked', async () => {
  const panel = await open(await fixtureRuns(['baseline-seed0', 'augmented']));
  try {
    await panel.page.locator('.best-table tbody tr').first().waitFor({ timeout: 15_000 });
    assert.equal(await panel.page.locator('.group-note').isVisible(), false);
    await panel.page.locator('vscode-checkbox.group').click();
    await panel.page.locator('.group-note').waitFor({ state: 'visible' });
    assert.match(
      (await panel.page.locator('.group-note').textContent()) ?? '',
      /^Nothing to group: no two runs shown have the same config apart from the seed/,
    );
    await panel.page.locator('vscode-checkbox.group').click();
    await panel.page.locator('.group-note').waitFor({ state: 'hidden' });
    assert.deepEqual(panel.consoleErrors, []);
  } finally {
    await panel.close();
  }
});

test('the tables: augment in words, no config-name column, run names wrapped only at separators', async () => {
  const [baseline, augmented] = await fixtureRuns(['baseline-seed0', 'augmented']);
  const long = { ...augmented!, name: 'augmented_translate_rotate-negation_lr0.01-seed0' };
  const panel = await open([baseline!, long], { viewport: { width: 520, height: 800 } });
  try {
    await panel.page.locator('.hyper-table').waitFor({ timeout: 15_000 });
    const header = await panel.page.locator('.hyper-table thead th').allTextContents();
    assert.ok(!header.includes('name') && !header.includes('description'), header.join(', '));
    const augment = header.indexOf('augment');
    assert.deepEqual(
      (await rowsOf(panel, '.hyper-table')).map((r) => [r[0], r[augment]]),
      [
        ['baseline-seed0', 'none'],
        [long.name, 'translate p 0.5, rotate p 0.5, siren-negation p 0.5'],
      ],
    );
    // Where a run name's line breaks fall: the character before each break must be a separator.
    const breaks = await panel.page.locator('.best-table td:first-child, .hyper-table td:first-child').evaluateAll((cells) =>
      cells.map((cell: any) => {
        const doc = cell.ownerDocument;
        const walker = doc.createTreeWalker(cell, 4 /* NodeFilter.SHOW_TEXT */);
        const chars: { ch: string; top: number }[] = [];
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          for (let i = 0; i < node.data.length; i++) {
            const range = doc.createRange();
            range.setStart(node, i);
            range.setEnd(node, i + 1);
            chars.push({ ch: node.data[i], top: Math.round(range.getBoundingClientRect().top) });
          }
        }
        const text = chars.map((c) => c.ch).join('');
        const before = chars.filter((c, i) => i + 1 < chars.length && chars[i + 1]!.top > c.top).map((c) => c.ch);
        return { text, before };
      }),
    );
    const wrapped = breaks.filter((b) => b.text === long.name);
    assert.equal(wrapped.length, 2);
    assert.ok(
      wrapped.every((b) => b.before.length > 0),
      `the long name should wrap at 520 px: ${JSON.stringify(wrapped)}`,
    );
    for (const b of breaks)
      assert.ok(
        b.before.every((ch) => '-_./ '.includes(ch)),
        `${b.text} breaks after ${JSON.stringify(b.before)}`,
      );
    await panel.screenshot('compare-narrow-tables');
    assert.deepEqual(panel.consoleErrors, []);
  } finally {
    await panel.close();
  }
});

test('the README screenshot (docs/panels/compare.png): three fixture runs, seeds grouped, default smoothing, at 1280×800', async () => {
  const panel = await open(await fixtureRuns(['baseline-seed0', 'baseline-seed1', 'augmented']), { viewport: { width: 1280, height: 800 } });
  try {
    await panel.page.locator('figure[data-chart="loss"][data-datasets="12"]').waitFor({ timeout: 15_000 });
    await panel.page.locator('vscode-checkbox.group').click();
    await panel.page.locator('figure[data-chart="loss"] .dataset-list li[data-role="upper"]').first().waitFor();
    assert.ok(await canvasHasContent(panel.page, 'figure[data-chart="accuracy"] canvas'));
    await panel.screenshot('compare-readme');
    assert.deepEqual(panel.consoleErrors, []);
  } finally {
    await panel.close();
  }
});

test('grouping seeds draws a mean with a ±std band per config; smoothing and grouping are kept in the state', async () => {
  const panel = await open(await fixtureRuns(['baseline-seed0', 'baseline-seed1', 'augmented']));
  try {
    await panel.page.locator('figure[data-chart="loss"][data-datasets="12"]').waitFor({ timeout: 15_000 });
    await panel.page.locator('vscode-checkbox.group').click();
    await panel.page.locator('figure[data-chart="loss"][data-datasets="12"] .dataset-list li[data-role="upper"]').first().waitFor();
    assert.equal(await checked(panel, 'vscode-checkbox.group'), true);
    // Two seeds did group: no "nothing to group" note; the key lists the band.
    assert.equal(await panel.page.locator('.group-note').isVisible(), false);
    assert.ok((await panel.page.locator('.chart-legend .legend-entry').allTextContents()).includes('mean ± std over seeds'));
    assert.deepEqual(await datasetLabels(panel, 'loss'), [
      'baseline (2 seeds) · train − std',
      'baseline (2 seeds) · train + std',
      'baseline (2 seeds) · train mean',
      'baseline (2 seeds) · val − std',
      'baseline (2 seeds) · val + std',
      'baseline (2 seeds) · val mean',
      'augmented · train',
      'augmented · val',
    ]);
    assert.ok(await canvasHasContent(panel.page, 'figure[data-chart="accuracy"] canvas'));
    await panel.page.locator('input.smoothing').fill('0.9');
    await panel.page.locator('input.smoothing').dispatchEvent('change');
    assert.equal(await panel.page.locator('.smoothing-value').textContent(), '0.90');
    assert.deepEqual(await panel.state(), { axis: 'step', splits: ['train', 'val'], smoothing: 0.9, grouped: true, hidden: [] });
    await panel.screenshot('compare-grouped');
    // The val checkbox and the axis select drive the charts and the saved state too.
    await panel.page.locator('vscode-checkbox.split-val').click();
    await panel.page.locator('figure[data-chart="loss"][data-datasets="6"]').waitFor();
    await panel.page.locator('vscode-single-select.axis').evaluate((e: any) => {
      e.value = 'time';
      e.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await panel.page.locator('figure[data-chart="loss"] canvas[aria-label^="Loss over wall time (s)"]').waitFor();
    assert.deepEqual(await panel.state(), { axis: 'time', splits: ['train'], smoothing: 0.9, grouped: true, hidden: [] });
    assert.deepEqual(panel.consoleErrors, []);
  } finally {
    await panel.close();
  }
  // Shown again: the saved state comes back.
  const again = await open(await fixtureRuns(['baseline-seed0', 'baseline-seed1']), {
    initialState: { axis: 'epoch', splits: ['val'], smoothing: 0, grouped: true, hidden: [] },
  });
  try {
    await again.page.locator('figure[data-chart="loss"][data-datasets="3"]').waitFor({ timeout: 15_000 });
    assert.equal(await selected(again, 'vscode-single-select.axis'), 'epoch');
    assert.equal(await checked(again, 'vscode-checkbox.split-train'), false);
    assert.equal(await checked(again, 'vscode-checkbox.split-val'), true);
    assert.equal(await checked(again, 'vscode-checkbox.group'), true);
  } finally {
    await again.close();
  }
});

test('clicking a curve highlights its run; hiding a run removes its curves and table rows', async () => {
  const panel = await open(await fixtureRuns(['baseline-seed0', 'augmented']));
  try {
    await panel.page.locator('figure[data-chart="loss"][data-datasets="8"]').waitFor({ timeout: 15_000 });
    const box = (await panel.page.locator('figure[data-chart="loss"] canvas').boundingBox())!;
    await panel.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await panel.page.locator('.run.highlighted').waitFor();
    assert.equal(await panel.page.locator('.run.highlighted').count(), 1);
    assert.match((await panel.page.locator('.status').textContent()) ?? '', /highlighted: (baseline-seed0|augmented)/);
    await panel.page.locator('.run', { hasText: 'augmented' }).locator('vscode-button.run-name').click();
    assert.match((await panel.page.locator('.run.highlighted').textContent()) ?? '', /augmented/);
    // The highlighted run's button is the primary one, the others secondary.
    assert.deepEqual(await panel.page.locator('vscode-button.run-name').evaluateAll((bs) => bs.map((b: any) => `${b.textContent}:${b.secondary}`)), [
      'baseline-seed0:true',
      'augmented:false',
    ]);
    await panel.page.locator('.run', { hasText: 'augmented' }).locator('vscode-checkbox.show-run').click();
    await panel.page.locator('figure[data-chart="loss"][data-datasets="4"]').waitFor();
    assert.deepEqual(
      (await rowsOf(panel, '.best-table')).map((r) => r[0]),
      ['baseline-seed0'],
    );
    assert.deepEqual(panel.consoleErrors, []);
  } finally {
    await panel.close();
  }
});

test('live: records the host appends to a running run are drawn and counted', async () => {
  const runs = await fixtureRuns(['augmented']);
  const panel = await open(runs);
  try {
    await panel.page.locator('figure[data-chart="loss"][data-datasets="4"]').waitFor({ timeout: 15_000 });
    const trainLine = panel.page.locator('figure[data-chart="loss"] .dataset-list li[data-role="line"][data-split="train"]');
    const before = await trainLine.textContent();
    const f = (values: number[]) => encodeFloat32(Float32Array.from(values));
    const none = { step: f([]), epoch: f([]), time: f([]), loss: f([]), accuracy: f([]) };
    await panel.post({
      type: 'append',
      id: 'r0',
      state: 'running',
      summary: null,
      metrics: {
        train: { step: f([9000, 9010]), epoch: f([9, 9]), time: f([500, 501]), loss: f([0.1, 0.09]), accuracy: f([0.99, 0.99]) },
        val: none,
        test: none,
      },
    });
    await panel.page.locator('.status', { hasText: '1 running (live)' }).waitFor();
    const after = await trainLine.textContent();
    const count = (t: string | null) => Number(/\((\d+) points drawn\)/.exec(t ?? '')?.[1]);
    assert.equal(count(after), count(before) + 2);
    assert.match((await panel.page.locator('.run .state').textContent()) ?? '', /running/);
  } finally {
    await panel.close();
  }
});

test('export: the PNG is a data URL of both charts, the CSV holds the tables; the answer shows', async () => {
  const panel = await open(await fixtureRuns(['baseline-seed0', 'augmented']));
  try {
    await panel.page.locator('figure[data-chart="loss"][data-datasets="8"]').waitFor({ timeout: 15_000 });
    await panel.page.locator('vscode-button.export-png').click();
    const png = (await panel.waitForMessage((m) => m.rpc === 'request' && m.method === 'save' && m.params.format === 'png')).params;
    assert.match(png.name, /^run-comparison-[\d-]+\.png$/);
    const bytes = Buffer.from(png.data.slice('data:image/png;base64,'.length), 'base64');
    assert.deepEqual([...bytes.subarray(1, 4)], [0x50, 0x4e, 0x47]);
    assert.ok(bytes.length > 10_000, `${bytes.length} bytes`);
    await panel.page.locator('.status', { hasText: `Saved /w/${png.name}` }).waitFor();
    await panel.page.locator('vscode-button.export-csv').click();
    const csv = (await panel.waitForMessage((m) => m.rpc === 'request' && m.method === 'save' && m.params.format === 'csv')).params;
    const lines = csv.data.trim().split('\r\n');
    assert.equal(lines.length, 3);
    assert.match(lines[0], /^run,state,best val accuracy,/);
    assert.match(lines[2], /^augmented,done,0\.\d+,\d+,/);
    await panel.page.locator('.status', { hasText: `Saved /w/${csv.name}` }).waitFor();
    assert.deepEqual(panel.consoleErrors, []);
  } finally {
    await panel.close();
  }
});

test('error states: a run that could not be read is listed with its error; a host error shows the error box', async () => {
  const panel = await open(await fixtureRuns(['augmented']).then(async (good) => [...good, await brokenRun()]));
  try {
    await panel.page.locator('.run-error[role="alert"]').waitFor({ timeout: 15_000 });
    assert.match((await panel.page.locator('.run-error').textContent()) ?? '', /bad-run-folder: .*line 2 is not a metric record/);
    assert.equal(await panel.page.locator('figure[data-chart="loss"]').getAttribute('data-datasets'), '4');
    await panel.post({ type: 'error', error: { code: 'no-runs', file: '/w/runs', message: 'None of the runs could be read.' } });
    await panel.page.locator('.error-box[role="alert"]').waitFor();
    assert.match((await panel.page.locator('.error-message').textContent()) ?? '', /None of the runs/);
    await panel.screenshot('compare-error');
    await panel.page.locator('.error-box vscode-button.retry').click();
    await panel.waitForMessage((m) => m.type === 'ready' && panel.received.filter((x) => x.type === 'ready').length === 2);
  } finally {
    await panel.close();
  }
});

/** The "broken" fixture as the host session sends it (with its error). */
async function brokenRun(): Promise<CompareRun> {
  const posted: any[] = [];
  const session = new CompareSession(
    {
      post: (m) => posted.push(m),
      askSavePath: async () => undefined,
      pickRuns: async () => undefined,
      runsChanged: () => undefined,
      studyShown: () => undefined,
      execute: async () => undefined,
      log: () => undefined,
    },
    [join(FIXTURE_RUNS, 'broken')],
  );
  await session.receive({ type: 'ready' });
  return { ...posted[0].runs[0], id: 'r1' };
}

test('bench: 50 runs × 10,000 points — time to draw, to re-smooth, to group', async () => {
  const RUNS = 50;
  const STEPS = 10_000;
  const runs = Array.from({ length: RUNS }, (_, i) =>
    syntheticRun(`r${i}`, `run-${String(Math.floor(i / 5)).padStart(2, '0')}-seed${i % 5}`, STEPS, i % 5, { 'optimizer.lr': Math.floor(i / 5) / 100 }),
  );
  const megabytes = JSON.stringify(runs).length / 1e6;
  const panel = await open(runs, { initialState: { axis: 'step', splits: ['train', 'val'], smoothing: 0.6, grouped: false, hidden: [] } });
  try {
    const t0 = Date.now();
    // Smoothing is on: each run's train and val lines and their raw curves.
    await panel.page.locator(`figure[data-chart="loss"][data-datasets="${4 * RUNS}"]`).waitFor({ timeout: 60_000 });
    const firstMs = Date.now() - t0;
    const renderMs = async () => Number(await panel.page.locator('main.compare').getAttribute('data-render-ms'));
    const firstRender = await renderMs();
    const renders = async () => Number(await panel.page.locator('main.compare').getAttribute('data-renders'));
    const timing = () =>
      panel.page.locator('figure[data-chart]').evaluateAll((figures) => figures.map((f: any) => `${f.dataset.chart}: ${f.dataset.timing}`).join('; '));
    const firstTiming = await timing();
    const resmooth: number[] = [];
    const resmoothTiming: string[] = [];
    for (const w of ['0.9', '0.3', '0.99', '0']) {
      const n = await renders();
      await panel.page.locator('input.smoothing').fill(w);
      await panel.page.waitForFunction((k) => Number((globalThis as any).document.querySelector('main.compare').dataset.renders) > k, n);
      resmooth.push(await renderMs());
      resmoothTiming.push(await timing());
    }
    const n = await renders();
    await panel.page.locator('vscode-checkbox.group').click();
    await panel.page.waitForFunction((k) => Number((globalThis as any).document.querySelector('main.compare').dataset.renders) > k, n);
    const groupMs = await renderMs();
    const groupTiming = await timing();
    const drawn = await panel.page.locator('figure[data-chart="loss"] .dataset-list li').allTextContents();
    const points = drawn.map((t) => Number(/\((\d+) points drawn\)/.exec(t)?.[1]));
    assert.ok(await canvasHasContent(panel.page, 'figure[data-chart="loss"] canvas'));
    await panel.screenshot('compare-bench-50x10000');
    console.log(
      `      bench: ${RUNS} runs × ${STEPS.toLocaleString('en-US')} train points (+${STEPS / 100} val each), message ${megabytes.toFixed(1)} MB; ` +
        `first draw ${firstMs} ms from the host's message (render ${firstRender} ms); re-smooth ${resmooth.join(' / ')} ms; ` +
        `group into ${RUNS / 5} configs ${groupMs} ms; at most ${Math.max(...points)} points drawn per curve after decimation\n` +
        `      first render: ${firstTiming}\n      re-smooth: ${resmoothTiming.join('\n                 ')}\n      grouped: ${groupTiming}`,
    );
    assert.ok(Math.max(...resmooth) < 5000, `re-smoothing took ${Math.max(...resmooth)} ms`);
    assert.deepEqual(panel.consoleErrors, []);
  } finally {
    await panel.close();
  }
});

test('the Study view: accuracy against size per condition, live updates, and a click on a point or its cell opens its runs', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wslab-study-view-'));
  const study = await resolveStudy(STUDY, join(dir, 'fake.study.wslab.json'));
  const out = join(dir, 'fake');
  // Half the runs finished first (a study under way), then all of them.
  const controller = new AbortController();
  let launched = 0;
  const launch = fakeLauncher([]);
  await runStudy({
    study,
    out,
    signal: controller.signal,
    launch: (run, signal, onEvent) => (++launched > 9 ? (controller.abort(), Promise.reject(new Error('stopped'))) : launch(run, signal, onEvent)),
  }).catch(() => undefined);
  const partial = studyToWire((await readStudyResult(out))!);
  const complete = studyToWire(await runStudy({ study, out, launch }));
  assert.equal(partial.runsFinished, 9);

  const panel = await openPanel(browser, {
    bundle: 'compare',
    answer: (m) =>
      m.type === 'ready'
        ? [
            { type: 'runs', runs: [] },
            { type: 'study', study: partial },
          ]
        : [],
  });
  try {
    await panel.page.locator('.compare[data-view="study"] .study[data-curves="2"]').waitFor({ timeout: 15_000 });
    assert.match((await panel.page.locator('.study-status').textContent()) ?? '', /^9 of 18 runs finished \(live\)/);
    // Only the points with finished runs are drawn: every none point, none of aug's yet.
    const drawn = await panel.page.locator('.study .dataset-list li').allTextContents();
    assert.deepEqual(
      drawn.map((t) => t.replace(/:.*/, '')),
      ['none at 100', 'none at 400', 'none at 1,600'],
    );
    await panel.post({ type: 'study', study: complete });
    await panel.page.locator('.study-status', { hasText: 'complete: 18 runs' }).waitFor();
    const points = await panel.page.locator('.study .dataset-list li').allTextContents();
    assert.equal(points.length, 6);
    for (const curve of complete.curves) {
      for (const p of curve.points)
        assert.ok(
          points.includes(`${curve.label} at ${p.size.toLocaleString('en-US')}: ${(100 * p.mean!).toFixed(2)}% ± ${(100 * p.std!).toFixed(2)} (3 runs)`),
          JSON.stringify(points),
        );
    }
    assert.ok(await canvasHasContent(panel.page, '.study-chart canvas'));
    // The augmented curve is worth 2× the data (the fake study's law): the table says so where it can tell.
    assert.match(
      (await panel.page.locator('.study-table tbody tr', { hasText: 'aug' }).textContent()) ?? '',
      /worth ≈ 200 \(2\.0×\).*worth ≈ 800 \(2\.0×\).*worth > 1,600/,
    );
    await panel.screenshot('study-view');

    // A click on a drawn point asks the host for that point's runs.
    const where = JSON.parse((await panel.page.locator('.study-chart').getAttribute('data-points'))!) as {
      curve: string;
      size: number;
      x: number;
      y: number;
    }[];
    const target = where.find((p) => p.curve === 'aug' && p.size === 400)!;
    const box = (await panel.page.locator('.study-chart canvas').boundingBox())!;
    await panel.page.mouse.click(box.x + target.x, box.y + target.y);
    assert.deepEqual(await panel.waitForMessage((m) => m.type === 'openStudyPoint'), { type: 'openStudyPoint', curve: 'aug', size: 400 });
    // So does its table cell (a button: the keyboard's way).
    await panel.page.locator('button.study-point[data-curve="none"][data-size="1600"]').click();
    await panel.waitForMessage((m) => m.type === 'openStudyPoint' && m.curve === 'none' && m.size === 1600);
    // The host then shows the runs view; the tabs switch back.
    await panel.post({ type: 'view', view: 'runs' });
    await panel.page.locator('.compare[data-view="runs"]').waitFor();
    await panel.page.locator('vscode-button.view-study').click();
    await panel.page.locator('.compare[data-view="study"]').waitFor();
    assert.deepEqual(panel.consoleErrors, []);
  } finally {
    await panel.close();
  }
});

/**
 * A run view on a copy of a fixture run: the real host session (`runView: true`) answers the panel, and
 * the commands its buttons run are recorded. `prepare` changes the copy first (status, checkpoints).
 */
async function openRunView(name: string, prepare: (dir: string) => Promise<void>) {
  const root = mkdtempSync(join(tmpdir(), 'wslab-run-view-'));
  const dir = join(root, name);
  await cp(join(FIXTURE_RUNS, name), dir, { recursive: true });
  await prepare(dir);
  const outbox: unknown[] = [];
  const executed: [string, unknown[]][] = [];
  const session = new CompareSession(
    {
      post: (m) => outbox.push(m),
      askSavePath: async () => undefined,
      pickRuns: async () => undefined,
      runsChanged: () => undefined,
      studyShown: () => undefined,
      execute: async (command, args) => executed.push([command, [...args]]),
      log: () => undefined,
    },
    [dir],
    { runView: true },
  );
  // What the session is still doing with the page's messages (a button's command runs after the message arrived).
  let handling: Promise<unknown> = Promise.resolve();
  const panel = await openPanel(browser, {
    bundle: 'compare',
    answer: async (m) => {
      const handled = session.receive(m);
      handling = Promise.all([handling, handled]);
      await handled;
      return outbox.splice(0);
    },
  });
  /** Resolves once the session has handled every message the page sent so far. */
  const handled = () => handling;
  /** The run changed on disk: the session's debounced read, delivered to the page. */
  const changed = async () => {
    session.runChanged(dir);
    await new Promise((r) => setTimeout(r, CHANGE_DEBOUNCE_MS + 50));
    await session.idle();
    for (const m of outbox.splice(0)) await panel.post(m);
  };
  const close = async () => {
    session.dispose();
    await panel.close();
    await rm(root, { recursive: true, force: true });
  };
  return { dir, panel, executed, handled, changed, close };
}

const visible = (panel: Panel, selector: string) => panel.page.locator(selector).first().isVisible();

test('a run view on a finished run: state, epochs, key hyper-parameters and config.json; Compare with… and Open checkpoint post their notices; no Resume', async () => {
  const view = await openRunView('augmented', async (dir) => {
    await writeFile(join(dir, 'best.safetensors'), 'x');
    await writeFile(join(dir, 'last.safetensors'), 'x');
  });
  const { panel, dir } = view;
  try {
    await panel.page.locator('.compare[data-mode="run"] .run-title').waitFor({ timeout: 15_000 });
    await panel.page.locator('figure[data-chart="loss"][data-datasets="4"]').waitFor();
    const summary = JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8')) as { epochs: number; epochsDone: number };
    const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as { dataset: string; model: { kind: string }; optimizer: { lr: number } };
    assert.equal(await panel.page.locator('.run-title').textContent(), 'augmented');
    assert.equal(await panel.page.locator('.run-facts .state').textContent(), 'done');
    assert.equal(await panel.page.locator('.run-epochs').textContent(), `epoch ${summary.epochsDone} of ${summary.epochs}`);
    // The curves and the best/last table of this one run; nothing only a comparison needs.
    assert.ok(await canvasHasContent(panel.page, 'figure[data-chart="accuracy"] canvas'));
    assert.deepEqual(
      (await rowsOf(panel, '.best-table')).map((r) => r[0]),
      ['augmented'],
    );
    for (const hidden of ['.runs', '.hyper', 'vscode-button.add-runs', 'vscode-checkbox.group'])
      assert.equal(await visible(panel, hidden), false, `${hidden} is shown in a run view`);
    // Key hyper-parameters from its config, the dataset by its folder name (the path on hover).
    const config0 = Object.fromEntries((await rowsOf(panel, '.config-table')).map(([k, v]) => [k, v]));
    assert.equal(config0['model.kind'], config.model.kind);
    assert.equal(config0['optimizer.lr'], String(config.optimizer.lr));
    assert.equal(config0['dataset'], config.dataset.split('/').pop());
    assert.match(config0['augment']!, /^translate p 0\.5, rotate p 0\.5/);
    assert.ok(!('name' in config0) && !('optimizer.beta1' in config0), Object.keys(config0).join(', '));
    // The whole config.json one click away, read-only.
    assert.equal(await visible(panel, '.config-text'), false);
    await panel.page.locator('.config-json summary').click();
    assert.equal(await visible(panel, '.config-text'), true);
    assert.deepEqual(JSON.parse((await panel.page.locator('.config-text').textContent())!), config);
    // Buttons: no Resume for a finished run; the others post their notice, which the host turns into a command.
    assert.equal(await panel.page.locator('vscode-button.resume-run').count(), 0);
    assert.deepEqual(await panel.page.locator('.run-actions vscode-button').allTextContents(), [
      'Compare with…',
      'Open best checkpoint',
      'Open last checkpoint',
      'Evaluate…',
    ]);
    await panel.page.locator('vscode-button.compare-with').click();
    assert.deepEqual(await panel.waitForMessage((m) => m.type === 'compareWith'), { type: 'compareWith' });
    await panel.page.locator('vscode-button.open-best').click();
    assert.deepEqual(await panel.waitForMessage((m) => m.type === 'openCheckpoint'), { type: 'openCheckpoint', checkpoint: 'best' });
    await panel.page.locator('vscode-button.open-last').click();
    await panel.waitForMessage((m) => m.type === 'openCheckpoint' && m.checkpoint === 'last');
    await panel.page.locator('vscode-button.evaluate-run').click();
    await panel.waitForMessage((m) => m.type === 'evaluateRun');
    await view.handled();
    assert.deepEqual(view.executed, [
      ['weightSpaceLab.compareRuns', [{ runs: [dir], pick: true }]],
      ['weightSpaceLab.inspectWeightFile', [join(dir, 'best.safetensors')]],
      ['weightSpaceLab.inspectWeightFile', [join(dir, 'last.safetensors')]],
      ['weightSpaceLab.evaluateRun', [dir]],
    ]);
    await panel.screenshot('run-view-dark');
    assert.deepEqual(panel.consoleErrors, []);
  } finally {
    await view.close();
  }
});

test('a run view on a cancelled run offers Resume (no checkpoint yet: says so); live, it follows the run as it trains again', async () => {
  const view = await openRunView('baseline-seed0', (dir) => writeStatus(dir, 'cancelled', 'cancelled by the user'));
  const { panel, dir } = view;
  try {
    await panel.page.locator('vscode-button.resume-run').waitFor({ timeout: 15_000 });
    assert.equal(await panel.page.locator('.run-facts .state').textContent(), 'cancelled');
    assert.equal(await panel.page.locator('.run-facts .reason').textContent(), 'cancelled by the user');
    assert.equal(await panel.page.locator('vscode-button.open-checkpoint').count(), 0);
    assert.equal(await panel.page.locator('vscode-button.evaluate-run').count(), 0, 'nothing to evaluate without a checkpoint');
    assert.equal(await visible(panel, '.no-checkpoint'), true);
    await panel.page.locator('vscode-button.resume-run').click();
    assert.deepEqual(await panel.waitForMessage((m) => m.type === 'resumeRun'), { type: 'resumeRun' });
    await view.handled();
    assert.deepEqual(view.executed, [['weightSpaceLab.resume', [{ kind: 'run', path: dir, label: 'baseline-seed0' }]]]);
    // Resumed (this process stands in for the trainer): running, Resume gone, and best.safetensors appears.
    await writeJson(dir, 'status', { state: 'running', updated: '', pid: process.pid });
    await writeFile(join(dir, 'best.safetensors'), 'x');
    await view.changed();
    await panel.page.locator('.run-facts .state', { hasText: 'running' }).waitFor();
    assert.equal(await panel.page.locator('vscode-button.resume-run').count(), 0);
    assert.equal(await panel.page.locator('vscode-button.open-best').count(), 1);
    assert.match((await panel.page.locator('.status').textContent()) ?? '', /1 running \(live\)/);
    assert.deepEqual(panel.consoleErrors, []);
  } finally {
    await view.close();
  }
});
