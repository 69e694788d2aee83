/**
 * The augmentation preview panel in a real VS Code (the packaged .vsix): "Preview Augmentations…" on a
 * dataset opens the panel, whose render thread draws the original and the augmented reconstructions with
 * the function-preservation error; "Open a file…" goes through VS Code's own open dialog and the file's
 * INR joins the list. The dataset is the tiny fixture, copied into the workspace here, so the scenario
 * also runs alone (--ui-only --grep "preview an augmentation"). Screenshot: test-results/preview-panel.png.
 */
import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'mocha';
import type { Locator } from 'playwright-core';
import { useWorkbench } from './harness';

const ROOT = resolve(__dirname, '..', '..', '..');

/** True when some pixel of the canvas differs from its first one. */
function drawn(canvas: Locator): Promise<boolean> {
  return canvas.evaluate((node) => {
    const c = node as unknown as {
      width: number;
      height: number;
      getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
    };
    const data = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data;
    if (!data) return false;
    for (let i = 4; i < data.length; i += 4) if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2]) return true;
    return false;
  });
}

/** The value of a vscode-single-select (a web component: Playwright's inputValue does not read it). */
function valueOf(control: Locator): Promise<string> {
  return control.evaluate((e) => (e as unknown as { value: string }).value);
}

describe('augmentation preview panel (UI)', function () {
  this.timeout(300_000);
  const workbench = useWorkbench();

  it('preview an augmentation -> both images and the error shown; a weight file opened from the panel joins the list', async () => {
    const wb = await workbench();
    cpSync(join(ROOT, 'test', 'fixtures', 'dataset', 'tiny'), join(wb.env.workspace, 'datasets', 'preview-tiny'), { recursive: true });
    await wb.runCommand('Weight Space Lab: Preview Augmentations…');
    const item = wb.quickPickItem('preview-tiny');
    await item.waitFor({ timeout: 60_000 });
    await item.click();
    await wb.tab('Preview: preview-tiny').waitFor({ timeout: 60_000 });
    const view = wb.webview();
    await view.locator('.results[data-state="rendered"]').waitFor({ timeout: 120_000 });
    assert.ok(await drawn(view.locator('.images .image.original canvas')), 'the original is blank');
    assert.ok(await drawn(view.locator('.images .image.augmented canvas')), 'the augmented copy is blank');
    // translate (the first augmentation) is an input warp: its error is at float32 precision.
    assert.equal(await valueOf(view.locator('vscode-single-select#augmentation')), 'translate');
    const error = view.locator('.images .image.augmented .error-value');
    assert.match((await error.textContent()) ?? '', /^max \|g − f\| = \d\.\d\de-\d+ \(against the warped original/);
    assert.ok(Number(await error.getAttribute('data-error')) < 1e-4);
    assert.equal(await view.locator('.param[data-param="scale"]').count(), 1);

    // "Open a file…": VS Code's own open dialog (a quick input in this remote window).
    await view.locator('vscode-button.pick-file').click();
    await wb.typeInFileDialog(join(wb.env.workspace, 'siren-sample.pth'));
    await wb.page.keyboard.press('Enter');
    await view.locator('vscode-single-select#inr vscode-option', { hasText: 'siren-sample.pth (file)' }).waitFor({ state: 'attached', timeout: 60_000 });
    // Pick rotate as a user does: open the list, click the option.
    const augmentation = view.locator('vscode-single-select#augmentation');
    await augmentation.click();
    await augmentation.getByRole('option', { name: 'rotate', exact: true }).click();
    await view.locator('.status', { hasText: /One sample of rotate/ }).waitFor({ timeout: 120_000 });
    assert.equal(await valueOf(view.locator('vscode-single-select#inr')), 'file-1');
    assert.ok(await drawn(view.locator('.images .image.augmented canvas')));
    assert.match((await view.locator('.images .image.augmented .error-value').textContent()) ?? '', /e-\d/);
    assert.equal(await view.locator('.heatmaps .heatmap-canvas').count(), 9, 'original, augmented and their difference for each of the three layers');
    await wb.screenshot('preview-panel');
  });
});
