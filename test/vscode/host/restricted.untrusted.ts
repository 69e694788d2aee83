/**
 * The extension in Restricted Mode (an untrusted workspace): scripts/vscode/test.mjs runs this suite in a
 * second window with workspace trust on and the folder not trusted, after the main suite has generated
 * datasets and trained runs there. Reading works — the inspector, the Experiments view, comparing runs —
 * and everything that writes to the workspace or starts a worker is refused with an explanation.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { expectInspectorOn, labApi, screenshot, treeNode, workspaceFile, workspaceRoot, type LabApi } from './helpers';

interface Refusal {
  refused: string;
  message: string;
}

describe('restricted mode (untrusted workspace)', function () {
  this.timeout(60_000);
  let api: LabApi;
  before(async () => {
    api = await labApi();
  });

  it('the workspace is not trusted', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  it('training is refused with an explanation; no worker starts and no run folder is written', async () => {
    const runs = join(workspaceRoot().fsPath, 'runs');
    const before = readdirSync(runs);
    const result = await vscode.commands.executeCommand<Refusal>('weightSpaceLab.trainExperiment', workspaceFile('configs/mnist-64-dwsnet.wslab.json'));
    assert.equal(result.refused, 'untrusted');
    assert.match(
      result.message,
      /^Training is disabled in Restricted Mode: it writes files in this workspace and runs a background process\. Trust the workspace/,
    );
    assert.deepEqual(api.tasks.list(), []);
    assert.deepEqual(readdirSync(runs), before);
  });

  const REFUSED: [string, string, unknown][] = [
    ['weightSpaceLab.generateDataset', 'Generating an INR dataset', { dataset: 'mnist', limit: 8, out: 'datasets/untrusted' }],
    ['weightSpaceLab.augmentDataset', 'Augmenting a dataset', { input: 'datasets/mnist-64', aug: 'permute' }],
    ['weightSpaceLab.previewAugmentations', 'Previewing augmentations', { dataset: 'datasets/mnist-64', aug: 'permute' }],
    ['weightSpaceLab.newExperimentConfig', 'Creating an experiment config', { dataset: 'datasets/mnist-64' }],
    ['weightSpaceLab.resume', 'Resuming a task', 1],
    ['weightSpaceLab.evaluateRun', 'Evaluating a run', { run: 'runs/mnist-64-dwsnet', split: 'test', checkpoint: 'best' }],
    ['weightSpaceLab.deleteItem', 'Deleting', { path: join(workspaceRoot().fsPath, 'datasets', 'mnist-64') }],
  ];
  for (const [command, action, arg] of REFUSED) {
    it(`${command} is refused too`, async () => {
      const result = await vscode.commands.executeCommand<Refusal>(command, arg, { confirmed: true });
      assert.equal(result?.refused, 'untrusted', JSON.stringify(result));
      assert.match(result.message, new RegExp(`^${action} is disabled in Restricted Mode`));
    });
  }

  it('nothing was written or started', () => {
    assert.deepEqual(api.tasks.list(), []);
    assert.equal(existsSync(join(workspaceRoot().fsPath, 'datasets', 'untrusted')), false);
    assert.equal(existsSync(join(workspaceRoot().fsPath, 'datasets', 'mnist-64')), true);
  });

  it('the Experiments view still lists datasets and runs', async () => {
    await vscode.commands.executeCommand('weightSpaceLab.experiments.focus');
    const run = await treeNode(`run:${join(workspaceRoot().fsPath, 'runs', 'mnist-64-dwsnet')}`);
    assert.equal(run.contextValue, 'run.done');
    await treeNode(`dataset:${join(workspaceRoot().fsPath, 'datasets', 'mnist-64')}`);
    await screenshot('restricted-mode-experiments');
  });

  it('the inspector works', async () => {
    const uri = workspaceFile('siren.safetensors');
    await vscode.commands.executeCommand('vscode.open', uri);
    await expectInspectorOn(uri);
  });

  it('comparing runs (read-only) works', async () => {
    const result = await vscode.commands.executeCommand<{ runs: string[] }>('weightSpaceLab.compareRuns', { runs: ['runs/mnist-64-dwsnet'] });
    assert.deepEqual(result.runs, [join(workspaceRoot().fsPath, 'runs', 'mnist-64-dwsnet')]);
  });
});
