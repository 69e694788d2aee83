/**
 * The Study view in a real VS Code, with the packaged .vsix: the fixture study (test/compare/fixtures/study:
 * augment-sizes.study.wslab.json and its finished folder studies/augment-sizes/, put in the workspace by
 * scripts/vscode/lib.mjs) is listed under Studies in the Experiments view; clicking it opens the comparison
 * panel on its Study view, which draws both curves over the three sizes; a click on a point's cell opens
 * that point's runs in the runs view. Screenshots: study-view.png, study-point-runs.png.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { useWorkbench } from './harness';

describe('study view (UI)', function () {
  this.timeout(300_000);
  const workbench = useWorkbench();

  it('a study in the tree -> its Study view, and a point -> its runs', async () => {
    const wb = await workbench();
    await wb.runCommand('Focus on Experiments View');
    await wb.treeItem('augment-sizes.study.wslab.json').waitFor({ timeout: 60_000 });
    await wb.treeItem('augment-sizes.study.wslab.json').click();
    await wb.page.locator('.tabs-container .tab', { hasText: 'Study augment-sizes' }).first().waitFor({ timeout: 60_000 });
    const view = wb.webview();
    await view.locator('.compare[data-view="study"] .study[data-curves="2"]').waitFor({ timeout: 60_000 });
    assert.match((await view.locator('.study-status').textContent()) ?? '', /^complete: 12 runs/);
    const points = await view.locator('.study .dataset-list li').allTextContents();
    assert.equal(points.length, 6, points.join('\n'));
    assert.ok(
      points.every((p) => /^(none|negation) at (50|200|800): \d+\.\d\d% ± \d+\.\d\d \(2 runs\)$/.test(p)),
      points.join('\n'),
    );
    const painted = await view.locator('.study-chart canvas').evaluate((node) => {
      const canvas = node as unknown as {
        width: number;
        height: number;
        getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
      };
      const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
      return n;
    });
    assert.ok(painted > 1000, `the study chart painted only ${painted} pixels`);
    await wb.page.mouse.move(700, 690);
    await wb.screenshot('study-view');
    // A point's cell opens its two seeds' runs in the runs view.
    await view.locator('button.study-point[data-curve="negation"][data-size="800"]').click();
    // Two runs × train/val, each smoothed with its raw values faintly behind: 8 datasets.
    await view.locator('.compare[data-view="runs"] figure[data-chart="loss"][data-datasets="8"]').waitFor({ timeout: 60_000 });
    assert.deepEqual(await view.locator('.best-table tbody tr td:first-child').allTextContents(), ['negation-n800-seed0', 'negation-n800-seed1']);
    await wb.screenshot('study-point-runs');
  });
});
