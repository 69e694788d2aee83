/**
 * The extension inside a real VS Code extension host: activation, every contributed command registered and
 * runnable, the inspector custom editor opening every weight-file type it claims.
 *
 * Coverage is driven by package.json: a command, a custom-editor file pattern or a view that is contributed
 * but has no case here makes a test FAIL (not skip) and says what to add. Add the case next to the others.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
  labApi,
  manifest,
  runTask,
  treeNode,
  waitFor,
  type TaskInfo,
  workspaceFile,
  workspaceRoot,
} from './helpers';
import { SLURM_CASES } from './slurmCases';
import type { RenderOutcome } from '../../../src/extension/panels/preview/session';

/**
 * How to run each contributed command in a test, and what must be true afterwards. Every command in
 * package.json `contributes.commands` needs an entry (a missing one fails "every contributed command has a case").
 */
const COMMAND_CASES: Record<string, { title: string; timeoutMs?: number; run: () => Promise<void> }[]> = {
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
  // The cases below build on each other, in this order: a dataset, a config, runs, then the rest.
  'weightSpaceLab.generateDataset': [
    {
      title: 'generates an MNIST INR dataset in a worker process; the tree shows it, complete, with its PSNR',
      timeoutMs: 180_000,
      run: async () => {
        const end = await runTask('weightSpaceLab.generateDataset', { dataset: 'mnist', limit: 64, steps: 150, out: 'datasets/mnist-64' });
        assert.equal(end.state, 'done', end.error?.message);
        assert.deepEqual(end.result, { kind: 'generate', out: datasetDir('mnist-64'), items: 64, complete: true });
        assert.match(end.backend ?? '', /^wasm/);
        const node = await treeNode(`dataset:${datasetDir('mnist-64')}`);
        assert.match(node.description ?? '', /^64 INRs · PSNR \d+\.\d dB$/);
        assert.equal(node.contextValue, 'dataset.complete');
      },
    },
    {
      title: 'from the palette asks which images (quick pick); dismissing it starts nothing',
      run: async () => {
        const api = await labApi();
        const before = api.tasks.list().length;
        const done = vscode.commands.executeCommand('weightSpaceLab.generateDataset');
        await new Promise((resolve) => setTimeout(resolve, 1500));
        await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
        assert.equal(await done, undefined);
        assert.equal(api.tasks.list().length, before);
      },
    },
  ],
  'weightSpaceLab.newExperimentConfig': [
    {
      title: 'writes a starter config for the dataset and opens it; the JSON schema validates *.wslab.json files',
      timeoutMs: 90_000,
      run: async () => {
        const result = await vscode.commands.executeCommand<{ file: string }>('weightSpaceLab.newExperimentConfig', {
          dataset: 'datasets/mnist-64',
          model: 'dwsnet',
          epochs: 3,
        });
        assert.equal(result.file, join(workspaceRoot().fsPath, 'configs', 'mnist-64-dwsnet.wslab.json'));
        const config = JSON.parse(readFileSync(result.file, 'utf8')) as { dataset: string; $comment: string[]; model: { kind: string } };
        assert.equal(config.dataset, '../datasets/mnist-64');
        assert.equal(config.model.kind, 'dwsnet');
        assert.ok(config.$comment.length > 3);
        await waitFor('the new config to be the active editor', () => vscode.window.activeTextEditor?.document.uri.fsPath === result.file);
        // jsonValidation: a misspelt key in a *.wslab.json is flagged by VS Code's JSON language service.
        const bad = workspaceFile('misspelt.wslab.json');
        writeFileSync(bad.fsPath, JSON.stringify({ dataset: 'datasets/mnist-64', optimizer: { lrr: 0.1 } }, null, 2));
        await vscode.window.showTextDocument(bad);
        await waitFor('a schema diagnostic on "lrr"', () => vscode.languages.getDiagnostics(bad).some((d) => /lrr/.test(d.message)), 60_000);
        await closeAllEditors();
        rmSync(bad.fsPath);
      },
    },
  ],
  'weightSpaceLab.trainExperiment': [
    {
      title: 'trains the config in a worker; the run is done and shows under Runs with its best validation accuracy',
      timeoutMs: 240_000,
      run: async () => {
        const end = await runTask('weightSpaceLab.trainExperiment', workspaceFile('configs/mnist-64-dwsnet.wslab.json'));
        assert.equal(end.state, 'done', end.error?.message);
        assert.equal(end.result?.kind, 'train');
        assert.equal(typeof end.result?.bestValAccuracy, 'number');
        const run = await treeNode(`run:${runDir('mnist-64-dwsnet')}`);
        assert.equal(run.contextValue, 'run.done');
        assert.match(run.description ?? '', /^best val \d+\.\d\d% · test \d+\.\d\d%$/);
        // The config's only run stands on its own under Runs (a group of one would repeat its name).
        const runs = await treeNode('group:runs');
        assert.ok(
          runs.children?.some((c) => c.id === run.id),
          `Runs lists ${runs.children?.map((c) => c.id).join(', ')}`,
        );
      },
    },
    {
      title: 'a second run of the same config goes to a new run folder in the same group',
      timeoutMs: 240_000,
      run: async () => {
        const end = await runTask('weightSpaceLab.trainExperiment', { config: 'configs/mnist-64-dwsnet.wslab.json', ifExists: 'new' });
        assert.equal(end.state, 'done', end.error?.message);
        const group = await treeNode('runGroup:mnist-64-dwsnet');
        assert.deepEqual(
          group.children?.map((c) => c.label),
          ['mnist-64-dwsnet', 'mnist-64-dwsnet-2'],
        );
      },
    },
  ],
  'weightSpaceLab.augmentDataset': [
    {
      title: 'writes an augmented copy of the dataset next to it',
      timeoutMs: 120_000,
      run: async () => {
        const end = await runTask('weightSpaceLab.augmentDataset', { input: 'datasets/mnist-64', aug: 'translate+siren-negation', copies: 1 });
        assert.equal(end.state, 'done', end.error?.message);
        assert.deepEqual(end.result, { kind: 'augment', out: datasetDir('mnist-64-aug-translate-siren-negation'), items: 64 });
        const node = await treeNode(`dataset:${datasetDir('mnist-64-aug-translate-siren-negation')}`);
        assert.match(node.description ?? '', /^64 INRs/);
      },
    },
  ],
  'weightSpaceLab.previewAugmentations': [
    {
      title: 'opens the augmentation preview panel and renders the first step of the chain with its error',
      timeoutMs: 120_000,
      run: async () => {
        await closeAllEditors();
        const handle = await vscode.commands.executeCommand<{ whenRendered(): Promise<RenderOutcome> }>('weightSpaceLab.previewAugmentations', {
          dataset: 'datasets/mnist-64',
          aug: 'rotate+permute',
        });
        const outcome = await handle.whenRendered();
        assert.ok(outcome.ok, outcome.ok ? '' : outcome.error.message);
        assert.equal(outcome.preview.selection.augmentation, 'rotate');
        const error = outcome.preview.samples[0]?.error;
        assert.ok(typeof error === 'number' && error < 1e-4, `function-preservation error ${error}`);
        await waitFor('the preview panel', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.label === 'Preview: mnist-64'));
      },
    },
  ],
  'weightSpaceLab.compareRuns': [
    {
      title: 'opens the run comparison panel on the selected runs',
      run: async () => {
        const result = await vscode.commands.executeCommand<{ runs: string[]; panel: { panel: vscode.WebviewPanel; runs: string[] } }>(
          'weightSpaceLab.compareRuns',
          { runs: ['runs/mnist-64-dwsnet', 'runs/mnist-64-dwsnet-2'] },
        );
        assert.deepEqual(result.runs, [runDir('mnist-64-dwsnet'), runDir('mnist-64-dwsnet-2')]);
        assert.deepEqual(result.panel.runs, result.runs);
        assert.equal(result.panel.panel.title, 'Compare 2 runs');
        await waitFor('the comparison panel', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.label === 'Compare 2 runs'));
      },
    },
    {
      title: 'from the tree context menu takes the selected run items',
      run: async () => {
        const a = await treeNode(`run:${runDir('mnist-64-dwsnet')}`);
        const b = await treeNode(`run:${runDir('mnist-64-dwsnet-2')}`);
        const result = await vscode.commands.executeCommand<{ runs: string[] }>('weightSpaceLab.compareRuns', a, [a, b]);
        assert.deepEqual(result.runs, [runDir('mnist-64-dwsnet'), runDir('mnist-64-dwsnet-2')]);
      },
    },
  ],
  'weightSpaceLab.openRun': [
    {
      title: 'a click on a run in the tree opens its run view, "Run: <name>"; opening it again shows the same panel',
      run: async () => {
        const node = await treeNode(`run:${runDir('mnist-64-dwsnet')}`);
        // What a click runs: the node's command, given the node.
        const result = await vscode.commands.executeCommand<{ run: string; panel: { panel: vscode.WebviewPanel; runs: string[] } }>(
          'weightSpaceLab.openRun',
          node,
        );
        assert.equal(result.run, runDir('mnist-64-dwsnet'));
        assert.deepEqual(result.panel.runs, [runDir('mnist-64-dwsnet')]);
        assert.equal(result.panel.panel.title, 'Run: mnist-64-dwsnet');
        await waitFor('the run view', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.label === 'Run: mnist-64-dwsnet'));
        const again = await vscode.commands.executeCommand<{ panel: { panel: vscode.WebviewPanel } }>('weightSpaceLab.openRun', 'runs/mnist-64-dwsnet');
        assert.equal(again.panel.panel, result.panel.panel);
      },
    },
  ],
  'weightSpaceLab.evaluateRun': [
    {
      title: 'evaluates the best checkpoint in a worker: on the test split it scores the run’s test accuracy at best validation',
      timeoutMs: 120_000,
      run: async () => {
        const end = await runTask('weightSpaceLab.evaluateRun', { run: 'runs/mnist-64-dwsnet', split: 'test', checkpoint: 'best' });
        assert.equal(end.state, 'done', end.error?.message);
        const result = end.result as { kind: string; accuracy: number; count: number } | undefined;
        assert.ok(result?.kind === 'eval', JSON.stringify(result));
        const summary = JSON.parse(readFileSync(join(runDir('mnist-64-dwsnet'), 'summary.json'), 'utf8')) as { testAccuracyAtBest: number };
        // Training scored it on the fused kernels, evaluation runs on TensorFlow.js: at most one INR apart.
        assert.ok(
          Math.abs(result.accuracy - summary.testAccuracyAtBest) <= 1 / result.count + 1e-9,
          `evaluated ${result.accuracy}, training recorded ${summary.testAccuracyAtBest}`,
        );
      },
    },
  ],
  'weightSpaceLab.runStudy': [
    {
      title: 'trains every run of a study in a worker (sizes × conditions × seeds), writes study.json, opens the Study view; the tree shows it complete',
      timeoutMs: 300_000,
      run: async () => {
        writeFileSync(
          workspaceFile('tiny.study.wslab.json').fsPath,
          JSON.stringify({
            base: { dataset: 'datasets/mnist-64', model: { kind: 'dwsnet', hidden: 4, layers: 2, headHidden: 8 }, optimizer: { epochs: 2, batchSize: 8 } },
            sizes: [16, 40],
            conditions: [
              { name: 'none', augment: [] },
              { name: 'negation', augment: [{ name: 'siren-negation', p: 0.5 }] },
            ],
            seeds: [0],
          }),
        );
        const end = await runTask('weightSpaceLab.runStudy', { file: 'tiny.study.wslab.json' });
        assert.equal(end.state, 'done', end.error?.message);
        const out = join(workspaceRoot().fsPath, 'studies', 'tiny');
        assert.deepEqual(end.result, { kind: 'study', out, runsFinished: 4, runsTotal: 4 });
        const study = JSON.parse(readFileSync(join(out, 'study.json'), 'utf8')) as { complete: boolean; curves: { key: string; points: { mean: number }[] }[] };
        assert.equal(study.complete, true);
        assert.deepEqual(
          study.curves.map((c) => c.key),
          ['none', 'negation'],
        );
        assert.ok(study.curves.every((c) => c.points.every((p) => p.mean >= 0 && p.mean <= 1)));
        await waitFor('the Study view', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.label.startsWith('Study tiny')));
        const node = await treeNode(`study:${workspaceFile('tiny.study.wslab.json').fsPath}`);
        assert.equal(node.description, 'complete · 4 runs');
        assert.equal(node.contextValue, 'study.complete');
      },
    },
  ],
  'weightSpaceLab.openStudy': [
    {
      title: 'from the tree opens the Study view of the study folder',
      run: async () => {
        await closeAllEditors();
        const node = await treeNode(`study:${workspaceFile('tiny.study.wslab.json').fsPath}`);
        const result = await vscode.commands.executeCommand<{ out: string; panel: { study: string | null; panel: vscode.WebviewPanel } }>(
          'weightSpaceLab.openStudy',
          node,
        );
        assert.equal(result.out, join(workspaceRoot().fsPath, 'studies', 'tiny'));
        assert.equal(result.panel.study, result.out);
        await waitFor('the Study view', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.label.startsWith('Study tiny')));
      },
    },
  ],
  'weightSpaceLab.openDatasetSample': [
    {
      title: 'opens one INR of the dataset in the inspector',
      run: async () => {
        const node = await treeNode(`dataset:${datasetDir('mnist-64')}`);
        const result = await vscode.commands.executeCommand<{ file: string; id: string }>('weightSpaceLab.openDatasetSample', node);
        assert.match(result.id, /^img\d+-v0$/);
        await expectInspectorOn(vscode.Uri.file(result.file));
      },
    },
  ],
  'weightSpaceLab.revealInExplorer': [
    {
      title: 'reveals a dataset folder in the explorer',
      run: async () => {
        const node = await treeNode(`dataset:${datasetDir('mnist-64')}`);
        assert.equal(await vscode.commands.executeCommand('weightSpaceLab.revealInExplorer', node), undefined);
      },
    },
  ],
  'weightSpaceLab.refreshExperiments': [
    {
      title: 'rescans: a run folder made behind the extension’s back appears',
      run: async () => {
        const dir = runDir('made-by-hand');
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, 'config.json'), JSON.stringify({ name: 'by-hand' }));
        writeFileSync(join(dir, 'status'), JSON.stringify({ state: 'failed', updated: new Date().toISOString(), error: 'made by hand' }));
        await vscode.commands.executeCommand('weightSpaceLab.refreshExperiments');
        const api = await labApi();
        assert.ok(api.experimentTree.allNodes().some((n) => n.id === `run:${dir}` && n.contextValue === 'run.failed'));
        rmSync(dir, { recursive: true });
      },
    },
  ],
  'weightSpaceLab.cancelTask': [
    {
      title: 'stops the running generation promptly; its finished shards stay and the tree shows the dataset as partial',
      timeoutMs: 180_000,
      run: async () => {
        const api = await labApi();
        const task = await vscode.commands.executeCommand<TaskInfo>('weightSpaceLab.generateDataset', {
          dataset: 'mnist',
          limit: 96,
          steps: 400,
          targetPsnr: null,
          shardSize: 8,
          out: 'datasets/to-cancel',
        });
        const shards = join(datasetDir('to-cancel'), 'shards');
        await waitFor('the first shard', () => existsSync(shards) && readdirSync(shards).some((f) => f.endsWith('.safetensors')), 120_000);
        const asked = Date.now();
        const cancelled = await vscode.commands.executeCommand<TaskInfo>('weightSpaceLab.cancelTask');
        assert.equal(cancelled.id, task.id);
        const end = await api.tasks.whenSettled(task.id);
        assert.equal(end.state, 'cancelled');
        assert.ok(Date.now() - asked < 10_000, `cancel took ${Date.now() - asked} ms`);
        const node = await treeNode(`dataset:${datasetDir('to-cancel')}`);
        assert.equal(node.contextValue, 'dataset.partial');
        assert.match(node.description ?? '', /^\d+\/96 INRs/);
      },
    },
  ],
  'weightSpaceLab.resume': [
    {
      title: 'resumes the partial dataset from the tree: the finished shards are kept, the rest is fitted',
      timeoutMs: 240_000,
      run: async () => {
        const node = await treeNode(`dataset:${datasetDir('to-cancel')}`);
        const end = await runTask('weightSpaceLab.resume', node);
        assert.equal(end.state, 'done', end.error?.message);
        assert.match(end.detail ?? '', /96 INRs planned; [1-9]\d* already done/);
        assert.equal((await treeNode(`dataset:${datasetDir('to-cancel')}`)).contextValue, 'dataset.complete');
      },
    },
  ],
  'weightSpaceLab.deleteItem': [
    {
      title: 'deletes a dataset folder once confirmed; the tree drops it',
      run: async () => {
        const dir = datasetDir('to-cancel');
        const node = await treeNode(`dataset:${dir}`);
        const result = await vscode.commands.executeCommand<{ deleted: string }>('weightSpaceLab.deleteItem', node, { confirmed: true });
        assert.equal(result.deleted, dir);
        assert.equal(existsSync(dir), false);
        const api = await labApi();
        assert.equal(
          api.experimentTree.allNodes().some((n) => n.id === `dataset:${dir}`),
          false,
        );
      },
    },
  ],
  'weightSpaceLab.showLog': [
    {
      title: 'shows the output channel, which has logged every task',
      run: async () => {
        assert.equal(await vscode.commands.executeCommand('weightSpaceLab.showLog'), undefined);
      },
    },
  ],
  ...SLURM_CASES,
};

function datasetDir(name: string): string {
  return join(workspaceRoot().fsPath, 'datasets', name);
}

function runDir(name: string): string {
  return join(workspaceRoot().fsPath, 'runs', name);
}

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
      it(`${id} ${testCase.title}`, async function () {
        this.timeout(testCase.timeoutMs ?? 60_000);
        await testCase.run();
      });
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
    const pwned = readdirSync(tmpdir()).filter((f) => f.startsWith(PWNED_PREFIX) && statSync(join(tmpdir(), f)).mtimeMs >= started);
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
