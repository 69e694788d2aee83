/**
 * The extension inside a real VS Code extension host: activation, every contributed command registered and
 * runnable, the inspector custom editor opening every weight-file type it claims.
 *
 * Coverage is driven by package.json: a command, a custom-editor file pattern or a view that is contributed
 * but has no case here makes a test FAIL (not skip) and says what to add. Add the case next to the others.
 */
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import {
  closeAllEditors,
  contributedCommands,
  expectInspectorOn,
  extension,
  INSPECTOR_VIEW_TYPE,
  manifest,
  waitFor,
  workspaceFile,
  workspaceRoot,
} from './helpers';

/**
 * How to run each contributed command in a test, and what must be true afterwards. Every command in
 * package.json `contributes.commands` needs an entry (a missing one fails "every contributed command has a case").
 */
const COMMAND_CASES: Record<string, { title: string; run: () => Promise<void> }[]> = {
  'weightSpaceLab.inspectWeightFile': [
    {
      title: 'with a file (the explorer context menu) opens the inspector on it',
      run: async () => {
        const uri = workspaceFile('siren.safetensors');
        await vscode.commands.executeCommand('weightSpaceLab.inspectWeightFile', uri);
        await expectInspectorOn(uri);
      },
    },
    {
      title: 'without a file asks for one; cancelling opens nothing and does not throw',
      run: async () => {
        await closeAllEditors();
        const done = vscode.commands.executeCommand('weightSpaceLab.inspectWeightFile');
        // In a remote window the open dialog is VS Code's own (a quick input): wait for it, then cancel it.
        await new Promise((resolve) => setTimeout(resolve, 1500));
        await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
        await done;
        assert.equal(vscode.window.tabGroups.activeTabGroup.tabs.length, 0, 'an editor was opened after cancelling');
      },
    },
  ],
};

/** A weight file in the test workspace for each file pattern the inspector claims (see WORKSPACE_FILES in scripts/vscode/lib.mjs). */
const SAMPLE_FOR_PATTERN: Record<string, string> = {
  '*.safetensors': 'siren.safetensors',
  '*.npy': 'v1_float32.npy',
  '*.npz': 'savez.npz',
  '*.pt': 'siren.pt',
  '*.pth': 'siren.pth',
};

/** Where the malicious fixtures' payloads would leave a file if anything ever ran them. */
const PWNED_PREFIX = 'wslab-pwned-';

describe('activation', () => {
  it('the extension is present in the window', () => {
    const ext = extension();
    assert.equal(ext.packageJSON.name, 'weight-space-lab');
  });

  it('activates without throwing', async () => {
    const ext = extension();
    await ext.activate();
    assert.equal(ext.isActive, true);
  });
});

describe('commands', () => {
  before(() => extension().activate());
  after(closeAllEditors);

  it('every contributed command is registered', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributedCommands().filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `contributed in package.json but not registered by activate(): ${missing.join(', ')}`);
  });

  it('every contributed command has a case in COMMAND_CASES (test/vscode/host/extension.host.ts)', () => {
    const missing = contributedCommands().filter((id) => !COMMAND_CASES[id]?.length);
    assert.deepEqual(missing, [], `add a runnable case for: ${missing.join(', ')}`);
  });

  it('every command a menu names is a contributed command', () => {
    const contributed = new Set(contributedCommands());
    const unknown = Object.entries(manifest().contributes.menus ?? {}).flatMap(([menu, items]) =>
      items.filter((i) => i.command && !contributed.has(i.command)).map((i) => `${menu}: ${i.command}`),
    );
    assert.deepEqual(unknown, []);
  });

  for (const id of Object.keys(COMMAND_CASES)) {
    for (const testCase of COMMAND_CASES[id]!) {
      it(`${id} ${testCase.title}`, testCase.run);
    }
  }
});

describe('inspector custom editor', () => {
  const started = Date.now();
  before(() => extension().activate());
  afterEach(closeAllEditors);

  it('is contributed with the view type the extension registers', () => {
    const editors = manifest().contributes.customEditors ?? [];
    assert.deepEqual(
      editors.map((e) => e.viewType),
      [INSPECTOR_VIEW_TYPE],
    );
  });

  it('every file pattern it claims has a sample in the test workspace', () => {
    const patterns = (manifest().contributes.customEditors ?? []).flatMap((e) => e.selector.map((s) => s.filenamePattern));
    const missing = patterns.filter((p) => !SAMPLE_FOR_PATTERN[p]);
    assert.deepEqual(missing, [], `add a sample file for: ${missing.join(', ')}`);
  });

  for (const [pattern, sample] of Object.entries(SAMPLE_FOR_PATTERN)) {
    it(`is the default editor for ${pattern} (opens ${sample})`, async () => {
      const uri = workspaceFile(sample);
      await vscode.commands.executeCommand('vscode.open', uri);
      await expectInspectorOn(uri);
    });
  }

  it('opens a malicious .pth (the error is shown; nothing in it runs)', async () => {
    const uri = workspaceFile('malicious-os-system.pth');
    await vscode.commands.executeCommand('vscode.open', uri);
    await expectInspectorOn(uri);
    await new Promise((resolve) => setTimeout(resolve, 1000)); // give a (wrongly) executed payload time to act
    const pwned = readdirSync(tmpdir()).filter(
      (f) => f.startsWith(PWNED_PREFIX) && statSync(join(tmpdir(), f)).mtimeMs >= started,
    );
    assert.deepEqual(pwned, [], 'a malicious pickle payload ran');
  });

  it('opens side by side with the same file (supportsMultipleEditorsPerDocument)', async () => {
    const uri = workspaceFile('siren.safetensors');
    await vscode.commands.executeCommand('vscode.openWith', uri, INSPECTOR_VIEW_TYPE, vscode.ViewColumn.One);
    await vscode.commands.executeCommand('vscode.openWith', uri, INSPECTOR_VIEW_TYPE, vscode.ViewColumn.Two);
    await waitFor('two inspector tabs', () => {
      const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs);
      return tabs.filter((t) => t.input instanceof vscode.TabInputCustom && t.input.uri.toString() === uri.toString()).length === 2;
    });
  });

  it('the test workspace is the one laid out by the driver', () => {
    assert.match(workspaceRoot().path, /\/wslab-vscode-[^/]+\/weights$/);
  });
});
