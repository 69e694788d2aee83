// The real worker process (src/worker/worker.ts, forked through tsx) driven by the task manager, as the
// extension drives dist/worker.js: progress, results, a crash (SIGKILL) and a cancel in the middle of a
// generation — each leaving valid shards that a resume keeps — training cancelled and resumed, a bad
// config reported by name, and the augmentation preview.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { resumeCanSucceed, TaskManager, type TaskInfo } from '../../src/extension/tasks/taskManager';
import { forkLauncher } from '../../src/extension/tasks/workerProcess';
import { readManifest } from '../../src/core/dataset/manifest';
import { readStatus, readSummary } from '../../src/core/train/runFolder';
import { decodeImage } from '../../src/core/image/codec';
import type { GenerateJob } from '../../src/protocol/worker';
import { tinyDataset } from '../helpers/tinyDataset';

const WORKER = resolve(__dirname, '../../src/worker/worker.ts');

function manager(): { tasks: TaskManager; logs: string[] } {
  const tasks = new TaskManager(forkLauncher({ modulePath: WORKER, execArgv: ['--import', 'tsx'] }), { cancelGraceMs: 10_000 });
  const logs: string[] = [];
  tasks.onLog((t, line) => logs.push(`#${t.id} ${line}`));
  return { tasks, logs };
}

/** Resolves when `probe` holds (checked on every task change and every 50 ms). */
function until(tasks: TaskManager, probe: () => boolean, what: string, timeoutMs = 120_000): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const timer = setInterval(check, 50);
    const deadline = setTimeout(() => {
      clearInterval(timer);
      off();
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    const off = tasks.onDidChange(check);
    function check() {
      if (!probe()) return;
      clearInterval(timer);
      clearTimeout(deadline);
      off();
      resolvePromise();
    }
    check();
  });
}

function shardBytes(dir: string): Map<string, string> {
  const folder = join(dir, 'shards');
  return new Map(
    readdirSync(folder)
      .filter((f) => f.endsWith('.safetensors'))
      .map((f) => [f, readFileSync(join(folder, f)).toString('base64')]),
  );
}

test('a probe job reports throttled progress and its result', async () => {
  const { tasks } = manager();
  const seen: number[] = [];
  tasks.onDidChange((t) => t.progress && seen.push(t.progress.done));
  const task = tasks.start({ title: 'probe', job: { kind: 'probe', behaviour: 'sleep', ms: 1200 } });
  const end = await tasks.whenSettled(task.id);
  assert.equal(end.state, 'done', end.error?.message);
  assert.deepEqual(end.result, { kind: 'probe', ms: 1200 });
  assert.equal(end.backend, 'none');
  // Every 20 ms the job reports; at most one message per 200 ms reaches the host.
  assert.ok(seen.length >= 2 && seen.length <= 10, `progress updates: ${seen.length}`);
});

test('generation: a crash (SIGKILL) and a cancel each keep the finished shards; resume completes the dataset', async () => {
  const { tasks, logs } = manager();
  const out = join(mkdtempSync(join(tmpdir(), 'wslab-worker-')), 'mnist-24');
  const job: GenerateJob = {
    kind: 'generate',
    dataset: 'mnist',
    out,
    limit: 24,
    views: 1,
    hidden: [32, 32],
    steps: 40,
    targetPsnr: null,
    seed: 3,
    shardSize: 4,
    valFraction: 0.1,
    testFraction: 0.1,
    backend: 'wasm',
    workers: 1,
  };
  const shardsWritten = (id: number) => logs.filter((l) => l.startsWith(`#${id} shard `)).length;

  // 1. Crash: kill the worker process once it has written a shard.
  const first = tasks.start({ title: 'Generate', job, target: out });
  await until(tasks, () => shardsWritten(first.id) >= 1, 'the first shard');
  process.kill(tasks.get(first.id)!.pid!, 'SIGKILL');
  const crashed = await tasks.whenSettled(first.id);
  assert.equal(crashed.state, 'failed');
  assert.equal(crashed.crashed, true);
  assert.match(crashed.error!.message, /was killed by SIGKILL before the task finished/);
  const afterCrash = shardBytes(out);
  assert.ok(afterCrash.size >= 1);

  // 2. Resume, then cancel once it has written another shard.
  const second = tasks.resume(first.id);
  await until(tasks, () => shardsWritten(second.id) >= 1, 'a shard of the resumed run');
  const started = tasks.get(second.id)!.detail!;
  assert.match(started, new RegExp(`${afterCrash.size * 4} already done`), started);
  const cancelAt = Date.now();
  tasks.cancel(second.id);
  const cancelled = await tasks.whenSettled(second.id);
  assert.equal(cancelled.state, 'cancelled');
  assert.ok(Date.now() - cancelAt < 5000, `cancel took ${Date.now() - cancelAt} ms`);
  const afterCancel = shardBytes(out);
  assert.ok(afterCancel.size > afterCrash.size, `${afterCancel.size} shards after cancel, ${afterCrash.size} before`);
  for (const [file, bytes] of afterCrash) assert.equal(afterCancel.get(file), bytes, `${file} was rewritten`);

  // 3. Resume to the end: the kept shards are kept as they are, the manifest is complete.
  const third = tasks.resume(second.id);
  const done = await tasks.whenSettled(third.id);
  assert.equal(done.state, 'done', done.error?.message);
  assert.deepEqual(done.result, { kind: 'generate', out, items: 24, complete: true });
  assert.match(done.detail!, new RegExp(`${afterCancel.size * 4} already done`));
  const final = shardBytes(out);
  assert.equal(final.size, 6);
  for (const [file, bytes] of afterCancel) assert.equal(final.get(file), bytes, `${file} was rewritten`);
  const manifest = await readManifest(out);
  assert.equal(manifest.items.length, 24);
  assert.ok(manifest.items.every((i) => Number.isFinite(i.psnr)));
});

test('a config with a misspelt key fails the training task with the file and the key', async () => {
  const { tasks } = manager();
  const root = mkdtempSync(join(tmpdir(), 'wslab-worker-cfg-'));
  const config = join(root, 'bad.wslab.json');
  writeFileSync(config, JSON.stringify({ dataset: 'x', optimizer: { lrr: 0.1 } }));
  const task = tasks.start({ title: 'Train bad', job: { kind: 'train', config, runDir: join(root, 'runs', 'bad'), resume: false, overrides: [] } });
  const end = await tasks.whenSettled(task.id);
  assert.equal(end.state, 'failed');
  assert.equal(end.crashed, false);
  assert.equal(end.error!.name, 'ConfigError');
  assert.equal(end.error!.code, 'config');
  assert.equal(resumeCanSucceed(end), false, 'resuming would read the same config and fail again');
  assert.match(end.error!.message, /bad\.wslab\.json: unknown key "optimizer\.lrr" \(did you mean "lr"\?\)/);
  assert.equal(existsSync(join(root, 'runs', 'bad')), false, 'nothing was written');
});

test('training: cancelled mid-run it is marked cancelled and keeps its checkpoint; resumed it finishes', async () => {
  const { tasks } = manager();
  const dataset = await tinyDataset();
  const root = mkdtempSync(join(tmpdir(), 'wslab-worker-train-'));
  const config = join(root, 'tiny.wslab.json');
  writeFileSync(
    config,
    JSON.stringify({
      dataset,
      model: { kind: 'mlp', hidden: 16, layers: 1 },
      optimizer: { epochs: 40, batchSize: 8, warmupSteps: 2 },
      backend: 'wasm',
      logEvery: 1,
    }),
  );
  const runDir = join(root, 'runs', 'tiny');
  const job = { kind: 'train' as const, config, runDir, resume: false, overrides: [] };
  const first = tasks.start({ title: 'Train tiny', job, target: runDir });
  await until(tasks, () => existsSync(join(runDir, 'last.safetensors')) && (tasks.get(first.id)!.progress?.done ?? 0) > 10, 'a checkpoint');
  tasks.cancel(first.id);
  const cancelled = await tasks.whenSettled(first.id);
  assert.equal(cancelled.state, 'cancelled');
  assert.equal((await readStatus(runDir))?.state, 'cancelled');
  const epochsBefore = (await readSummary(runDir))!.epochsDone;
  assert.ok(epochsBefore >= 1 && epochsBefore < 40, `stopped after epoch ${epochsBefore}`);

  const resumed = tasks.resume(first.id);
  assert.equal((resumed.job as typeof job).resume, true);
  const end: TaskInfo = await tasks.whenSettled(resumed.id);
  assert.equal(end.state, 'done', end.error?.message);
  assert.match(end.detail!, new RegExp(`resuming after epoch ${epochsBefore}`));
  assert.equal(end.result?.kind, 'train');
  const summary = (await readSummary(runDir))!;
  assert.equal(summary.epochsDone, 40);
  assert.equal((await readStatus(runDir))?.state, 'done');
  assert.equal(end.result?.kind === 'train' && end.result.bestValAccuracy, summary.bestValAccuracy);

  // Evaluated in a worker (the extension's Evaluate Run…): the best checkpoint on the validation split
  // scores what training recorded as the best validation accuracy.
  const evaluation = await tasks.whenSettled(tasks.start({ title: 'Evaluate tiny', job: { kind: 'eval', runDir, split: 'val', checkpoint: 'best' } }).id);
  assert.equal(evaluation.state, 'done', evaluation.error?.message);
  assert.ok(evaluation.result?.kind === 'eval');
  assert.equal(evaluation.result.accuracy, summary.bestValAccuracy);
  assert.ok(evaluation.result.count > 0 && Number.isFinite(evaluation.result.loss));
});

test('preview renders the INR and its copies to a PNG and reports what each copy drew', async () => {
  const { tasks } = manager();
  const dir = join(mkdtempSync(join(tmpdir(), 'wslab-worker-preview-')), 'tiny');
  cpSync(resolve(__dirname, '../fixtures/dataset/tiny'), dir, { recursive: true });
  const out = join(dir, '..', 'preview.png');
  const task = tasks.start({ title: 'Preview', job: { kind: 'preview', input: `${dir}#img409-v0`, aug: 'permute', out, copies: 3, seed: 0, size: 28 } });
  const end = await tasks.whenSettled(task.id);
  assert.equal(end.state, 'done', end.error?.message);
  assert.equal(end.result?.kind, 'preview');
  const lines = end.result?.kind === 'preview' ? end.result.lines : [];
  assert.equal(lines.length, 3);
  for (const line of lines) {
    const error = Number(/= (\S+)$/.exec(line)?.[1]);
    assert.ok(error < 1e-5, `a permutation keeps the function: ${line}`);
  }
  const image = decodeImage(readFileSync(out), out);
  assert.ok(image.width > 4 * 28 && image.height > 28, `${image.width}×${image.height}`);
});
