// The augmentation preview panel on its own in headless Chromium (test/browser/harness.ts), under the real
// CSP. The stub host is the panel's real host logic (PreviewSession) answering the page's PREVIEW_RPC
// requests ({ rpc: 'request', id, method, params } → one { rpc: 'reply', id, … }) from fixtures — the
// PyTorch-fitted sample SIREN and the tiny dataset — with renders done in this process by the render
// thread's own function. Checked: both reconstructions drawn, the error shown, controls generated from the
// parameter specs (and regenerated per augmentation), the grid, the MixUp comparison, the error state, the
// saved state; thin weight tensors drawn at a readable size, the difference heatmap, controls that stay put
// when the augmentation changes, the picker opening at its group, the INR labels, the extrapolation caption.
// The viewport is the 1280×800 of the user walk-through (issue 23). Screenshots go to
// test-results/browser/preview-*.png; preview-dark.png is docs/panels/preview.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import type { Browser, Locator } from 'playwright-core';
import { datasetInrs, defaultSelection, PreviewSession, type InrSource } from '../../src/extension/panels/preview/session';
import type { PreviewSelection } from '../../src/protocol/preview';
import { renderRequest } from '../../src/worker/previewThread';
import { canvasHasContent, launchBrowser, openPanel, type Panel, type Theme } from './harness';
import { tinyShapesDataset } from '../helpers/tinyDataset';
import { readManifest } from '../../src/core/dataset/manifest';

const ROOT = resolve(__dirname, '..', '..');
const TINY = join(ROOT, 'test', 'fixtures', 'dataset', 'tiny');

/** The sample file, the tiny dataset's first two INRs labelled by the host's own code, and a file that is missing. */
let INRS: InrSource[];

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
  const dataset = (await datasetInrs(TINY)).slice(0, 2);
  INRS = [
    { id: 'siren-sample', label: 'siren-sample.pth (file)', target: join(ROOT, 'samples', 'siren-sample.pth'), fromFile: true },
    ...dataset,
    { id: 'missing', label: 'missing.safetensors (file)', target: join(ROOT, 'samples', 'missing.safetensors'), fromFile: true },
  ];
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
    viewport: { width: 1280, height: 800 },
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
    // Per layer: the original, the augmented copy and their difference.
    assert.equal(await page.locator('.heatmaps .heatmap-canvas').count(), 9);
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
    await choose(page.locator('vscode-single-select#partner'), INRS[2]!.label);
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

// ── issue 23: readable thin tensors, the difference heatmap, a stable layout, the picker, labels, captions ──

/** The smallest drawn side of a heatmap, in CSS pixels (the panel's promise for thin tensors). */
const MIN_EXTENT = 24;

/** Every heatmap canvas of the weights section: the matrix size and the drawn size in CSS pixels (inside its border). */
function heatmapSizes(panel: Panel): Promise<{ rows: number; cols: number; width: number; height: number }[]> {
  return panel.page.locator('.heatmaps .heatmap-canvas').evaluateAll((cs) =>
    cs.map((c) => {
      const canvas = c as any;
      return { rows: Number(canvas.dataset.rows), cols: Number(canvas.dataset.cols), width: canvas.clientWidth, height: canvas.clientHeight };
    }),
  );
}

/** The one colour of every pixel of a canvas, or null when it has more than one. */
function uniformColour(panel: Panel, selector: string): Promise<number[] | null> {
  return panel.page.locator(selector).evaluate((node) => {
    const canvas = node as any;
    const data: Uint8ClampedArray = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 4; i < data.length; i++) if (data[i] !== data[i % 4]) return null;
    return [data[0]!, data[1]!, data[2]!];
  });
}

/** True when the option is wholly inside the open picker's visible list. */
async function optionInView(picker: Locator, label: string): Promise<boolean> {
  const list = await picker.locator('vscode-scrollable.scrollable').boundingBox();
  const option = await picker.getByRole('option', { name: label, exact: true }).boundingBox();
  return list !== null && option !== null && option.y >= list.y - 0.5 && option.y + option.height <= list.y + list.height + 0.5;
}

/** Polls `check` for up to two seconds. */
async function eventually(check: () => Promise<boolean>): Promise<boolean> {
  for (let i = 0; i < 40; i++) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

test('thin weight tensors (W0 32×2, W2 1×32) are drawn at least 24 px in both directions, with square-ish cells', async () => {
  const panel = await open('dark');
  try {
    await rendered(panel);
    const sizes = await heatmapSizes(panel);
    assert.ok(
      sizes.some((s) => s.rows === 32 && s.cols === 2) && sizes.some((s) => s.rows === 1 && s.cols === 32),
      `the SIREN's thin layers are shown: ${JSON.stringify(sizes)}`,
    );
    for (const s of sizes) {
      assert.ok(s.width >= MIN_EXTENT && s.height >= MIN_EXTENT, `${s.rows}×${s.cols} is drawn ${s.width}×${s.height} px`);
      const aspect = s.width / s.cols / (s.height / s.rows);
      assert.ok(aspect >= 1 / 4 && aspect <= 4, `${s.rows}×${s.cols}: cells ${aspect.toFixed(2)} times as wide as tall`);
    }
    assert.deepEqual(panel.consoleErrors, []);
  } finally {
    await panel.close();
  }
});

test('the difference heatmap (augmented − original) per layer: neutral everywhere for a no-op, coloured where the augmentation changed weights', async () => {
  const panel = await open('light', { augmentation: 'rotate', params: { degrees: 30 } });
  try {
    await rendered(panel);
    const { page } = panel;
    const difference = (layer: number) => page.locator(`.heatmap-row[data-layer="${layer}"] .heatmap.difference`);
    const maxAbs = async (layer: number) => Number(await difference(layer).getAttribute('data-max-abs'));
    for (const layer of [0, 1, 2]) assert.equal(await difference(layer).count(), 1, `layer ${layer} has no difference heatmap`);
    assert.equal(await difference(0).locator('figcaption').textContent(), 'W0 augmented − original (32×2)');
    // A rotation multiplies W0 by the rotation matrix and leaves the deeper layers as they were.
    assert.ok((await maxAbs(0)) > 1e-3, `W0 changed by at most ${await maxAbs(0)}`);
    assert.ok(await canvasHasContent(page, '.heatmap-row[data-layer="0"] .heatmap.difference .heatmap-canvas'), 'W0’s difference is drawn flat');
    assert.equal(await maxAbs(1), 0);
    // Rotating by 0° is the identity: every difference is 0 and drawn in the scale's neutral colour.
    await type(page.locator('.param[data-param="degrees"] vscode-textfield.param-value'), '0');
    await page.locator('.heatmap-row[data-layer="0"] .heatmap.difference[data-max-abs="0"]').waitFor({ timeout: 30_000 });
    const neutral = await uniformColour(panel, '.heatmap-row[data-layer="1"] .heatmap.difference .heatmap-canvas');
    for (const layer of [0, 1, 2]) {
      assert.equal(await maxAbs(layer), 0);
      assert.deepEqual(await uniformColour(panel, `.heatmap-row[data-layer="${layer}"] .heatmap.difference .heatmap-canvas`), neutral);
    }
    // The neutral colour is the one the original's zero-valued cells would get: a light grey, not a tint.
    assert.ok(neutral && neutral.every((c) => c > 200) && Math.max(...neutral) - Math.min(...neutral) < 10, `neutral is ${JSON.stringify(neutral)}`);
    assert.deepEqual(panel.consoleErrors, []);
  } finally {
    await panel.close();
  }
});

test('switching the augmentation leaves the other controls where they were; the INRs are labelled with their class', async () => {
  const panel = await open('dark', { inrId: 'img409-v0' });
  try {
    await rendered(panel);
    const { page } = panel;
    assert.ok(
      (await page.locator('vscode-single-select#inr vscode-option').allTextContents()).includes('img409-v0 · label 0 (train)'),
      'the dataset’s INR reads "label 0"',
    );
    const fixed = ['#inr', 'vscode-button.pick-file', '#augmentation', '#seed', 'vscode-button.resample', '.view-choice'];
    const boxes = () => Promise.all(fixed.map((s) => page.locator(s).boundingBox()));
    const first = await boxes();
    for (const name of ['mixup-aligned', 'permute', 'translate', 'gaussian-noise']) {
      await choose(page.locator('vscode-single-select#augmentation'), name);
      await page.locator('.status', { hasText: `of ${name}, seed` }).waitFor({ timeout: 30_000 });
      assert.deepEqual(await boxes(), first, `the controls moved for ${name}`);
    }
    assert.deepEqual(panel.consoleErrors, []);
  } finally {
    await panel.close();
  }
});

test('the augmentation picker opens with the selected item and its group’s header in view', async () => {
  const panel = await open('dark', { augmentation: 'rotate', params: { degrees: 30 } });
  try {
    await rendered(panel);
    const picker = panel.page.locator('vscode-single-select#augmentation');
    await picker.click();
    assert.ok(await eventually(() => optionInView(picker, 'Input warps (exact)')), 'the first group’s header is scrolled out of view');
    assert.ok(await optionInView(picker, 'rotate'));
    await picker.getByRole('option', { name: 'permute', exact: true }).click();
    await panel.page.locator('.status', { hasText: 'of permute, seed' }).waitFor({ timeout: 30_000 });
    await picker.click();
    assert.ok(await eventually(() => optionInView(picker, 'Symmetries (exact)')), 'the symmetries’ header is scrolled out of view');
    assert.ok(await optionInView(picker, 'permute'));
    assert.deepEqual(panel.consoleErrors, []);
  } finally {
    await panel.close();
  }
});

test('a warp that moves content is captioned (the INR is evaluated outside its fitted region); a permutation is not', async () => {
  const panel = await open('dark', { inrId: 'img409-v0', augmentation: 'translate', params: { scale: 0.4 }, seed: 3 });
  try {
    await rendered(panel);
    const { page } = panel;
    const caption = page.locator('.extrapolation-note');
    assert.ok(await caption.isVisible(), 'no caption for translate');
    assert.match((await caption.textContent()) ?? '', /the INR is evaluated outside the region it was fitted on/);
    await choose(page.locator('vscode-single-select#augmentation'), 'permute');
    await page.locator('.status', { hasText: 'of permute, seed' }).waitFor({ timeout: 30_000 });
    assert.equal(await caption.count(), 0, 'a permutation moves no content');
    assert.deepEqual(panel.consoleErrors, []);
  } finally {
    await panel.close();
  }
});
