// The Experiments tree without VS Code: a scan of a real workspace folder (configs, a generated dataset,
// a partial one, runs in every state) turned into the nodes the view shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildExperimentTree, flattenTree, type ExperimentNode } from '../../src/extension/tree/experimentModel';
import type { TaskInfo } from '../../src/extension/tasks/taskManager';
import { scanExperiments } from '../../src/core/workspace/experimentScan';
import { COMMAND_IDS } from '../../src/extension/commandIds';

const TINY = resolve(__dirname, '../fixtures/dataset/tiny');
const DEAD_PID = 999_999_999;

function writeJson(path: string, value: unknown): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, JSON.stringify(value));
}

function run(root: string, name: string, config: string, status: Record<string, unknown>, best: number | null): void {
  const dir = join(root, 'runs', name);
  writeJson(join(dir, 'config.json'), { name: config, dataset: '/d' });
  writeJson(join(dir, 'status'), { updated: '2025-01-01T00:00:00Z', ...status });
  if (best !== null)
    writeJson(join(dir, 'summary.json'), {
      name,
      epochs: 10,
      epochsDone: 10,
      steps: 100,
      bestValAccuracy: best,
      bestEpoch: 7,
      testAccuracyAtBest: best - 0.01,
    });
}

/** A workspace with two configs (one broken), two datasets (one finished, one partial) and four runs. */
function workspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'wslab-tree-'));
  writeJson(join(root, 'mnist-dwsnet.wslab.json'), { dataset: 'datasets/tiny', model: { kind: 'dwsnet' } });
  writeFileSync(join(root, 'broken.wslab.json'), '{ "dataset": ');
  writeJson(join(root, 'node_modules', 'x', 'ignored.wslab.json'), { dataset: 'x' });
  cpSync(TINY, join(root, 'datasets', 'tiny'), { recursive: true });
  writeJson(join(root, 'datasets', 'partial', 'dataset.json'), {
    source: { name: 'mnist', count: 10000, classes: Array(10).fill('c') },
    plan: { limit: 100, views: 2 },
    fit: { steps: 500 },
  });
  writeJson(join(root, 'datasets', 'not-a-dataset', 'notes.json'), {});
  run(root, 'mnist-dwsnet', 'mnist-dwsnet', { state: 'done', pid: DEAD_PID }, 0.9312);
  run(root, 'mnist-dwsnet-2', 'mnist-dwsnet', { state: 'failed', pid: DEAD_PID, error: 'training diverged' }, 0.5);
  run(root, 'mnist-dwsnet-3', 'mnist-dwsnet', { state: 'running', pid: DEAD_PID }, null);
  run(root, 'mlp', 'mlp-baseline', { state: 'cancelled', pid: DEAD_PID }, 0.71);
  return root;
}

function find(nodes: readonly ExperimentNode[], id: string): ExperimentNode {
  const node = flattenTree(nodes).find((n) => n.id === id);
  assert.ok(
    node,
    `no node ${id} among ${flattenTree(nodes)
      .map((n) => n.id)
      .join(', ')}`,
  );
  return node;
}

test('an empty workspace gives no items, so the welcome view shows', async () => {
  const root = mkdtempSync(join(tmpdir(), 'wslab-tree-empty-'));
  const scan = await scanExperiments(root, { datasetsFolder: 'datasets', runsFolder: 'runs' });
  assert.deepEqual(buildExperimentTree(scan), []);
});

test('three groups: configs, datasets and runs grouped by config', async () => {
  const root = workspace();
  const nodes = buildExperimentTree(await scanExperiments(root, { datasetsFolder: 'datasets', runsFolder: 'runs' }));
  assert.deepEqual(
    nodes.map((n) => [n.label, n.description]),
    [
      ['Configs', '2'],
      ['Datasets', '2'],
      ['Runs', '4'],
    ],
  );
  assert.deepEqual(
    nodes[0]!.children!.map((c) => c.label),
    ['broken.wslab.json', 'mnist-dwsnet.wslab.json'],
  );
  assert.deepEqual(
    nodes[1]!.children!.map((c) => c.label),
    ['partial', 'tiny'],
  );
  assert.deepEqual(
    nodes[2]!.children!.map((c) => [c.kind, c.label, c.description]),
    [
      // One run: the run itself, not a group repeating its name.
      ['run', 'mlp', 'best val 71.00% · test 70.00% · cancelled'],
      ['runGroup', 'mnist-dwsnet', '3 runs · best 93.12%'],
    ],
  );
  assert.deepEqual(
    find(nodes, 'runGroup:mnist-dwsnet').children!.map((c) => c.label),
    ['mnist-dwsnet', 'mnist-dwsnet-2', 'mnist-dwsnet-3'],
  );
});

test('configs: a broken one shows a warning with the file and the problem; clicking opens the file', async () => {
  const root = workspace();
  const nodes = buildExperimentTree(await scanExperiments(root, { datasetsFolder: 'datasets', runsFolder: 'runs' }));
  const good = find(nodes, `config:${join(root, 'mnist-dwsnet.wslab.json')}`);
  assert.equal(good.description, 'on tiny', 'the dataset by name');
  assert.match(good.tooltip!, /on datasets\/tiny/);
  assert.equal(good.contextValue, 'config');
  assert.equal(good.open, join(root, 'mnist-dwsnet.wslab.json'));
  const broken = find(nodes, `config:${join(root, 'broken.wslab.json')}`);
  assert.equal(broken.icon.id, 'warning');
  assert.match(broken.tooltip!, /broken\.wslab\.json: .*JSON/);
});

test('datasets: size, mean PSNR and state in the description; partial ones say so', async () => {
  const root = workspace();
  const nodes = buildExperimentTree(await scanExperiments(root, { datasetsFolder: 'datasets', runsFolder: 'runs' }));
  const tiny = find(nodes, `dataset:${join(root, 'datasets', 'tiny')}`);
  // The fixture: 3 INRs fitted for 3 steps (PSNR ≈ 6–7 dB), the plan's 3 images × 1 view.
  assert.match(tiny.description!, /^3 INRs · PSNR \d+\.\d dB$/);
  assert.equal(tiny.contextValue, 'dataset.complete');
  assert.equal(tiny.icon.id, 'database');
  assert.match(tiny.tooltip!, /source: mnist \(10 classes\)/);
  const partial = find(nodes, `dataset:${join(root, 'datasets', 'partial')}`);
  assert.equal(partial.description, '200 planned · empty');
  assert.equal(partial.contextValue, 'dataset.empty');
});

test('runs: a state icon, the best validation accuracy in the description, a dead "running" run is interrupted', async () => {
  const root = workspace();
  const nodes = buildExperimentTree(await scanExperiments(root, { datasetsFolder: 'datasets', runsFolder: 'runs' }));
  const runNode = (name: string) => find(nodes, `run:${join(root, 'runs', name)}`);
  assert.deepEqual(
    [runNode('mnist-dwsnet').description, runNode('mnist-dwsnet').icon],
    ['best val 93.12% · test 92.12%', { id: 'pass', color: 'testing.iconPassed' }],
  );
  assert.equal(runNode('mnist-dwsnet').contextValue, 'run.done');
  assert.equal(runNode('mnist-dwsnet-2').description, 'best val 50.00% · test 49.00% · failed');
  assert.match(runNode('mnist-dwsnet-2').tooltip!, /error: training diverged/);
  assert.equal(runNode('mnist-dwsnet-2').icon.id, 'error');
  assert.equal(runNode('mnist-dwsnet-3').contextValue, 'run.interrupted');
  assert.equal(runNode('mnist-dwsnet-3').description, 'best val – · interrupted');
  assert.equal(runNode('mlp').icon.id, 'circle-slash');
});

test('a click on a run opens its run view: the node carries the Open Run command (given the node) and no file to open', async () => {
  const root = workspace();
  const nodes = buildExperimentTree(await scanExperiments(root, { datasetsFolder: 'datasets', runsFolder: 'runs' }));
  const runs = flattenTree(nodes).filter((n) => n.kind === 'run');
  assert.deepEqual(runs.map((n) => n.label).sort(), ['mlp', 'mnist-dwsnet', 'mnist-dwsnet-2', 'mnist-dwsnet-3'], 'lone runs and grouped ones');
  for (const run of runs) {
    assert.equal(run.command, 'weightSpaceLab.openRun', run.label);
    assert.ok((COMMAND_IDS as readonly string[]).includes(run.command!));
    assert.equal(run.open, undefined, `${run.label} still opens a file`);
    assert.equal(run.path, join(root, 'runs', run.label), 'the command gets the node: its path is the run folder');
  }
});

test('a run whose process is alive is running', async () => {
  const root = workspace();
  run(root, 'live', 'mnist-dwsnet', { state: 'running', pid: process.pid }, null);
  const nodes = buildExperimentTree(await scanExperiments(root, { datasetsFolder: 'datasets', runsFolder: 'runs' }));
  const live = find(nodes, `run:${join(root, 'runs', 'live')}`);
  assert.equal(live.contextValue, 'run.running');
  assert.deepEqual(live.icon, { id: 'sync~spin', color: 'charts.blue' });
});

test('tasks in flight mark their dataset or run, and a dataset without files yet shows as generating', async () => {
  const root = workspace();
  const scan = await scanExperiments(root, { datasetsFolder: 'datasets', runsFolder: 'runs' });
  const task = (id: number, target: string, kind: 'generate' | 'train', done: number): TaskInfo =>
    ({
      id,
      title: 't',
      job:
        kind === 'generate'
          ? {
              kind,
              dataset: 'mnist',
              out: target,
              limit: 8,
              views: 1,
              steps: 1,
              targetPsnr: null,
              seed: 0,
              shardSize: 4,
              valFraction: 0.1,
              testFraction: 0.1,
              backend: 'wasm',
              workers: null,
            }
          : { kind, config: 'c', runDir: target, resume: false, overrides: [] },
      target,
      state: 'running',
      progress: { done, total: 200, unit: 'INRs', rate: null, rateUnit: '', etaSec: null, detail: '' },
    }) as TaskInfo;
  const nodes = buildExperimentTree(scan, [
    task(1, join(root, 'datasets', 'partial'), 'generate', 84),
    task(2, join(root, 'datasets', 'fresh'), 'generate', 0),
    task(3, join(root, 'runs', 'mlp'), 'train', 100),
  ]);
  const partial = find(nodes, `dataset:${join(root, 'datasets', 'partial')}`);
  assert.equal(partial.description, '200 planned · generating 42%');
  assert.equal(partial.contextValue, 'dataset.busy');
  assert.equal(find(nodes, `dataset:${join(root, 'datasets', 'fresh')}`).description, 'generating 0%');
  const mlp = find(nodes, `run:${join(root, 'runs', 'mlp')}`);
  assert.equal(mlp.contextValue, 'run.running');
  assert.match(mlp.description!, /· 50%$/);
});

test('other dataset and run folders can be configured', async () => {
  const root = workspace();
  const nodes = buildExperimentTree(await scanExperiments(root, { datasetsFolder: 'elsewhere', runsFolder: 'runs' }));
  assert.deepEqual(
    find(nodes, 'group:datasets').children!.map((c) => c.kind),
    ['hint'],
  );
  assert.equal(find(nodes, 'group:datasets').children![0]!.command, 'weightSpaceLab.generateDataset');
});
