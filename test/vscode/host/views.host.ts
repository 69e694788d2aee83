/**
 * Views the extension contributes (activity-bar containers, tree views such as the experiment tree of
 * issue 8). Driven by package.json: each contributed view must have a case in VIEW_CASES, else
 * "every contributed view has a case" fails and names it. Today the extension contributes no view, so the
 * per-view tests are not generated and the coverage tests pass vacuously (they print the count).
 *
 * A case gets the view focused (its `<id>.focus` command has run). To check a tree's items from here, the
 * extension must expose them: e.g. have activate() return `{ experimentTree: provider }` and read
 * `extension().exports` — see scripts/vscode/README-section.md.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { contributedViews, extension, manifest } from './helpers';

const VIEW_CASES: Record<string, (api: unknown) => Promise<void>> = {
  // 'weightSpaceLab.experiments': async (api) => { const items = await (api as Api).experimentTree.getChildren(); ... },
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
    const containers = new Set(
      Object.values(manifest().contributes.viewsContainers ?? {}).flatMap((list) => list.map((c) => c.id)),
    );
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
