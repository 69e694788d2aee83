// dist/extension.js loaded in plain Node with a stand-in `vscode`: activate() registers every command of
// package.json, the Experiments view, the inspector and the status bar item — and takes well under 50 ms,
// because the main bundle holds only the views and the task plumbing (commands load on first use, heavy
// engines run in worker processes). Needs the build (npm test builds first).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createFakeVscode, withFakeVscode, type FakeVscode } from '../helpers/fakeVscode';

const ROOT = resolve(__dirname, '../..');
const BUNDLE = join(ROOT, 'dist', 'extension.js');
const COMMANDS_BUNDLE = join(ROOT, 'dist', 'extension-commands.js');

interface Api {
  activation: { loadMs: number; activateMs: number; totalMs: number; cpuMs: number };
  status: { text: string };
}

function loadAndActivate(): { api: Api; fake: FakeVscode } {
  assert.ok(existsSync(BUNDLE), `${BUNDLE} is missing: run node scripts/build.mjs first`);
  delete require.cache[BUNDLE];
  delete (globalThis as { __wslabBundleStart?: number }).__wslabBundleStart;
  delete (globalThis as { __wslabBundleCpu?: unknown }).__wslabBundleCpu;
  const fake = createFakeVscode();
  const context = { subscriptions: [], extensionPath: ROOT, extensionUri: { path: ROOT }, globalStorageUri: { fsPath: join(ROOT, '.tmp') } };
  const api = withFakeVscode(fake, () => (require(BUNDLE) as { activate(c: unknown): Api }).activate(context));
  return { api, fake };
}

test('activate registers every contributed command, the Experiments view, the inspector and the status bar item', () => {
  const { api, fake } = loadAndActivate();
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    contributes: { commands: { command: string }[]; views: Record<string, { id: string }[]>; customEditors: { viewType: string }[] };
  };
  assert.deepEqual([...fake.commands.keys()].sort(), manifest.contributes.commands.map((c) => c.command).sort());
  assert.deepEqual(
    fake.treeViews,
    Object.values(manifest.contributes.views)
      .flat()
      .map((v) => v.id),
  );
  assert.deepEqual(
    fake.customEditors,
    manifest.contributes.customEditors.map((e) => e.viewType),
  );
  assert.equal(fake.statusBarItems.length, 1);
  assert.equal(fake.statusBarItems[0]!.shown, true);
  assert.equal(api.status.text, '$(chip) Compute: auto');
});

test('activation takes under 50 ms (evaluating the bundle plus activate())', () => {
  const times = [0, 1, 2].map(() => loadAndActivate().api.activation);
  const best = times.reduce((a, b) => (b.totalMs < a.totalMs ? b : a));
  console.log(
    `activation: ${times.map((t) => `${t.totalMs.toFixed(1)} ms (load ${t.loadMs.toFixed(1)}, activate() ${t.activateMs.toFixed(2)}; CPU ${t.cpuMs.toFixed(1)})`).join(', ')}`,
  );
  assert.ok(best.totalMs > 0 && best.totalMs < 50, `activation took ${best.totalMs.toFixed(1)} ms`);
  assert.ok(best.cpuMs >= 0 && best.cpuMs < 50, `activation used ${best.cpuMs.toFixed(1)} ms of CPU`);
});

test('the activation bundle is small and holds no engine: no TensorFlow.js, schema validator or weight-file readers', () => {
  const text = readFileSync(BUNDLE, 'utf8');
  for (const heavy of ['tfjs-core', 'ajv', 'fflate', 'safetensors header', 'AUGMENTATIONS']) {
    assert.equal(text.includes(heavy), false, `dist/extension.js contains "${heavy}"`);
  }
  assert.ok(statSync(BUNDLE).size < 120_000, `dist/extension.js is ${statSync(BUNDLE).size} bytes`);
  // The commands' bundle has the inspector and the pickers, still no training engine.
  const commands = readFileSync(COMMANDS_BUNDLE, 'utf8');
  assert.equal(commands.includes('tfjs-core'), false, 'dist/extension-commands.js contains TensorFlow.js');
});
