/**
 * The inspector through the UI of a real VS Code (code-server + Chromium), with the packaged .vsix installed:
 * what a user sees when opening weight files. Screenshots land in test-results/ (the good ones are copied to
 * docs/screenshots/ for the README by `npm run test:vscode -- --update-screenshots`).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'mocha';
import type { Locator } from 'playwright-core';
import { assertEventually, useWorkbench } from './harness';

const FIXTURES = join(__dirname, '..', '..', 'fixtures');

function tensorNames(expectedJson: string, file: string): string[] {
  const expected = JSON.parse(readFileSync(join(FIXTURES, expectedJson), 'utf8')) as Record<string, { tensors: { name: string }[] }>;
  const entry = expected[file];
  assert.ok(entry, `${file} is not in ${expectedJson}`);
  return entry.tensors.map((t) => t.name);
}

describe('inspector (UI)', function () {
  this.timeout(120_000);
  const workbench = useWorkbench();

  it('opening a .safetensors file from the explorer shows its tensor table', async () => {
    const wb = await workbench();
    await wb.openFromExplorer('siren.safetensors');
    const view = wb.webview();
    const firstColumn = view.locator('table.tensors tbody tr td:first-child');
    await firstColumn.first().waitFor({ timeout: 60_000 });
    assert.deepEqual(await firstColumn.allTextContents(), tensorNames('safetensors/expected.json', 'siren.safetensors'));
    assert.equal(await view.locator('h1.file-name').textContent(), 'siren.safetensors');
    assert.match((await view.locator('.summary').textContent()) ?? '', /safetensors · 6 tensors · 1,185 parameters/);
    const headers = await view.locator('table.tensors thead th').allTextContents();
    assert.deepEqual(headers, ['Name', 'dtype', 'Shape', '#params', 'Min', 'Max', 'Mean', 'Std', 'Zeros', 'NaN/Inf']);
    await wb.screenshot('inspector-safetensors');
  });

  it('clicking a tensor shows its histogram and heatmap; the INR is reconstructed live', async () => {
    const wb = await workbench();
    await wb.openFromExplorer('siren-sample.pth');
    const view = wb.webview();
    await view.locator('table.tensors tbody tr').first().waitFor({ timeout: 60_000 });
    // Statistics come from the worker thread after the table: wait until every row has them.
    await assertEventually(async () => !(await view.locator('table.tensors tbody td.pending').count()), 'every row to get its statistics', 60_000);
    const reconstruction = view.locator('canvas.reconstruction[data-width="64"]');
    await reconstruction.waitFor({ timeout: 60_000 });
    assert.ok(await canvasHasContent(reconstruction), 'the reconstruction is not blank');
    await view.locator('table.tensors tbody tr', { hasText: 'seq.1.weight' }).click();
    const histogram = view.locator('.histogram canvas');
    await histogram.waitFor({ timeout: 60_000 });
    assert.equal(await histogram.getAttribute('data-total'), '1024');
    assert.ok(await canvasHasContent(histogram), 'the histogram is drawn');
    assert.ok(await canvasHasContent(view.locator('canvas.heatmap-canvas')), 'the heatmap is not blank');
    await wb.screenshot('inspector-histogram-reconstruction');
  });

  it('"Compare with…" asks for a file in the host\'s dialog and shows the per-tensor difference', async () => {
    const wb = await workbench();
    await wb.openFromExplorer('siren.safetensors');
    const view = wb.webview();
    await view.locator('table.tensors tbody tr').first().waitFor({ timeout: 60_000 });
    await view.locator('vscode-button.compare').click();
    await wb.typeInFileDialog(join(wb.env.workspace, 'siren.pth'));
    await wb.page.keyboard.press('Enter');
    const rows = view.locator('table.diff-table tbody tr[data-status="compared"]');
    await assertEventually(async () => (await rows.count()) === 6, 'the diff table', 60_000);
    await wb.screenshot('inspector-diff');
  });

  it('a malicious .pth shows the forbidden-global error box, not a blank panel', async () => {
    const wb = await workbench();
    await wb.quickOpen('malicious-os-system.pth');
    const view = wb.webview();
    const box = view.locator('.error-box[role="alert"]');
    await box.waitFor({ timeout: 60_000 });
    assert.equal(await view.locator('.error-code code').textContent(), 'forbidden-global');
    assert.match((await view.locator('.error-title').textContent()) ?? '', /Cannot inspect malicious-os-system\.pth/);
    assert.match((await view.locator('.error-message').textContent()) ?? '', /posix\.system/);
    assert.equal(await view.locator('table.tensors').count(), 0);
    await wb.screenshot('inspector-forbidden-global');
  });

  it('the palette command "Weight Space Lab: Inspect Weight File…" asks for a file and inspects it', async () => {
    const wb = await workbench();
    await wb.runCommand('Weight Space Lab: Inspect Weight File…');
    // A remote window asks with VS Code's own file dialog: a quick input holding a path.
    await wb.typeInFileDialog(join(wb.env.workspace, 'siren-sample.pth'));
    await wb.screenshot('palette-inspect-dialog');
    await wb.page.keyboard.press('Enter');
    const firstColumn = wb.webview().locator('table.tensors tbody tr td:first-child');
    await firstColumn.first().waitFor({ timeout: 60_000 });
    assert.deepEqual(await firstColumn.allTextContents(), ['seq.0.weight', 'seq.0.bias', 'seq.1.weight', 'seq.1.bias', 'seq.2.weight', 'seq.2.bias']);
    await wb.tab('siren-sample.pth').waitFor();
    await wb.screenshot('palette-inspect-result');
  });

  it('the explorer context menu offers "Inspect Weight File…" on a weight file', async () => {
    const wb = await workbench();
    await wb.explorerContextMenu('v1_float32.npy', 'Inspect Weight File…');
    const view = wb.webview();
    await view.locator('table.tensors tbody tr').first().waitFor({ timeout: 60_000 });
    assert.match((await view.locator('.summary').textContent()) ?? '', /^npy · 1 tensor/);
  });

  it('Refresh re-reads the file and shows the table again', async () => {
    const wb = await workbench();
    await wb.openFromExplorer('savez.npz');
    const view = wb.webview();
    const rows = view.locator('table.tensors tbody tr');
    await rows.first().waitFor({ timeout: 60_000 });
    const before = await rows.count();
    await view.locator('vscode-button.refresh').click();
    // A vscode-button shows "disabled" as an attribute (Playwright's isEnabled only knows native controls).
    const refreshed = view.locator('vscode-button.refresh:not([disabled])');
    await assertEventually(async () => (await refreshed.count()) === 1 && (await rows.count()) === before, 'the table to come back after Refresh');
  });
});

/** Whether a canvas inside the webview has more than one colour. */
async function canvasHasContent(canvas: Locator): Promise<boolean> {
  return canvas.first().evaluate((node) => {
    const c = node as unknown as {
      width: number;
      height: number;
      getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
    };
    const context = c.getContext('2d');
    if (!context || c.width === 0 || c.height === 0) return false;
    const data = context.getImageData(0, 0, c.width, c.height).data;
    for (let i = 4; i < data.length; i += 4) if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2]) return true;
    return false;
  });
}
