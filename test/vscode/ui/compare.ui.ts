/**
 * The run comparison panel in a real VS Code, with the packaged .vsix: "Compare Runs…" from the context
 * menu of a run group in the Experiments view opens the panel on the group's two finished runs (the
 * fixture runs baseline-seed0/1 that scripts/vscode/lib.mjs puts in the workspace's runs/ folder), and
 * the panel draws their loss and accuracy curves and fills its tables, and its "group seeds" checkbox (a
 * vscode-checkbox) groups the two seeds into one mean ± std. Screenshot: compare-panel.png.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { useWorkbench } from './harness';

describe('run comparison (UI)', function () {
  this.timeout(300_000);
  const workbench = useWorkbench();

  it('compare two finished runs -> chart drawn', async () => {
    const wb = await workbench();
    await wb.runCommand('Focus on Experiments View');
    await wb.treeItem('baseline').waitFor({ timeout: 60_000 });
    await wb.treeContextMenu('baseline', 'Compare Runs…');
    await wb.page.locator('.tabs-container .tab', { hasText: 'Compare 2 runs' }).first().waitFor({ timeout: 60_000 });
    const view = wb.webview();
    // Two runs × train/val, each smoothed with its raw values faintly behind: 8 datasets.
    const loss = view.locator('figure[data-chart="loss"][data-datasets="8"]');
    await loss.waitFor({ timeout: 60_000 });
    const labels = await view.locator('figure[data-chart="loss"] .dataset-list li:not([data-role="raw"])').allTextContents();
    assert.deepEqual(
      labels.map((l) => l.replace(/ \(\d+ points drawn\)$/, '')),
      ['baseline-seed0 · train', 'baseline-seed0 · val', 'baseline-seed1 · train', 'baseline-seed1 · val'],
    );
    for (const chart of ['loss', 'accuracy']) {
      const drawn = await view.locator(`figure[data-chart="${chart}"] canvas`).evaluate((node) => {
        const canvas = node as unknown as {
          width: number;
          height: number;
          getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
        };
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let painted = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) painted++;
        return painted;
      });
      assert.ok(drawn > 1000, `the ${chart} chart painted only ${drawn} pixels`);
    }
    const best = await view.locator('.best-table tbody tr td:first-child').allTextContents();
    assert.deepEqual(best, ['baseline-seed0', 'baseline-seed1']);
    assert.deepEqual(await view.locator('.hyper-table thead th').allTextContents(), ['run', 'seed']);
    await wb.page.mouse.move(700, 690); // off the tree row, whose tooltip would cover the chart
    await wb.screenshot('compare-panel');
    // The toolbar's controls are vscode-elements components: ticking "group seeds" (a vscode-checkbox)
    // draws the two seeds as one mean ± std per split (mean, upper and lower bound for train and val, and
    // the mean's raw values).
    await view.locator('vscode-checkbox.group').click();
    await view.locator('figure[data-chart="loss"] .dataset-list li[data-role="upper"]').first().waitFor({ timeout: 30_000 });
    assert.equal(await view.locator('figure[data-chart="loss"] .dataset-list li:not([data-role="raw"])').count(), 6);
    assert.equal(await view.locator('vscode-button.export-csv').count(), 1);
  });
});
