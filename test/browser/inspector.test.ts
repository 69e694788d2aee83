// The inspector panel on its own in headless Chromium (test/browser/harness.ts), under the real CSP. The
// stub host answers the real protocol from fixture files with the inspector's own engine (the code the
// worker thread runs): requests through an RpcServer of INSPECTOR_RPC (so each is checked as the host
// checks it, and a malformed one fails the test), notices through the host's checkInspectorNotice. Checked: the table
// (rows, lazily filled statistics, sorting, filtering), the histogram's datasets, the heatmap and the
// reconstruction drawn (canvases not blank), a shard's thumbnails and labels (and a shard of 3-D INRs,
// drawn as their surfaces), the diff, the error state, and the layout at 1280×800 (a shard's table on the
// first screen and staying there when a tensor is selected; long names and NaN/Inf without horizontal scrolling).
// Screenshots go to test-results/browser/inspector-*.png; inspector-readme.png is docs/panels/inspector.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { InspectEngine } from '../../src/core/inspect/engine';
import { LabError, toErrorInfo } from '../../src/core/labError';
import { inspectWeightFile } from '../../src/core/inspect/report';
import { checkInspectorNotice, INSPECTOR_RPC, toWireReconstruction, toWireValues, type HostToInspector, type InspectorRpc } from '../../src/protocol';
import { RpcServer, type Handlers, type RpcReply } from '../../src/protocol/rpc';
import { formatNumber } from '../../src/protocol/display';
import { fixturePath } from '../helpers/fixtures';
import { tinyDataset, tinyShapesDataset } from '../helpers/tinyDataset';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { writeWeightSet } from '../../src/core/formats/registry';
import { WeightSet } from '../../src/core/weights/weightSet';
import { readManifest } from '../../src/core/dataset/manifest';
import { canvasHasContent, launchBrowser, openPanel, type Panel, type Theme } from './harness';

const SIREN = fixturePath('safetensors', 'siren.safetensors');
const SIREN_PTH = fixturePath('torch', 'siren.pth');
/** The SIREN fitted by PyTorch that the README's examples use. */
const SAMPLE = join(resolve(__dirname, '..', '..'), 'samples', 'siren-sample.pth');
const SHARD = fixturePath('dataset', 'tiny', 'shards', '00000.safetensors');

/** The window the layout must fit: a 1280×800 screen. */
const SCREEN = { width: 1280, height: 800 };

let browser: Browser;
const engines: InspectEngine[] = [];
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await Promise.all(engines.map((e) => e.close()));
});

/** A stub host for `file`: the host's answers, computed by the engine in this process. */
function stubHost(file: string, other?: string): (message: unknown) => Promise<Array<HostToInspector | RpcReply>> {
  const open = (path: string) => InspectEngine.open(path).then((e) => (engines.push(e), e));
  const main = open(file);
  main.catch(() => undefined); // a file that fails to open is answered with its error on 'ready'
  let otherEngine: Promise<InspectEngine> | undefined;
  const otherFile = () => otherEngine ?? Promise.reject(new LabError('invalid-request', 'no file to compare with was picked'));
  const handlers: Handlers<InspectorRpc> = {
    tensorStats: async ({ name }) => (await main).tensorStats(name),
    tensorValues: async ({ name, bins }) => toWireValues(await (await main).tensorValues(name, bins)),
    reconstruct: async ({ source, index, resolution, view }) => {
      const engine = source === 'file' ? await main : await otherFile();
      return toWireReconstruction(await engine.reconstruct(index, resolution, view ?? undefined), source);
    },
    pickDiffFile: async () => {
      if (!other) return null;
      otherEngine = open(other);
      return (await otherEngine).header;
    },
    diff: async () => (await main).diff(await otherFile()),
  };
  return async (raw) => {
    // One server per message, so that its one reply is what this call returns.
    const replies: RpcReply[] = [];
    if (await new RpcServer(INSPECTOR_RPC, handlers, (reply) => replies.push(reply), file).receive(raw)) {
      const refused = replies.find((r) => 'error' in r && r.error.code === 'bad-message');
      if (refused) throw new Error(`the webview sent a malformed request: ${JSON.stringify(refused)}`);
      return replies;
    }
    const m = checkInspectorNotice(raw);
    if (m.type === 'ready' || m.type === 'refresh') {
      try {
        return [{ type: 'header', header: (await main).header }];
      } catch (e) {
        return [{ type: 'error', error: toErrorInfo(e, file) }];
      }
    }
    return []; // closeDiff
  };
}

async function open(file: string, theme: Theme = 'dark', other?: string): Promise<Panel> {
  return openPanel(browser, { bundle: 'inspector', theme, viewport: { width: 1280, height: 1000 }, answer: stubHost(file, other) });
}

async function eventually(probe: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Picks a resolution in the vscode-single-select's list; checks it is rendered, asked for and saved. */
async function chooseResolution(panel: Panel, size: number): Promise<void> {
  const resolution = panel.page.locator('vscode-single-select.resolution');
  await resolution.click();
  await resolution.getByRole('option', { name: `${size}×${size}`, exact: true }).click();
  await panel.page.locator(`canvas.reconstruction[data-width="${size}"]`).waitFor({ timeout: 10_000 });
  assert.equal(await resolution.evaluate((select) => (select as unknown as { value: string }).value), String(size));
  assert.equal(((await panel.state()) as { inr: { resolution: number } }).inr.resolution, size);
  assert.ok(
    panel.received.some((m) => m.rpc === 'request' && m.method === 'reconstruct' && m.params.resolution === size),
    `the host was asked for ${size}×${size}`,
  );
}

const cellsOf = (panel: Panel, column: number) => panel.page.locator(`table.tensors tbody tr td:nth-child(${column})`).allTextContents();

for (const theme of ['dark', 'light', 'high-contrast'] as const) {
  test(`a SIREN file (${theme}): table with statistics, histogram, heatmap, norms and reconstruction`, async () => {
    const report = await inspectWeightFile(SIREN);
    const panel = await open(SIREN, theme);
    try {
      await panel.page.locator('table.tensors tbody tr').first().waitFor({ timeout: 10_000 });
      assert.equal(await panel.page.locator('h1.file-name').textContent(), 'siren.safetensors');
      assert.match((await panel.page.locator('.summary').textContent()) ?? '', /safetensors · 6 tensors · 1,185 parameters/);
      assert.deepEqual(
        await cellsOf(panel, 1),
        report.tensors.map((t) => t.name),
      );
      assert.deepEqual(await panel.page.locator('table.tensors thead th').allTextContents(), [
        'Name',
        'dtype',
        'Shape',
        '#params',
        'Min',
        'Max',
        'Mean',
        'Std',
        'Zeros',
        'NaN/Inf',
      ]);
      // Statistics arrive one tensor at a time; in the end every row shows the report's numbers.
      await eventually(async () => !(await cellsOf(panel, 5)).includes('…'), 'every row to get its statistics');
      assert.deepEqual(
        await cellsOf(panel, 5),
        report.tensors.map((t) => formatNumber(t.min)),
      );
      assert.deepEqual(
        await cellsOf(panel, 8),
        report.tensors.map((t) => formatNumber(t.std)),
      );

      // The INR: rendered by the host, drawn on a canvas, labelled from the file's metadata.
      await panel.page.locator('canvas.reconstruction[data-width="64"]').waitFor({ timeout: 10_000 });
      assert.ok(await canvasHasContent(panel.page, 'canvas.reconstruction'), 'the reconstruction is not blank');
      assert.match((await panel.page.locator('.inr .inr-label').textContent()) ?? '', /label 7/);
      await chooseResolution(panel, 128);

      await panel.page.locator('table.tensors tbody tr', { hasText: 'seq.1.weight' }).click();
      const histogram = panel.page.locator('.histogram canvas');
      await histogram.waitFor({ timeout: 10_000 });
      assert.equal(await histogram.getAttribute('data-bins'), '64');
      assert.equal(await histogram.getAttribute('data-total'), '1024');
      assert.ok(await canvasHasContent(panel.page, '.histogram canvas'), 'the histogram is drawn');
      assert.equal(await panel.page.locator('canvas.heatmap-canvas').getAttribute('data-rows'), '32');
      assert.ok(await canvasHasContent(panel.page, 'canvas.heatmap-canvas'), 'the heatmap is not blank');
      assert.equal(await panel.page.locator('.norms canvas').count(), 2);
      assert.equal(await panel.page.locator('table.tensors tbody tr[aria-selected="true"] td').first().textContent(), 'seq.1.weight');

      // Hovering the heatmap reads out the cell under the pointer.
      const box = (await panel.page.locator('canvas.heatmap-canvas').boundingBox())!;
      await panel.page.mouse.move(box.x + 2, box.y + 2);
      assert.match((await panel.page.locator('.heatmap-readout').textContent()) ?? '', /^\[0, 0\] = /);
      await panel.page.mouse.move(0, 0);

      await panel.screenshot(`inspector-${theme}`);
      assert.deepEqual(panel.consoleErrors, []);
    } finally {
      await panel.close();
    }
  });
}

test('the README screenshot (docs/panels/inspector.png): a SIREN fitted by PyTorch at 128×128, dark theme, 1280×800', async () => {
  const panel = await openPanel(browser, { bundle: 'inspector', theme: 'dark', viewport: SCREEN, answer: stubHost(SAMPLE) });
  try {
    await eventually(async () => (await cellsOf(panel, 5)).length === 6 && !(await cellsOf(panel, 5)).includes('…'), 'statistics');
    await chooseResolution(panel, 128);
    assert.ok(await canvasHasContent(panel.page, 'canvas.reconstruction'), 'the reconstruction is not blank');
    await panel.page.locator('table.tensors tbody tr', { hasText: 'seq.1.weight' }).click();
    await panel.page.locator('.norms canvas').nth(1).waitFor({ timeout: 10_000 });
    const box = (await panel.page.locator('canvas.heatmap-canvas').boundingBox())!;
    await panel.page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.2);
    assert.match((await panel.page.locator('.heatmap-readout').textContent()) ?? '', /^\[\d+, \d+\] = /);
    await panel.screenshot('inspector-readme');
    assert.deepEqual(panel.consoleErrors, []);
  } finally {
    await panel.close();
  }
});

test('sorting by a column and filtering the table', async () => {
  const report = await inspectWeightFile(SIREN);
  const panel = await open(SIREN);
  try {
    await eventually(async () => (await cellsOf(panel, 5)).length === 6 && !(await cellsOf(panel, 5)).includes('…'), 'statistics');
    await panel.page.locator('table.tensors thead th button', { hasText: 'Max' }).click();
    assert.equal(await panel.page.locator('table.tensors thead th[aria-sort="ascending"]').textContent(), 'Max');
    // Ties keep file order in both directions (the SIREN's biases may share their maximum).
    const sorted = (sign: number) => [...report.tensors].sort((a, b) => sign * (a.max! - b.max!)).map((t) => t.name);
    assert.deepEqual(await cellsOf(panel, 1), sorted(1));
    await panel.page.locator('table.tensors thead th button', { hasText: 'Max' }).click();
    assert.deepEqual(await cellsOf(panel, 1), sorted(-1));
    assert.notDeepEqual(sorted(1), sorted(-1));
    // The filter is a vscode-textfield: typing goes into the input inside its (open) shadow root.
    await panel.page.locator('vscode-textfield.filter input').fill('bias');
    assert.deepEqual((await cellsOf(panel, 1)).sort(), ['seq.0.bias', 'seq.1.bias', 'seq.2.bias']);
    assert.equal(await panel.page.locator('.filter-count').textContent(), '3 of 6');
    const saved = (await panel.state()) as { filter: string; order: { key: string } };
    assert.equal(saved.filter, 'bias');
    assert.equal(saved.order.key, 'max');
    // Refresh (a vscode-button) asks the host to read the file again.
    await panel.page.locator('vscode-button.refresh').click();
    await panel.waitForMessage((m) => m.type === 'refresh');
    assert.deepEqual(panel.consoleErrors, []);
  } finally {
    await panel.close();
  }
});

test('a dataset shard: a thumbnail per INR, choosing one renders it with its label and filters the table', async () => {
  const panel = await open(SHARD);
  try {
    const thumbnails = panel.page.locator('.thumbnails button.thumbnail');
    await eventually(async () => (await thumbnails.count()) === 2, 'two thumbnails');
    await eventually(() => canvasHasContent(panel.page, '.thumbnails button.thumbnail:nth-child(2) canvas'), 'the second thumbnail drawn');
    await thumbnails.nth(1).click();
    await eventually(async () => /img9564-v0 · label 9/.test((await panel.page.locator('.inr .inr-label').textContent()) ?? ''), 'the label of the chosen INR');
    assert.equal(await thumbnails.nth(1).getAttribute('aria-pressed'), 'true');
    const names = await cellsOf(panel, 1);
    assert.equal(names.length, 6);
    assert.ok(
      names.every((n) => n.startsWith('img9564-v0/')),
      names.join(', '),
    );
    await panel.screenshot('inspector-shard');
    assert.deepEqual(panel.consoleErrors, []);
  } finally {
    await panel.close();
  }
});

test('a shard of 3-D INRs (shapes3d): each thumbnail and the chosen INR show its surface, labelled with its class', async () => {
  const dataset = await tinyShapesDataset();
  const manifest = await readManifest(dataset);
  const panel = await open(join(dataset, 'shards', '00000.safetensors'));
  try {
    const thumbnails = panel.page.locator('.thumbnails button.thumbnail');
    await eventually(async () => (await thumbnails.count()) === manifest.items.length, 'a thumbnail per INR');
    await eventually(() => canvasHasContent(panel.page, '.thumbnails button.thumbnail:nth-child(2) canvas'), 'the second thumbnail drawn');
    await thumbnails.nth(1).click();
    const second = manifest.items[1]!;
    const label = new RegExp(`${second.id} · label ${second.label} \\(${manifest.source.classes[second.label]}\\)`);
    await eventually(async () => label.test((await panel.page.locator('.inr .inr-label').textContent()) ?? ''), 'the label of the chosen INR');
    await eventually(() => canvasHasContent(panel.page, 'canvas.reconstruction'), 'the surface drawn');
    // The camera: moving a slider asks for the surface from there, and the caption says so.
    const azimuth = panel.page.locator('input.view-azimuth');
    await azimuth.fill('90');
    await azimuth.dispatchEvent('change');
    await panel.waitForMessage((m: any) => m.rpc === 'request' && m.method === 'reconstruct' && m.params.view?.azimuth === 90);
    await eventually(
      async () => /surface, azimuth 90°, elevation 25°/.test((await panel.page.locator('.inr .inr-label').textContent()) ?? ''),
      'the camera in the caption',
    );
    await panel.screenshot('inspector-3d');
    // A slice of the distance field: colour (three channels), the zero level set drawn in it.
    await panel.page.locator('vscode-single-select.view').click();
    await panel.page.locator('vscode-single-select.view').getByRole('option', { name: 'Slice z', exact: true }).click();
    await panel.waitForMessage((m: any) => m.rpc === 'request' && m.method === 'reconstruct' && m.params.view?.kind === 'slice' && m.params.view.axis === 'z');
    await eventually(async () => /slice z = 0/.test((await panel.page.locator('.inr .inr-label').textContent()) ?? ''), 'the slice in the caption');
    const position = panel.page.locator('input.view-at');
    await position.fill('0.25');
    await position.dispatchEvent('change');
    await eventually(async () => /slice z = 0\.25/.test((await panel.page.locator('.inr .inr-label').textContent()) ?? ''), 'the slice moved');
    await eventually(() => canvasHasContent(panel.page, 'canvas.reconstruction'), 'the slice drawn');
    await panel.screenshot('inspector-3d-slice');
    assert.deepEqual(panel.consoleErrors, []);
  } finally {
    await panel.close();
  }
});

test('diff against another file: per-tensor differences and the two reconstructions side by side', async () => {
  const panel = await open(SIREN, 'dark', SIREN_PTH);
  try {
    await panel.page.locator('table.tensors tbody tr').first().waitFor({ timeout: 10_000 });
    await panel.page.locator('vscode-button.compare').click();
    const rows = panel.page.locator('table.diff-table tbody tr');
    await eventually(async () => (await rows.count()) === 6, 'the diff table');
    assert.equal(await panel.page.locator('table.diff-table tbody tr[data-status="compared"]').count(), 6);
    assert.match((await panel.page.locator('.diff h2').textContent()) ?? '', /Difference to siren\.pth/);
    await eventually(() => canvasHasContent(panel.page, '.side-by-side canvas.other'), "the other file's reconstruction");
    assert.ok(await canvasHasContent(panel.page, '.side-by-side canvas.file'));
    await panel.screenshot('inspector-diff');
    await panel.page.locator('vscode-button.close-diff').click();
    await panel.waitForMessage((m) => m.type === 'closeDiff');
    assert.equal(await panel.page.locator('.diff').count(), 0);
    assert.deepEqual(panel.consoleErrors, []);
  } finally {
    await panel.close();
  }
});

test('an empty tensor: its row and a panel that says there is nothing to plot', async () => {
  const panel = await open(fixturePath('numpy', 'empty.npy'));
  try {
    await panel.page.locator('table.tensors tbody tr').first().click();
    await panel.page.locator('.tensor-detail .empty-tensor').waitFor({ timeout: 10_000 });
    assert.equal(await panel.page.locator('.tensor-detail canvas').count(), 0);
    assert.deepEqual(panel.consoleErrors, []);
  } finally {
    await panel.close();
  }
});

test('a file that fails to parse shows its typed error, not a blank panel', async () => {
  const panel = await open(fixturePath('torch', 'malicious-os-system.pth'));
  try {
    await panel.page.locator('.error-box[role="alert"]').waitFor({ timeout: 10_000 });
    assert.equal(await panel.page.locator('.error-code code').textContent(), 'forbidden-global');
    assert.match((await panel.page.locator('.error-title').textContent()) ?? '', /Cannot inspect malicious-os-system\.pth/);
    assert.equal(await panel.page.locator('table.tensors').count(), 0);
    await panel.screenshot('inspector-error');
    // "Try again" asks the host to read the file again.
    await panel.page.locator('.error-box vscode-button.retry').click();
    await panel.waitForMessage((m) => m.type === 'refresh');
    assert.deepEqual(panel.consoleErrors, []);
  } finally {
    await panel.close();
  }
});

test('a request the host refuses shows its error in the tensor panel', async () => {
  const host = stubHost(SIREN);
  const panel = await openPanel(browser, {
    bundle: 'inspector',
    answer: async (m) =>
      m.rpc === 'request' && m.method === 'tensorValues'
        ? [{ rpc: 'reply', id: m.id, error: { code: 'truncated', file: SIREN, message: 'ends early' } }]
        : host(m),
  });
  try {
    await panel.page.locator('table.tensors tbody tr').first().click();
    await panel.page.locator('.tensor-detail .error-box').waitFor({ timeout: 10_000 });
    assert.equal(await panel.page.locator('.tensor-detail .error-code code').textContent(), 'truncated');
  } finally {
    await panel.close();
  }
});

// ── layout at 1280×800 ──────────────────────────────────────────────────────────────────────────────

/** Whether the element's box lies inside the viewport (1280×800 unless said) as the page is scrolled now. */
async function onScreen(panel: Panel, selector: string, screen = SCREEN): Promise<boolean> {
  const box = await panel.page.locator(selector).first().boundingBox();
  return box !== null && box.y >= 0 && box.y + box.height <= screen.height && box.x >= 0 && box.x + box.width <= screen.width;
}

test('a shard of 16 INRs at 1280×800: the table starts on the first screen and stays there when a tensor is selected', async () => {
  const shard = join(await tinyDataset(16, 2), 'shards', '00000.safetensors');
  const panel = await openPanel(browser, { bundle: 'inspector', theme: 'dark', viewport: SCREEN, answer: stubHost(shard) });
  try {
    const firstRow = 'table.tensors tbody tr';
    await panel.page.locator(firstRow).first().waitFor({ timeout: 10_000 });
    // Wait until everything above the table is drawn: the reconstruction and every thumbnail.
    await panel.page.locator('canvas.reconstruction[data-width]').waitFor({ timeout: 10_000 });
    await eventually(() => canvasHasContent(panel.page, '.thumbnails button.thumbnail:last-child canvas'), 'the thumbnails drawn', 30_000);
    assert.equal(await panel.page.evaluate(() => (globalThis as any).scrollY), 0);
    assert.ok(
      await onScreen(panel, firstRow),
      `the first row is on the first screen: ${JSON.stringify(await panel.page.locator(firstRow).first().boundingBox())}`,
    );

    await panel.page.locator(firstRow).nth(2).click();
    await panel.page.locator('.histogram canvas').waitFor({ timeout: 10_000 });
    await panel.page.evaluate(() => new Promise((r) => (globalThis as any).requestAnimationFrame(r)));
    assert.ok(
      await onScreen(panel, firstRow),
      `the first row stays on screen after a click: ${JSON.stringify(await panel.page.locator(firstRow).first().boundingBox())}`,
    );
    assert.ok(await onScreen(panel, '.tensor-detail .detail-title'), "the selected tensor's panel starts on screen too");
    await panel.screenshot('inspector-shard-1280');
    assert.deepEqual(panel.consoleErrors, []);
  } finally {
    await panel.close();
  }
});

/** A file with long dotted names (a diffusion model's) and tensors holding NaN and Inf. */
async function longNamesFile(): Promise<string> {
  const file = join(mkdtempSync(join(tmpdir(), 'wslab-inspector-')), 'long-names.safetensors');
  const names = [
    'model.diffusion_model.output_blocks.11.1.transformer_blocks.0.attn1.to_out.0.weight',
    'model.diffusion_model.output_blocks.11.1.transformer_blocks.0.attn2.to_k.weight',
    'first_stage_model.decoder.up.3.block.0.nin_shortcut.weight',
    'cond_stage_model.transformer.text_model.encoder.layers.11.self_attn.out_proj.bias',
  ];
  await writeWeightSet(
    file,
    WeightSet.fromArrays(
      names.map((name, i) => ({ name, shape: [4, 4], data: Array.from({ length: 16 }, (_, j) => (j === i ? [NaN, Infinity][i % 2]! : j / 7 - 1)) })),
    ),
  );
  return file;
}

// The whole window, a tensor selected; and VS Code's editor area on a 1280×800 screen with the side bar open.
for (const screen of [SCREEN, { width: 900, height: 800 }]) {
  test(`at ${screen.width}×${screen.height} long tensor names break only at their separators, and NaN/Inf counts are in view without horizontal scrolling`, async () => {
    const panel = await openPanel(browser, { bundle: 'inspector', theme: 'dark', viewport: screen, answer: stubHost(await longNamesFile()) });
    try {
      await eventually(async () => (await cellsOf(panel, 10)).length === 4 && !(await cellsOf(panel, 10)).includes('…'), 'statistics');
      assert.deepEqual(await cellsOf(panel, 10), ['1', '1', '1', '1']);
      if (screen === SCREEN) {
        await panel.page.locator('table.tensors tbody tr').first().click();
        await panel.page.locator('.histogram canvas').waitFor({ timeout: 10_000 });
      }
      // No horizontal scrolling anywhere: not the page, not the table's box.
      const overflow = await panel.page.evaluate(() => {
        const d = (globalThis as any).document;
        const boxes = [d.scrollingElement, d.querySelector('table.tensors').parentElement];
        return boxes.map((b: any) => b.scrollWidth - b.clientWidth);
      });
      assert.deepEqual(overflow, [0, 0], 'nothing scrolls horizontally');
      for (let row = 0; row < 4; row++) {
        const cell = `table.tensors tbody tr:nth-child(${row + 1}) td:nth-child(10)`;
        assert.ok(await onScreen(panel, cell, screen), `the NaN/Inf count of row ${row + 1} is in view`);
      }
      assert.ok(await onScreen(panel, 'table.tensors thead th:nth-child(10)', screen), 'the NaN/Inf header is in view');

      // Each part of a name between '.' and '/' separators lies on one line (a break inside one is mid-word).
      const broken = await panel.page.evaluate(() => {
        const d = (globalThis as any).document;
        const found: string[] = [];
        for (const td of d.querySelectorAll('table.tensors tbody td:first-child')) {
          const texts: any[] = [];
          const walker = d.createTreeWalker(td, 4 /* NodeFilter.SHOW_TEXT */);
          while (walker.nextNode()) texts.push(walker.currentNode);
          // Where character i of the name is: its text node and offset.
          const at = (i: number): [any, number] => {
            for (const node of texts) {
              if (i <= node.length) return [node, i];
              i -= node.length;
            }
            throw new Error('past the end');
          };
          const name: string = td.textContent;
          let start = 0;
          for (const part of name.split(/(?<=[./])/)) {
            const range = d.createRange();
            const [startNode, startOffset] = at(start);
            const [endNode, endOffset] = at(start + part.replace(/[./]$/, '').length);
            range.setStart(startNode, startOffset);
            range.setEnd(endNode, endOffset);
            const tops = new Set([...range.getClientRects()].filter((r: any) => r.width > 0).map((r: any) => Math.round(r.top)));
            if (tops.size > 1) found.push(`${part} in ${name}`);
            start += part.length;
          }
        }
        return found;
      });
      assert.deepEqual(broken, [], 'no name part is split across lines');
      await panel.screenshot(`inspector-long-names-${screen.width}`);
      assert.deepEqual(panel.consoleErrors, []);
    } finally {
      await panel.close();
    }
  });
}
