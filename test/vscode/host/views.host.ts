/**
 * Views the extension contributes (the Experiments tree in its activity-bar container). Driven by
 * package.json: each contributed view must have a case in VIEW_CASES, else "every contributed view has a
 * case" fails and names it.
 *
 * A case gets the view focused (its `<id>.focus` command has run) and the extension's API (activate()
 * returns `{ experimentTree, tasks, … }`), so it reads the tree's items directly.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { contributedViews, extension, manifest, screenshot, type LabApi, type TreeNode } from './helpers';

const VIEW_CASES: Record<string, (api: unknown) => Promise<void>> = {
  // Runs after extension.host.ts, whose command cases generated datasets and trained runs in the workspace.
  'weightSpaceLab.experiments': async (exports) => {
    const api = exports as LabApi;
    const roots = await api.experimentTree.refreshNow();
    assert.deepEqual(
      roots.map((n) => n.label),
      ['Configs', 'Datasets', 'Runs', 'Studies'],
    );
    const [configs, datasets, runs, studies] = roots as [TreeNode, TreeNode, TreeNode, TreeNode];
    assert.ok(!configs.children!.some((c) => c.label.endsWith('.study.wslab.json')), 'study files are not configs');
    const study = studies.children!.find((c) => c.label === 'tiny.study.wslab.json');
    assert.equal(study?.description, 'complete · 4 runs');
    // A click on a study opens its Study view: the item's command gets the node.
    const studyItem = api.experimentTree.getTreeItem(study!);
    assert.equal(studyItem.command?.command, 'weightSpaceLab.openStudy');
    assert.equal((studyItem.command?.arguments?.[0] as TreeNode).id, study!.id);
    assert.ok(configs.children!.some((c) => c.label === 'mnist-64-dwsnet.wslab.json'));
    const dataset = datasets.children!.find((c) => c.label === 'mnist-64');
    assert.ok(dataset, `no mnist-64 among ${datasets.children!.map((c) => c.label).join(', ')}`);
    assert.match(dataset.description ?? '', /^64 INRs · PSNR/);
    const group = runs.children!.find((c) => c.label === 'mnist-64-dwsnet');
    const run = group?.children?.find((c) => c.label === 'mnist-64-dwsnet');
    assert.ok(run, 'the finished run is listed under its config');
    assert.equal(run.contextValue, 'run.done');
    // What VS Code renders for it: the state icon and the best validation accuracy.
    const item = api.experimentTree.getTreeItem(run);
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'pass');
    assert.match(String(item.description), /^best val \d+\.\d\d%/);
    assert.equal(item.contextValue, 'run.done');
    await screenshot('dev-host-experiments');
  },
};

describe('views', () => {
  before(() => extension().activate());

  it(`every contributed view has a case in VIEW_CASES (test/vscode/host/views.host.ts) [${contributedViews().length} view(s)]`, () => {
    const missing = contributedViews()
      .map((v) => v.id)
      .filter((id) => !VIEW_CASES[id]);
    assert.deepEqual(missing, [], `add a case for: ${missing.join(', ')}`);
  });

  it('every view sits in a contributed or built-in container', () => {
    const builtIn = new Set(['explorer', 'scm', 'debug', 'test', 'remote']);
    const containers = new Set(Object.values(manifest().contributes.viewsContainers ?? {}).flatMap((list) => list.map((c) => c.id)));
    const orphans = contributedViews().filter((v) => !builtIn.has(v.container) && !containers.has(v.container));
    assert.deepEqual(orphans, []);
  });

  for (const view of contributedViews()) {
    it(`view ${view.id} ("${view.name}") opens and shows what it should`, async () => {
      await vscode.commands.executeCommand(`${view.id}.focus`);
      const testCase = VIEW_CASES[view.id];
      assert.ok(testCase, `no case for ${view.id}`);
      await testCase(extension().exports);
    });
  }
});
