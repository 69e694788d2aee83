/**
 * The extension's commands, from the built commands bundle in plain Node with a stand-in `vscode`: a path
 * given as an argument (another extension, a command link, a test) — a dataset, an output folder, a config,
 * or the dataset a config names — is refused when it leads out of the workspace (`..`, an absolute path
 * elsewhere, a symbolic link out, a NUL byte), before any task starts. Paths inside still work. Needs the build.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_SETTINGS } from '../../src/extension/settings';
import { createFakeVscode, withFakeVscode } from '../helpers/fakeVscode';

const COMMANDS_BUNDLE = resolve(__dirname, '../../dist/extension-commands.js');

type Command = (lab: unknown, arg?: unknown) => Promise<unknown>;
interface Bundle {
  COMMAND_HANDLERS: Record<string, Command>;
}

function setup() {
  assert.ok(existsSync(COMMANDS_BUNDLE), `${COMMANDS_BUNDLE} is missing: run node scripts/build.mjs first`);
  const fake = createFakeVscode();
  // The commands test `arg instanceof vscode.Uri`: the stand-in needs a class there.
  fake.module.Uri = class Uri {
    static file(path: string) {
      return Object.assign(new Uri(), { scheme: 'file', fsPath: path, path });
    }
  };
  delete require.cache[COMMANDS_BUNDLE];
  const handlers = withFakeVscode(fake, () => require(COMMANDS_BUNDLE) as Bundle).COMMAND_HANDLERS;
  const commands = {
    generateDatasetCommand: handlers['weightSpaceLab.generateDataset']!,
    augmentDatasetCommand: handlers['weightSpaceLab.augmentDataset']!,
    newExperimentConfigCommand: handlers['weightSpaceLab.newExperimentConfig']!,
    trainExperimentCommand: handlers['weightSpaceLab.trainExperiment']!,
    resumeCommand: handlers['weightSpaceLab.resume']!,
  };
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'wslab-cmdpaths-')));
  const root = join(base, 'workspace');
  const outside = join(base, 'outside');
  mkdirSync(join(root, 'datasets', 'mnist-8'), { recursive: true });
  mkdirSync(outside);
  symlinkSync(outside, join(root, 'link-out'));
  writeFileSync(join(root, 'ok.wslab.json'), JSON.stringify({ dataset: 'datasets/mnist-8' }));
  writeFileSync(join(root, 'escapes.wslab.json'), JSON.stringify({ dataset: '../outside/data' }));
  writeFileSync(join(root, 'linked.wslab.json'), JSON.stringify({ dataset: 'link-out/data' }));
  mkdirSync(join(root, 'runs', 'moved'), { recursive: true });
  writeFileSync(join(root, 'runs', 'moved', 'config.json'), JSON.stringify({ dataset: join(outside, 'data') }));
  const jobs: { out?: string; config?: string }[] = [];
  const lab = {
    requireRoot: () => root,
    settings: () => DEFAULT_SETTINGS,
    inRoot: (p: string) => resolve(root, p),
    startTask: (task: { job: { out?: string; config?: string } }) => {
      jobs.push(task.job);
      return { id: jobs.length };
    },
  };
  return { commands, lab, root, outside, jobs };
}

const refused = (what: RegExp) => (e: unknown) => {
  assert.equal((e as Error).name, 'UserError', String(e));
  assert.match((e as Error).message, /refused, /);
  assert.match((e as Error).message, what);
  return true;
};

test('generate, augment, new config and train refuse argument paths that leave the workspace', async () => {
  const { commands, lab, outside, jobs } = setup();
  await assert.rejects(commands.generateDatasetCommand(lab, { dataset: 'mnist', limit: 8, out: '../outside/ds' }), refused(/the output folder is outside/));
  await assert.rejects(commands.generateDatasetCommand(lab, { dataset: 'mnist', limit: 8, out: join(outside, 'ds') }), refused(/the output folder is outside/));
  await assert.rejects(commands.generateDatasetCommand(lab, { dataset: 'mnist', limit: 8, out: 'link-out/ds' }), refused(/the output folder is outside/));
  await assert.rejects(commands.generateDatasetCommand(lab, { dataset: 'datasets/x\0', limit: 8 }), refused(/NUL byte/));
  await assert.rejects(commands.generateDatasetCommand(lab, { dataset: '/etc', limit: 8 }), refused(/the image folder is outside/));
  await assert.rejects(commands.augmentDatasetCommand(lab, { input: '../outside', aug: 'permute' }), refused(/the dataset to augment is outside/));
  await assert.rejects(
    commands.augmentDatasetCommand(lab, { input: 'datasets/mnist-8', aug: 'permute', out: 'link-out/aug' }),
    refused(/the output folder is outside/),
  );
  await assert.rejects(commands.newExperimentConfigCommand(lab, { dataset: 'link-out' }), refused(/the dataset is outside/));
  await assert.rejects(commands.trainExperimentCommand(lab, { config: '../outside/x.wslab.json' }), refused(/the experiment config is outside/));
  await assert.rejects(commands.trainExperimentCommand(lab, { config: 'escapes.wslab.json' }), refused(/the dataset path in escapes\.wslab\.json is outside/));
  await assert.rejects(commands.trainExperimentCommand(lab, { config: 'linked.wslab.json' }), refused(/the dataset path in linked\.wslab\.json is outside/));
  await assert.rejects(commands.resumeCommand(lab, { kind: 'run', label: 'x', path: outside }), refused(/the run folder is outside/));
  await assert.rejects(
    commands.resumeCommand(lab, { kind: 'run', label: 'moved', path: 'runs/moved' }),
    refused(/the dataset path in .*config\.json is outside/),
  );
  await assert.rejects(commands.resumeCommand(lab, { kind: 'dataset', label: 'x', path: 'link-out' }), refused(/the dataset folder is outside/));
  assert.equal(jobs.length, 0, 'no task started');
});

test('paths inside the workspace still start their task', async () => {
  const { commands, lab, root, jobs } = setup();
  await commands.generateDatasetCommand(lab, { dataset: 'mnist', limit: 8, out: 'datasets/new' });
  await commands.trainExperimentCommand(lab, { config: 'ok.wslab.json', name: 'ok' });
  assert.deepEqual(
    jobs.map((j) => j.out ?? j.config),
    [join(root, 'datasets', 'new'), join(root, 'ok.wslab.json')],
  );
});
