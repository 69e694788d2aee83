import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { inspectWeightFile } from '../../src/core/inspect/report';
import { writeWeightSet } from '../../src/core/formats/registry';
import { WeightSet } from '../../src/core/weights/weightSet';
import { fixturePath } from '../helpers/fixtures';

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

const siren = fixturePath('safetensors', 'siren.safetensors');

test('inspect --json prints the report of the file', async () => {
  const { code, stdout } = await run(['inspect', siren, '--json']);
  assert.equal(code, 0);
  const report = JSON.parse(stdout);
  assert.deepEqual(report, JSON.parse(JSON.stringify(await inspectWeightFile(siren))));
  assert.deepEqual(Object.keys(report), ['file', 'format', 'metadata', 'tensors']);
  assert.deepEqual(Object.keys(report.tensors[0]), ['name', 'dtype', 'shape', 'params', 'min', 'max', 'mean', 'std', 'zerosPct', 'nonFinite']);
  assert.deepEqual(
    report.tensors.map((t: { name: string }) => t.name),
    ['seq.0.weight', 'seq.0.bias', 'seq.1.weight', 'seq.1.bias', 'seq.2.weight', 'seq.2.bias'],
  );
});

test('inspect prints a table with one row per tensor and the metadata', async () => {
  const { code, stdout } = await run(['inspect', siren]);
  assert.equal(code, 0);
  const report = await inspectWeightFile(siren);
  for (const t of report.tensors)
    assert.match(stdout, new RegExp(`^${t.name.replace(/\./g, '\\.')}\\s+F32\\s+\\[${t.shape.join(', ')}\\]\\s+${t.params.toLocaleString('en-US')}\\s`, 'm'));
  assert.match(stdout, /^architecture: siren 2-32-32-1$/m);
});

test('a bad file exits 1 with the typed error naming the file on stderr', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wslab-cli-'));
  const bad = join(dir, 'broken.safetensors');
  writeFileSync(bad, Buffer.from([0xff, 0, 0, 0, 0, 0, 0, 0, 0x7b, 0x7d]));
  const { code, stdout, stderr } = await run(['inspect', bad]);
  assert.equal(code, 1);
  assert.equal(stdout, '');
  assert.match(stderr, new RegExp(`^wslab: error \\[truncated\\] ${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: `));
});

test('usage errors exit 2', async () => {
  assert.equal((await run(['inspect'])).code, 2);
  assert.equal((await run(['inspect', siren, '--bogus'])).code, 2);
  assert.equal((await run(['frobnicate'])).code, 2);
  assert.equal((await run(['--help'])).code, 0);
  const help = await run(['generate', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^usage: wslab generate --dataset/);
});

test('the built CLI bundle runs as a program (npm test builds it first)', () => {
  assert.ok(existsSync('dist/cli.js'), 'dist/cli.js is missing: run `npm run build` (npm test does)');
  const ok = spawnSync(process.execPath, ['dist/cli.js', 'inspect', siren, '--json'], { encoding: 'utf8' });
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(JSON.parse(ok.stdout).tensors.length, 6);
  const bad = spawnSync(process.execPath, ['dist/cli.js', 'inspect', join(tmpdir(), 'no-such-file.pth')], { encoding: 'utf8' });
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /\[not-found\].*no-such-file\.pth: file not found/);
});

test('inspect of the torch-made sample INR prints the statistics torch computed', async () => {
  type TorchStats = { name: string; shape: number[]; params: number; min: number; max: number; mean: number; std: number; zerosPct: number; nonFinite: number };
  const recorded = JSON.parse(readFileSync('samples/siren-sample.json', 'utf8')) as { tensors: TorchStats[] };
  const { code, stdout } = await run(['inspect', 'samples/siren-sample.pth', '--json']);
  assert.equal(code, 0);
  const report = JSON.parse(stdout) as { format: string; tensors: TorchStats[] };
  assert.equal(report.format, 'pth');
  assert.deepEqual(
    report.tensors.map((t) => [t.name, t.shape, t.params]),
    recorded.tensors.map((t) => [t.name, t.shape, t.params]),
  );
  for (const [i, want] of recorded.tensors.entries()) {
    const got = report.tensors[i]!;
    // Both sides accumulate the same float32 values in float64; only summation order differs (~1e-16 relative).
    for (const key of ['min', 'max', 'mean', 'std', 'zerosPct'] as const) {
      assert.ok(Math.abs(got[key] - want[key]) <= 1e-12 * Math.max(1, Math.abs(want[key])), `${want.name}.${key}: ${got[key]} vs torch ${want[key]}`);
    }
    assert.equal(got.nonFinite, want.nonFinite);
  }
});

test('inspect piped into a reader that stops early (| head) ends quietly: no EPIPE stack trace', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'wslab-epipe-')), 'many.safetensors');
  await writeWeightSet(
    file,
    WeightSet.fromArrays(Array.from({ length: 4000 }, (_, i) => ({ name: `layer.${i}.weight`, shape: [2], data: Float32Array.of(i, -i) }))),
  );
  const child = spawn(process.execPath, ['dist/cli.js', 'inspect', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // Like `head -1`: read the first chunk, then close the pipe while wslab is still writing.
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  child.stdout.destroy();
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  assert.equal(stderr, '');
  assert.equal(code, 0);
});

test("long metadata (a shard's item list) is summarised on one short line, with --json printing it whole; counts agree in number", async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'wslab-meta-')), 'shard.safetensors');
  const items = Array.from({ length: 200 }, (_, i) => ({ id: `img${i}-v0`, index: i, psnr: 40 }));
  await writeWeightSet(
    file,
    new WeightSet(WeightSet.fromArrays([{ name: 'w', shape: [1], data: Float32Array.of(1) }]).tensors, { 'wslab.items': JSON.stringify(items), note: 'short' }),
  );
  const { code, stdout } = await run(['inspect', file]);
  assert.equal(code, 0);
  assert.match(stdout, /^format safetensors · 1 tensor · 1 parameter$/m);
  assert.match(stdout, /^wslab\.items: \[200 items\] \([\d,]+ characters\)$/m);
  assert.match(stdout, /^note: short$/m);
  assert.match(stdout, /--json prints it all/);
  assert.ok(
    stdout.split('\n').every((line) => line.length < 200),
    'no line is longer than a screen',
  );
  const json = JSON.parse((await run(['inspect', file, '--json'])).stdout);
  assert.deepEqual(JSON.parse(json.metadata['wslab.items']), items);
});
