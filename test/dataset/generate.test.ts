import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDataset, type GenerateOptions } from '../../src/core/dataset/generate';
import { loadBundledDataset } from '../../src/core/dataset/bundledSource';
import { mergeDataset } from '../../src/core/dataset/merge';
import { claimDatasetDir, readDatasetSettings, readManifest } from '../../src/core/dataset/manifest';
import { loadInr } from '../../src/core/dataset/loadInr';
import { exportDwsnets } from '../../src/core/dataset/exportDwsnets';
import { readShardItem } from '../../src/core/dataset/shard';
import { readWeightSet } from '../../src/core/formats/registry';
import { CHECK_TORCH_LOAD, PYTHON, torchUnavailable } from '../helpers/python';
import { createBackend } from '../../src/core/inr/backend';
import { renderSiren } from '../../src/core/inr/render';
import { psnr } from '../../src/core/inr/psnr';
import { DEFAULT_SIREN, pixelGrid } from '../../src/core/inr/spec';

const CLI = 'dist/cli.js';
const tmp = (name: string) => mkdtempSync(join(tmpdir(), `wslab-gen-${name}-`));

async function generate(out: string, overrides: Partial<GenerateOptions> = {}) {
  const backend = await createBackend('wasm', { workers: 2 });
  try {
    return await generateDataset({
      out,
      source: await loadBundledDataset('mnist'),
      spec: DEFAULT_SIREN,
      fit: { steps: 60, targetPsnr: null, lr: 5e-4, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
      limit: 20,
      views: 2,
      seed: 5,
      valFraction: 0.2,
      testFraction: 0.2,
      shardSize: 8,
      backend,
      ...overrides,
    });
  } finally {
    await backend.close();
  }
}

/** Every file of a dataset folder, by relative path, as bytes. */
function snapshot(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const name of ['dataset.json', 'manifest.json']) files.set(name, readFileSync(join(dir, name)));
  for (const name of readdirSync(join(dir, 'shards'))) files.set(`shards/${name}`, readFileSync(join(dir, 'shards', name)));
  return files;
}

test('a generated MNIST INR renders back at the PSNR its manifest reports, ≥ the target when it stopped early', async () => {
  const out = tmp('psnr');
  const manifest = await generate(out, { limit: 6, views: 1, fit: { steps: 1000, targetPsnr: 30, lr: 5e-4, beta1: 0.9, beta2: 0.999, eps: 1e-8 } });
  const mnist = await loadBundledDataset('mnist');
  assert.equal(manifest.items.length, 6);
  for (const item of manifest.items) {
    const inr = await loadInr(`${out}#${item.id}`);
    const image = await mnist.image(item.index);
    assert.equal(item.label, image.label);
    const measured = psnr(renderSiren(inr.spec, inr.layers, pixelGrid(28)), image.pixels);
    // The manifest's PSNR comes from the fitter's float32 forward pass (and its sin approximation); the
    // float64 renderer agrees to well under 0.05 dB at these error levels.
    assert.ok(Math.abs(measured - item.psnr) < 0.05, `${item.id}: rendered ${measured} dB, manifest ${item.psnr} dB`);
    if (item.steps < 1000) assert.ok(measured >= 30 - 0.05, `${item.id} stopped early at ${measured} dB`);
  }
});

test('the same seed gives bit-identical shards; another seed does not', async () => {
  const [a, b, c] = [tmp('a'), tmp('b'), tmp('c')];
  await generate(a);
  await generate(b);
  await generate(c, { seed: 6 });
  assert.deepEqual(snapshot(a), snapshot(b));
  assert.notDeepEqual(snapshot(a).get('shards/00000.safetensors'), snapshot(c).get('shards/00000.safetensors'));
});

test('parts made with --shard i/n and merged equal a single run; merge refuses missing or stray shards', async () => {
  const [whole, parts] = [tmp('whole'), tmp('parts')];
  await generate(whole);
  const first = await generate(parts, { part: { index: 0, count: 2 } });
  assert.equal(first.complete, false);
  assert.ok(!existsSync(join(parts, 'manifest.json')), 'a part leaves the manifest to merge');
  await assert.rejects(mergeDataset(parts), /00001\.safetensors: missing/);
  await generate(parts, { part: { index: 1, count: 2 } });
  await mergeDataset(parts);
  assert.deepEqual(snapshot(parts), snapshot(whole));
  copyFileSync(join(parts, 'shards', '00000.safetensors'), join(parts, 'shards', '00000 copy.safetensors'));
  await assert.rejects(mergeDataset(parts), /00000 copy\.safetensors: not a shard of this dataset's plan/);
});

test('a rerun with other settings into the same folder is refused, and nothing is lost', async () => {
  const out = tmp('settings');
  await generate(out);
  const before = snapshot(out);
  await assert.rejects(
    generate(out, { fit: { steps: 61, targetPsnr: null, lr: 5e-4, beta1: 0.9, beta2: 0.999, eps: 1e-8 } }),
    /other settings \(fit\.steps: 60 vs 61\)/,
  );
  assert.deepEqual(snapshot(out), before);
});

test('a damaged shard is redone on resume; finished ones are kept', async () => {
  const out = tmp('damaged');
  await generate(out);
  const before = snapshot(out);
  writeFileSync(join(out, 'shards', '00002.safetensors'), before.get('shards/00002.safetensors')!.subarray(0, 100));
  let fitted = 0;
  await generate(out, {
    onEvent: (e) => {
      if (e.type === 'done') fitted = e.fitted;
    },
  });
  assert.equal(fitted, 8, 'only the damaged shard was fitted again');
  assert.deepEqual(snapshot(out), before);
});

test('wslab generate killed mid-run (SIGKILL) and rerun ends with the same files as an uninterrupted run', async () => {
  assert.ok(existsSync(CLI), `${CLI} is missing: run npm run build (npm test does)`);
  const args = (out: string) => [
    CLI,
    'generate',
    '--dataset',
    'mnist',
    '--out',
    out,
    '--limit',
    '24',
    '--views',
    '2',
    '--steps',
    '80',
    '--target-psnr',
    'none',
    '--shard-size',
    '6',
    '--seed',
    '9',
    '--workers',
    '2',
    '--progress',
    'json',
  ];
  const [killed, clean] = [tmp('killed'), tmp('clean')];
  const child = spawn(process.execPath, args(killed), { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      // Kill right after the second shard is written, while the third is being fitted.
      if ((output.match(/"type":"shard"/g) ?? []).length >= 2) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`finished before it was killed (code ${code})`))));
  });
  const partial = await readManifest(killed);
  assert.equal(partial.complete, false);
  // The manifest trails the shard files by one write; both are atomic.
  assert.ok(partial.items.length >= 6 && partial.items.length < 48, `${partial.items.length} items before the kill`);
  const resumed = spawnSync(process.execPath, args(killed), { encoding: 'utf8' });
  assert.equal(resumed.status, 0, resumed.stderr);
  const lines = resumed.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.ok(lines[0].kept >= 12, 'the rerun kept the finished shards');
  const uninterrupted = spawnSync(process.execPath, args(clean), { encoding: 'utf8' });
  assert.equal(uninterrupted.status, 0, uninterrupted.stderr);
  assert.deepEqual(snapshot(killed), snapshot(clean));
  assert.deepEqual(
    readdirSync(join(killed, 'shards')).filter((f) => f.startsWith('.')),
    [],
    'no temporary files left behind',
  );
  rmSync(clean, { recursive: true, force: true });
});

test('export --format dwsnets writes per-INR state dicts and a splits JSON that PyTorch loads', async (t) => {
  const dir = tmp('export-src');
  const out = tmp('export-out');
  const manifest = await generate(dir, { limit: 5, views: 1 });
  const result = await exportDwsnets(dir, out);
  const splits = JSON.parse(readFileSync(result.splitsPath, 'utf8')) as Record<string, { path: string[]; label: number[] }>;
  assert.deepEqual(Object.keys(splits), ['train', 'val', 'test']);
  for (const [split, { path, label }] of Object.entries(splits)) {
    const items = manifest.items.filter((i) => i.split === split);
    assert.deepEqual(
      label,
      items.map((i) => i.label),
      split,
    );
    for (const [k, file] of path.entries()) {
      const exported = await readWeightSet(file);
      const inShard = await readShardItem(join(dir, 'shards', '00000.safetensors'), items[k]!.id);
      assert.deepEqual(exported.names, ['seq.0.weight', 'seq.0.bias', 'seq.1.weight', 'seq.1.bias', 'seq.2.weight', 'seq.2.bias']);
      for (const name of exported.names) assert.deepEqual(exported.get(name).data, inShard.get(name).data, `${file} ${name}`);
    }
  }
  const missing = torchUnavailable();
  if (missing) {
    t.skip(`${missing}; install python3-torch to check the export loads in PyTorch`);
    return;
  }
  const loaded = JSON.parse(execFileSync(PYTHON, [CHECK_TORCH_LOAD, ...splits.train!.path], { encoding: 'utf8' })) as Record<
    string,
    { tensors: { name: string; shape: number[] }[] }
  >;
  for (const file of splits.train!.path) {
    assert.deepEqual(
      loaded[file]!.tensors.map((x) => [x.name, x.shape]),
      [
        ['seq.0.weight', [32, 2]],
        ['seq.0.bias', [32]],
        ['seq.1.weight', [32, 32]],
        ['seq.1.bias', [32]],
        ['seq.2.weight', [1, 32]],
        ['seq.2.bias', [1]],
      ],
    );
  }
});

test('other settings in a folder are refused with what is there and how to go on, shards written or not', async () => {
  const out = tmp('restart');
  await generate(out);
  const settings = await readDatasetSettings(out);
  const changed = { ...settings, source: { ...settings.source, count: settings.source.count - 1 } };
  const stopped = tmp('restart-empty'); // a generation that stopped before its first shard (e.g. a bad image)
  await claimDatasetDir(stopped, settings);
  await assert.rejects(
    claimDatasetDir(stopped, changed),
    /other settings \(source\.count: \d+ vs \d+\), no INR of it written yet \(e\.g\. a bad image stopped it\): rerun with its settings to resume, use another --out folder, or delete this one to start again/,
  );
  await assert.rejects(claimDatasetDir(out, changed), /other settings \(source\.count: \d+ vs \d+\), 5 shard\(s\) of it written: rerun with its settings/);
  assert.deepEqual(await readDatasetSettings(stopped), settings, 'nothing was changed');
});
