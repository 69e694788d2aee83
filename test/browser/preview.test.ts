// The augmentation preview panel on its own in headless Chromium (test/browser/harness.ts), under the real
// CSP. The stub host is the panel's real host logic (PreviewSession) answering the page's PREVIEW_RPC
// requests ({ rpc: 'request', id, method, params } → one { rpc: 'reply', id, … }) from fixtures — the
// PyTorch-fitted sample SIREN and the tiny dataset — with renders done in this process by the render
// thread's own function. Checked: both reconstructions drawn, the error shown, controls generated from the
// parameter specs (and regenerated per augmentation), the grid, the MixUp comparison, the error state, the
// saved state. Screenshots go to test-results/browser/preview-*.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import type { Browser, Locator } from 'playwright-core';
import { defaultSelection, PreviewSession, type InrSource } from '../../src/extension/panels/preview/session';
import type { PreviewSelection } from '../../src/protocol/preview';
import { renderRequest } from '../../src/worker/previewThread';
import { canvasHasContent, launchBrowser, openPanel, type Panel, type Theme } from './harness';
import { tinyShapesDataset } from '../helpers/tinyDataset';
import { readManifest } from '../../src/core/dataset/manifest';

const ROOT = resolve(__dirname, '..', '..');
const TINY = join(ROOT, 'test', 'fixtures', 'dataset', 'tiny');

const INRS: InrSource[] = [
  { id: 'siren-sample', label: 'siren-sample.pth (file)', target: join(ROOT, 'samples', 'siren-sample.pth'), fromFile: true },
  { id: 'img409-v0', label: 'img409-v0 · 0 (train)', target: `${TINY}#img409-v0` },
  { id: 'img9564-v0', label: 'img9564-v0 · 9 (train)', target: `${TINY}#img9564-v0` },
  { id: 'missing', label: 'missing.safetensors (file)', target: join(ROOT, 'samples', 'missing.safetensors'), fromFile: true },
];

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** The panel with a PreviewSession behind it; every host message is delivered to the page as it is posted. */
async function open(theme: Theme, selection: Partial<PreviewSelection> = {}, initialState?: unknown, inrs: InrSource[] = INRS): Promise<Panel> {
  // Assigned once the page is open; the session's post (below) reads it before that.
  // eslint-disable-next-line prefer-const
  let panel: Panel | undefined;
  const early: unknown[] = [];
  const session = new PreviewSession(
    {
      post: (message) => (panel ? void panel.post(message) : early.push(message)),
      render: (request) => renderRequest(request),
      pickFile: async () => undefined,
      log: () => undefined,
    },
    {
      title: 'tiny',
      inrs,
      selection: { ...defaultSelection('siren-sample'), augmentation: 'rotate', params: { degrees: 30 }, seed: 1, ...selection },
      size: 56,
    },
  );
  panel = await openPanel(browser, {
    bundle: 'preview',
    theme,
    initialState,
    viewport: { width: 1200, height: 900 },
    answer: async (message) => {
      await session.handle(message);
      return early.splice(0);
    },
  });
  return panel;
}

async function rendered(panel: Panel): Promise<void> {
  await panel.page.locator('.results[data-state="rendered"]').waitFor({ timeout: 30_000 });
  await panel.page.locator('main[aria-busy="true"]').waitFor({ state: 'detached', timeout: 30_000 });
}

/** The value of a vscode-single-select or vscode-textfield (a web component, not a native control). */
const valueOf = (control: Locator) => control.evaluate((e) => (e as unknown as { value: string }).value);

/** Picks an option of a vscode-single-select as a user does: opens the list and clicks the option. */
async function choose(select: Locator, label: string): Promise<void> {
  await select.click();
  await select.getByRole('option', { name: label, exact: true }).click();
}

/** Types into a vscode-textfield's inner input and commits it (the change a blur or Enter would fire). */
async function type(field: Locator, text: string): Promise<void> {
  const input = field.locator('input');
  await input.fill(text);
  await input.dispatchEvent('change');
}

/** The parameters of a PREVIEW_RPC render request the page sent that `match` accepts (undefined for any other message). */
function renderOf(message: any, match: (params: any) => boolean = () => true): any {
  return message?.rpc === 'request' && message.method === 'render' && match(message.params) ? message.params : undefined;
}

/** The parameters (the selection) of every render request the page sent, in order. */
const renders = (panel: Panel): any[] => panel.received.map((m) => renderOf(m)).filter((p) => p !== undefined);

/** Waits for a render request whose parameters `match` accepts. */
const waitForRender = (panel: Panel, match: (params: any) => boolean) => panel.waitForMessage((m) => renderOf(m, match) !== undefined);

test('rotate: original and augmented drawn side by side, the error against the warped original, controls from the specs, heatmaps per layer', async () => {
  const panel = await open('dark');
  try {
    await rendered(panel);
    const { page } = panel;
    assert.ok(await canvasHasContent(page, '.images .image.original canvas'), 'the original is blank');
    assert.ok(await canvasHasContent(page, '.images .image.augmented canvas'), 'the augmented copy is blank');
    const error = page.locator('.images .image.augmented .error-value');
    assert.match((await error.textContent()) ?? '', /^max \|g − f\| = \d\.\d\de-\d+ \(against the warped original f\(A x \+ t\)\)$/);
    assert.ok(Number(await error.getAttribute('data-error')) < 1e-4, 'rotate is exact: a float32-sized error');
    // Controls: the INR list, the augmentation picker grouped by kind, one slider + field per parameter.
    assert.deepEqual(
      await page.locator('vscode-single-select#inr vscode-option').allTextContents(),
      INRS.map((i) => i.label),
    );
    assert.equal(await valueOf(page.locator('vscode-single-select#augmentation')), 'rotate');
    assert.deepEqual(await page.locator('#augmentation vscode-option.group-header').allTextContents(), [
      'Input warps (exact)',
      'Symmetries (exact)',
      'Approximate (noise, dropout, MixUp, …)',
    ]);
    assert.ok(
      await page.locator('#augmentation vscode-option.group-header').evaluateAll((hs) => hs.every((h) => (h as unknown as { disabled: boolean }).disabled)),
      'a group header can be chosen',
    );
    const degrees = page.locator('.param[data-param="degrees"]');
    assert.deepEqual(
      await degrees.locator('input[type="range"]').evaluate((i) => {
        const r = i as unknown as { min: string; max: string; value: string };
        return [r.min, r.max, r.value];
      }),
      ['0', '180', '30'],
    );
    assert.equal(await page.locator('#partner').count(), 0, 'no partner picker for rotate');
    // Heatmaps: W0, W1, W2 of the original and the copy, with their shapes.
    assert.equal(await page.locator('.heatmaps .heatmap-canvas').count(), 6);
    assert.equal(await page.locator('.heatmaps figcaption', { hasText: 'W1 augmented (32×32)' }).count(), 1);
    assert.ok(await canvasHasContent(page, '.heatmap-row[data-layer="1"] .heatmap-canvas'));
    assert.match((await page.locator('.status').textContent()) ?? '', /One sample of rotate, seed 1, rendered at 56×56 in \d+ ms/);
    assert.deepEqual(
      renders(panel).map((m) => [m.inrId, m.augmentation, m.params.degrees, m.seed, m.count]),
      [['siren-sample', 'rotate', 30, 1, 1]],
    );
    await panel.screenshot('preview-dark');
    // A parameter change asks for a new render with the value; Resample with a new seed.
    await type(degrees.locator('vscode-textfield.param-value'), '90');
    await waitForRender(panel, (p) => p.params?.degrees === 90);
    await page.locator('vscode-button.resample').click();
    await waitForRender(panel, (p) => p.seed !== 1);
    const seed = Number(await valueOf(page.locator('vscode-textfield#seed')));
    assert.equal(renders(panel).at(-1)!.seed, seed);
    assert.deepEqual((await panel.state()) as unknown, {
      selection: { inrId: 'siren-sample', augmentation: 'rotate', params: { degrees: 90 }, seed, count: 1, partnerId: null },
    });
    assert.deepEqual(panel.consoleErrors, []);
  } finally {
    await panel.close();
  }
});

test('an invalid parameter is flagged at the field and not sent; the grid shows 8 samples, each with its error', async () => {
  const panel = await open('light', { augmentation: 'gaussian-noise', params: { scale: 0.32 } });
  try {
    await rendered(panel);
    const { page } = panel;
    const field = page.locator('.param[data-param="scale"] vscode-textfield.param-value');
    await type(field, '20');
    assert.equal(await page.locator('.param[data-param="scale"] .param-problem').textContent(), 'scale must be a number in [0, 10], got 20');
    assert.equal(await field.getAttribute('invalid'), '', 'the field is not marked invalid');
    const seed = page.locator('vscode-textfield#seed');
    await type(seed, '-1');
    assert.equal(await page.locator('.seed-problem').textContent(), 'a seed is an integer in [0, 4294967295]');
    assert.equal(await seed.getAttribute('invalid'), '', 'the seed is not marked invalid');
    await page.waitForTimeout(400);
    assert.ok(
      renders(panel).every((m) => m.params.scale !== 20),
      'an invalid value was sent',
    );
    assert.ok(
      renders(panel).every((m) => m.seed === 1),
      'an invalid seed was sent',
    );
    await page.locator('vscode-radio.view-grid').click();
    await waitForRender(panel, (p) => p.count === 8);
    await page.locator('.images.grid').waitFor({ timeout: 30_000 });
    await rendered(panel);
    assert.equal(await page.locator('.images.grid .image.augmented').count(), 8);
    const errors = await page
      .locator('.images.grid .error-value')
      .evaluateAll((es) => es.map((e) => Number((e as unknown as { dataset: { error: string } }).dataset.error)));
    assert.equal(errors.length, 8);
    assert.equal(await page.locator('.error-note').textContent(), 'max |g − f|: against the original f, on the rendered grid');
    assert.ok(
      errors.every((e) => e > 1e-3),
      `gaussian noise changes the function: ${errors.join(', ')}`,
    );
    assert.equal(new Set(errors).size, 8, 'eight different draws');
    for (let k = 1; k <= 8; k++) assert.ok(await canvasHasContent(page, `.images.grid .image.augmented:nth-of-type(${k + 1}) canvas`), `sample ${k} is blank`);
    // Choosing a sample compares its weights.
    await page.locator('.images.grid .image.augmented').nth(4).click();
    await page.locator('.heatmaps h2', { hasText: 'original vs sample 5' }).waitFor();
    await panel.screenshot('preview-grid-light');
    assert.deepEqual(panel.consoleErrors, []);
  } finally {
    await panel.close();
  }
});

test('MixUp: the partner picker appears, and the unaligned and aligned mixes are shown side by side with α', async () => {
  const panel = await open('dark', { inrId: 'img409-v0' });
  try {
    await rendered(panel);
    const { page } = panel;
    // The open picker: its groups' headers, and the hovered augmentation's description under the list.
    const picker = page.locator('vscode-single-select#augmentation');
    await picker.click();
    await picker.getByRole('option', { name: 'mixup', exact: true }).hover();
    await panel.screenshot('preview-picker-dark');
    await picker.getByRole('option', { name: 'mixup', exact: true }).click();
    await page.locator('.param[data-param="min"]').waitFor();
    assert.deepEqual(await page.locator('.params .param').evaluateAll((ps) => ps.map((p) => (p as unknown as { dataset: { param: string } }).dataset.param)), [
      'min',
      'max',
    ]);
    await choose(page.locator('vscode-single-select#partner'), 'img9564-v0 · 9 (train)');
    await waitForRender(panel, (p) => p.augmentation === 'mixup' && p.partnerId === 'img9564-v0');
    await page.locator('.mix h2', { hasText: /MixUp with img9564-v0: unaligned vs aligned \(α = 0\.\d{3}\)/ }).waitFor({ timeout: 30_000 });
    for (const kind of ['original', 'partner', 'mix-unaligned', 'mix-aligned'])
      assert.ok(await canvasHasContent(page, `.mix .image.${kind} canvas`), `${kind} is blank`);
    assert.equal(await page.locator('.mix .error-value').count(), 2);
    assert.equal(await page.locator('.mix .heatmap-canvas').count(), 6);
    await panel.screenshot('preview-mixup-dark');
    assert.deepEqual(panel.consoleErrors, []);
  } finally {
    await panel.close();
  }
});

test('error state: an INR the host cannot read shows the typed error box; a saved selection is restored first', async () => {
  const saved = { selection: { inrId: 'missing', augmentation: 'permute', params: {}, seed: 4, count: 1, partnerId: null } };
  const panel = await open('high-contrast', {}, saved);
  try {
    const { page } = panel;
    await page.locator('.error-box[role="alert"]').waitFor({ timeout: 30_000 });
    assert.equal(await page.locator('.results').getAttribute('data-state'), 'error');
    assert.equal(await page.locator('.error-code code').textContent(), 'not-found');
    assert.match((await page.locator('.error-message').textContent()) ?? '', /missing\.safetensors/);
    assert.deepEqual(
      renders(panel).map((m) => [m.inrId, m.augmentation, m.seed]),
      [['missing', 'permute', 4]],
    );
    assert.equal(await valueOf(page.locator('vscode-single-select#augmentation')), 'permute');
    assert.equal(await page.locator('.params legend').textContent(), 'Parameters: none');
    await panel.screenshot('preview-error-high-contrast');
    // Picking a readable INR recovers.
    await choose(page.locator('vscode-single-select#inr'), 'siren-sample.pth (file)');
    await rendered(panel);
    assert.equal(await page.locator('.error-box').count(), 0);
    assert.deepEqual(panel.consoleErrors, []);
  } finally {
    await panel.close();
  }
});

test('a 3-D INR (shapes3d): its surface and the rotated copy’s, the error checked on the cube', async () => {
  const dataset = await tinyShapesDataset();
  const id = (await readManifest(dataset)).items[0]!.id;
  const inrs: InrSource[] = [{ id, label: `${id} (3-D)`, target: `${dataset}#${id}` }];
  const panel = await open('dark', { inrId: id, augmentation: 'rotate', params: { degrees: 90 }, seed: 2 }, undefined, inrs);
  try {
    await rendered(panel);
    const { page } = panel;
    assert.ok(await canvasHasContent(page, '.images .image.original canvas'), 'the original is blank');
    assert.ok(await canvasHasContent(page, '.images .image.augmented canvas'), 'the augmented copy is blank');
    assert.ok(Number(await page.locator('.images .image.augmented .error-value').getAttribute('data-error')) < 1e-4, 'a 3-D rotation is exact');
    await panel.screenshot('preview-3d');
    assert.deepEqual(panel.consoleErrors, []);
  } finally {
    await panel.close();
  }
});
