/**
 * The extension's views through the UI: each activity-bar container it contributes shows its icon and opens,
 * and each contributed view has a scenario in VIEW_SCENARIOS (a missing one FAILS and names the view).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'mocha';
import { useWorkbench, type Workbench } from './harness';

interface ViewsManifest {
  contributes: { viewsContainers?: Record<string, { id: string; title: string }[]>; views?: Record<string, { id: string; name: string }[]> };
}

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as ViewsManifest;
const activityBar = manifest.contributes.viewsContainers?.activitybar ?? [];
const views = Object.values(manifest.contributes.views ?? {}).flat();

/** The side bar's width in a new 1280-px window. */
const DEFAULT_SIDE_BAR_WIDTH = 300;

const VIEW_SCENARIOS: Record<string, (wb: Workbench) => Promise<void>> = {
  // The host suite ran first in the same workspace: it generated datasets and trained runs.
  'weightSpaceLab.experiments': async (wb) => {
    // At the side bar's default width (VS Code's 300 px in a 1280 px window) the view's title is not cut
    // by its toolbar.
    await wb.treeItem('Configs').waitFor({ timeout: 30_000 });
    await wb.resizeSideBar(DEFAULT_SIDE_BAR_WIDTH);
    const title = wb.page.locator('.sidebar .composite.title .title-label h2').first();
    const [shown, full] = await title.evaluate((h) => [h.clientWidth, h.scrollWidth]);
    assert.ok(full! <= shown!, `the view title "${await title.textContent()}" is cut: ${full} px of text in ${shown} px`);
    for (const label of ['Configs', 'Datasets', 'Runs', 'mnist-64', 'mnist-64-dwsnet.wslab.json']) {
      await wb.treeItem(label).waitFor({ timeout: 30_000 });
    }
    const run = wb.treeItem('mnist-64-dwsnet-2');
    await run.waitFor();
    await wb.screenshot('experiment-tree-default-width');
    // A config names its dataset.
    assert.match((await wb.treeItem('mnist-64-dwsnet.wslab.json').textContent()) ?? '', /on mnist-64/);
    await wb.widenSideBar();
    assert.match((await run.textContent()) ?? '', /best val \d+\.\d\d%/);
    await wb.screenshot('experiment-tree');
  },
};

describe('views (UI)', function () {
  this.timeout(120_000);
  const workbench = useWorkbench();

  it(`every contributed view has a scenario in VIEW_SCENARIOS (test/vscode/ui/views.ui.ts) [${views.length} view(s)]`, () => {
    const missing = views.map((v) => v.id).filter((id) => !VIEW_SCENARIOS[id]);
    assert.deepEqual(missing, [], `add a UI scenario for: ${missing.join(', ')}`);
  });

  for (const container of activityBar) {
    it(`the activity bar shows "${container.title}" and it opens`, async () => {
      const wb = await workbench();
      const icon = wb.activityBarItem(container.title);
      await icon.waitFor({ timeout: 60_000 });
      await icon.click();
      await wb.page.locator('.sidebar .composite.title', { hasText: container.title }).first().waitFor();
      await wb.screenshot(`activity-bar-${container.id}`);
    });
  }

  for (const view of views) {
    it(`view "${view.name}" (${view.id}) shows what it should`, async () => {
      const wb = await workbench();
      const scenario = VIEW_SCENARIOS[view.id];
      assert.ok(scenario, `no scenario for ${view.id}`);
      await wb.runCommand(`Focus on ${view.name} View`);
      await scenario(wb);
    });
  }
});
