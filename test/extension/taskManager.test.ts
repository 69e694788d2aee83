// The task manager with scripted worker processes: queueing, progress and ETA, cancel (polite, then
// killed after the grace period), crashes, protocol violations and resume. The real worker process is
// exercised in test/worker/worker.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isResumable, resumeCanSucceed, resumedJob, TaskManager, type WorkerProcess } from '../../src/extension/tasks/taskManager';
import type { AnyJob, HostToWorker, WorkerToHost } from '../../src/protocol/worker';
import type { ErrorCode } from '../../src/core/labError';

/** A worker process the test drives: what the host sent, and buttons to reply, print and exit. */
class FakeWorker implements WorkerProcess {
  static count = 0;
  readonly pid = 1000 + FakeWorker.count++;
  readonly sent: HostToWorker[] = [];
  killed = false;
  exited = false;
  private messageListeners: ((v: unknown) => void)[] = [];
  private exitListeners: ((code: number | null, signal: string | null) => void)[] = [];
  private outputListeners: ((text: string) => void)[] = [];
  send(message: HostToWorker): void {
    this.sent.push(message);
  }
  kill(): void {
    this.killed = true;
    this.exit(null, 'SIGKILL');
  }
  onMessage(l: (v: unknown) => void): void {
    this.messageListeners.push(l);
  }
  onExit(l: (code: number | null, signal: string | null) => void): void {
    this.exitListeners.push(l);
  }
  onOutput(l: (text: string) => void): void {
    this.outputListeners.push(l);
  }
  reply(message: WorkerToHost | Record<string, unknown>): void {
    for (const l of this.messageListeners) l(message);
  }
  print(text: string): void {
    for (const l of this.outputListeners) l(text);
  }
  exit(code: number | null, signal: string | null = null): void {
    if (this.exited) return;
    this.exited = true;
    for (const l of this.exitListeners) l(code, signal);
  }
}

const probe = (ms = 100): AnyJob => ({ kind: 'probe', behaviour: 'sleep', ms });
const trainJob: AnyJob = { kind: 'train', config: '/w/a.wslab.json', runDir: '/w/runs/a', resume: false, overrides: [] };

function setup(options: { maxConcurrent?: number; cancelGraceMs?: number; now?: () => number } = {}) {
  const workers: FakeWorker[] = [];
  const manager = new TaskManager(
    () => {
      const w = new FakeWorker();
      workers.push(w);
      return w;
    },
    { exitGraceMs: 50, ...options },
  );
  const logs: string[] = [];
  manager.onLog((t, line) => logs.push(`#${t.id} ${line}`));
  return { manager, workers, logs };
}

test('a task runs in its own worker: run is sent after ready, the result settles it as done', async () => {
  const { manager, workers } = setup();
  const task = manager.start({ title: 'probe', job: probe(), target: '/w/x' });
  assert.equal(manager.get(task.id)!.state, 'running');
  const w = workers[0]!;
  assert.deepEqual(w.sent, [], 'nothing is sent before the worker is ready');
  w.reply({ type: 'ready', pid: w.pid });
  assert.deepEqual(w.sent, [{ type: 'run', job: probe() }]);
  w.reply({ type: 'started', backend: 'none', device: null, detail: 'probing' });
  assert.equal(manager.get(task.id)!.backend, 'none');
  w.reply({ type: 'result', result: { kind: 'probe', ms: 100 } });
  assert.equal(manager.get(task.id)!.state, 'running', 'settled only when the process has exited');
  w.exit(0);
  const end = await manager.whenSettled(task.id);
  assert.equal(end.state, 'done');
  assert.deepEqual(end.result, { kind: 'probe', ms: 100 });
  assert.equal(end.target, '/w/x');
});

test('tasks queue: with one slot the second starts only when the first process has exited', () => {
  const { manager, workers } = setup({ maxConcurrent: 1 });
  const a = manager.start({ title: 'a', job: probe() });
  const b = manager.start({ title: 'b', job: probe() });
  assert.equal(workers.length, 1);
  assert.equal(manager.get(b.id)!.state, 'queued');
  assert.deepEqual(
    manager.active().map((t) => t.id),
    [a.id, b.id],
  );
  workers[0]!.reply({ type: 'ready', pid: 1 });
  workers[0]!.reply({ type: 'result', result: { kind: 'probe', ms: 1 } });
  assert.equal(workers.length, 1);
  workers[0]!.exit(0);
  assert.equal(workers.length, 2);
  assert.equal(manager.get(b.id)!.state, 'running');
});

test('two slots run two tasks at once', () => {
  const { manager, workers } = setup({ maxConcurrent: 2 });
  manager.start({ title: 'a', job: probe() });
  manager.start({ title: 'b', job: probe() });
  manager.start({ title: 'c', job: probe() });
  assert.equal(workers.length, 2);
  assert.deepEqual(
    manager.list().map((t) => t.state),
    ['running', 'running', 'queued'],
  );
});

test('progress is kept with an ETA estimated from done/total over time when the job gives none', () => {
  let now = 0;
  const { manager, workers } = setup({ now: () => now });
  const task = manager.start({ title: 'train', job: trainJob });
  const w = workers[0]!;
  w.reply({ type: 'ready', pid: 1 });
  const progress = (done: number, etaSec: number | null) =>
    w.reply({ type: 'progress', done, total: 1000, unit: 'steps', rate: 50, rateUnit: 'sets/s', etaSec, detail: 'loss 1.2' });
  now = 10_000;
  progress(200, null); // a resumed run starts at step 200: the estimate starts from here
  assert.equal(manager.get(task.id)!.progress!.etaSec, null);
  now = 20_000;
  progress(300, null);
  // 100 steps in 10 s → 700 left take 70 s.
  assert.equal(manager.get(task.id)!.progress!.etaSec, 70);
  progress(400, 5);
  assert.equal(manager.get(task.id)!.progress!.etaSec, 5, "the job's own estimate wins");
  assert.equal(manager.get(task.id)!.progress!.detail, 'loss 1.2');
});

test('cancelling a queued task drops it without starting a worker', async () => {
  const { manager, workers } = setup();
  manager.start({ title: 'a', job: probe() });
  const b = manager.start({ title: 'b', job: probe() });
  manager.cancel(b.id);
  assert.equal((await manager.whenSettled(b.id)).state, 'cancelled');
  assert.equal(workers.length, 1);
});

test('cancel asks the worker to stop; its cancelled message settles the task as cancelled', async () => {
  const { manager, workers } = setup({ cancelGraceMs: 10_000 });
  const task = manager.start({ title: 'a', job: probe() });
  const w = workers[0]!;
  w.reply({ type: 'ready', pid: 1 });
  manager.cancel(task.id);
  assert.equal(manager.get(task.id)!.state, 'cancelling');
  assert.deepEqual(w.sent.at(-1), { type: 'cancel' });
  w.reply({ type: 'cancelled', message: 'stopped between shards' });
  w.exit(0);
  const end = await manager.whenSettled(task.id);
  assert.equal(end.state, 'cancelled');
  assert.equal(w.killed, false);
});

test('cancel before the worker is ready is delivered right after run', () => {
  const { manager, workers } = setup();
  const task = manager.start({ title: 'a', job: probe() });
  manager.cancel(task.id);
  workers[0]!.reply({ type: 'ready', pid: 1 });
  assert.deepEqual(
    workers[0]!.sent.map((m) => m.type),
    ['run', 'cancel'],
  );
});

test('a worker that does not stop within the grace period is killed; the task is cancelled', async () => {
  const { manager, workers, logs } = setup({ cancelGraceMs: 30 });
  const task = manager.start({ title: 'stubborn', job: probe() });
  workers[0]!.reply({ type: 'ready', pid: 1 });
  manager.cancel(task.id);
  const end = await manager.whenSettled(task.id);
  assert.equal(workers[0]!.killed, true);
  assert.equal(end.state, 'cancelled');
  assert.ok(
    logs.some((l) => /did not stop within 30 ms: killed/.test(l)),
    logs.join('\n'),
  );
});

test('a second cancel kills at once', () => {
  const { manager, workers } = setup({ cancelGraceMs: 60_000 });
  const task = manager.start({ title: 'a', job: probe() });
  workers[0]!.reply({ type: 'ready', pid: 1 });
  manager.cancel(task.id);
  assert.equal(workers[0]!.killed, false);
  manager.cancel(task.id);
  assert.equal(workers[0]!.killed, true);
  assert.equal(manager.get(task.id)!.state, 'cancelled');
});

test('a worker that exits without a final message is a crash: failed, with its exit code and last output', async () => {
  const { manager, workers } = setup();
  const task = manager.start({ title: 'gen', job: probe() });
  const w = workers[0]!;
  w.reply({ type: 'ready', pid: 1 });
  w.print('loading\nFATAL ERROR: Reached heap limit\n');
  w.exit(134);
  const end = await manager.whenSettled(task.id);
  assert.equal(end.state, 'failed');
  assert.equal(end.crashed, true);
  assert.match(
    end.error!.message,
    new RegExp(`worker process \\(pid ${w.pid}\\) exited with code 134 before the task finished; its last output:\\nloading\\nFATAL ERROR: Reached heap limit`),
  );
  const killed = manager.start({ title: 'gen2', job: probe() });
  workers[1]!.exit(null, 'SIGSEGV');
  assert.match((await manager.whenSettled(killed.id)).error!.message, /was killed by SIGSEGV/);
});

test('the job failing is reported with its error, not as a crash', async () => {
  const { manager, workers } = setup();
  const task = manager.start({ title: 'train', job: trainJob });
  workers[0]!.reply({ type: 'ready', pid: 1 });
  workers[0]!.reply({ type: 'failed', error: { name: 'ConfigError', code: 'config', message: 'a.wslab.json: unknown key "lrr"', stack: null } });
  workers[0]!.exit(1);
  const end = await manager.whenSettled(task.id);
  assert.equal(end.state, 'failed');
  assert.equal(end.crashed, false);
  assert.equal(end.error!.message, 'a.wslab.json: unknown key "lrr"');
});

test('a malformed message from the worker fails the task and kills the worker', async () => {
  const { manager, workers } = setup();
  const task = manager.start({ title: 'a', job: probe() });
  workers[0]!.reply({ type: 'ready', pid: 1 });
  workers[0]!.reply({ type: 'progress', done: 'lots' });
  const end = await manager.whenSettled(task.id);
  assert.equal(workers[0]!.killed, true);
  assert.equal(end.state, 'failed');
  assert.match(end.error!.message, /the worker sent a bad message: .*"progress"\.done must be an integer/);
});

test('a worker that hangs after its final message is killed after the exit grace period', async () => {
  const { manager, workers } = setup();
  const task = manager.start({ title: 'a', job: probe() });
  workers[0]!.reply({ type: 'ready', pid: 1 });
  workers[0]!.reply({ type: 'result', result: { kind: 'probe', ms: 1 } });
  const end = await manager.whenSettled(task.id);
  assert.equal(workers[0]!.killed, true);
  assert.equal(end.state, 'done');
});

test('resume starts the same job again — training with resume on — and only for failed or cancelled tasks', async () => {
  const { manager, workers } = setup();
  const task = manager.start({ title: 'Train a', job: trainJob, target: '/w/runs/a' });
  assert.throws(() => manager.resume(task.id), /is running: only a failed or cancelled/);
  workers[0]!.exit(137);
  await manager.whenSettled(task.id);
  const again = manager.resume(task.id);
  assert.equal(again.title, 'Train a (resumed)');
  assert.equal(again.resumes, task.id);
  assert.equal(again.target, '/w/runs/a');
  assert.deepEqual(again.job, { ...trainJob, resume: true });
  workers[1]!.reply({ type: 'ready', pid: 2 });
  assert.deepEqual(workers[1]!.sent[0], { type: 'run', job: { ...trainJob, resume: true } });
});

test('which jobs resume, and how', () => {
  const generate: AnyJob = {
    kind: 'generate',
    dataset: 'mnist',
    out: '/d',
    limit: 8,
    views: 1,
    hidden: [32, 32],
    steps: 1,
    targetPsnr: null,
    seed: 0,
    shardSize: 4,
    valFraction: 0.1,
    testFraction: 0.1,
    backend: 'wasm',
    workers: null,
  };
  assert.deepEqual(resumedJob(generate), generate, 'generation resumes by running again');
  assert.deepEqual(resumedJob(trainJob), { ...trainJob, resume: true });
  assert.equal(isResumable({ state: 'failed', job: generate }), true);
  assert.equal(isResumable({ state: 'cancelled', job: trainJob }), true);
  assert.equal(isResumable({ state: 'done', job: trainJob }), false);
  assert.equal(isResumable({ state: 'failed', job: probe() }), false);
  // What the end-of-task message offers: Resume only where running the job again can get further.
  const failedOn = (code: ErrorCode) => ({ state: 'failed' as const, job: generate, error: { name: 'E', code, message: 'm', stack: null } });
  assert.equal(resumeCanSucceed(failedOn('dataset')), false, 'the bundled dataset is missing: a resume fails the same way');
  assert.equal(resumeCanSucceed(failedOn('config')), false);
  assert.equal(resumeCanSucceed(failedOn('io')), true, 'a full disk can be cleared');
  assert.equal(resumeCanSucceed(failedOn('internal')), true, 'a crashed worker resumes from its last shard');
  assert.equal(resumeCanSucceed({ state: 'cancelled', job: trainJob, error: undefined }), true);
  assert.equal(resumeCanSucceed({ state: 'failed', job: probe(), error: undefined }), false);
});

test('a launcher that throws fails the task and the queue goes on', async () => {
  let calls = 0;
  const manager = new TaskManager(() => {
    calls++;
    throw new Error('spawn ENOENT');
  });
  const a = manager.start({ title: 'a', job: probe() });
  const b = manager.start({ title: 'b', job: probe() });
  assert.match((await manager.whenSettled(a.id)).error!.message, /could not start the worker process: spawn ENOENT/);
  assert.equal((await manager.whenSettled(b.id)).state, 'failed');
  assert.equal(calls, 2);
});

test('listeners see every change; dispose cancels everything', async () => {
  const { manager, workers } = setup({ cancelGraceMs: 20 });
  const seen: string[] = [];
  const off = manager.onDidChange((t) => seen.push(`${t.id}:${t.state}`));
  const a = manager.start({ title: 'a', job: probe() });
  const b = manager.start({ title: 'b', job: probe() });
  workers[0]!.reply({ type: 'ready', pid: 1 });
  manager.dispose();
  assert.equal((await manager.whenSettled(a.id)).state, 'cancelled');
  assert.equal((await manager.whenSettled(b.id)).state, 'cancelled');
  assert.deepEqual(seen.slice(0, 3), ['1:queued', '1:running', '2:queued']);
  off();
  assert.throws(() => manager.start({ title: 'c', job: probe() }), /disposed/);
});
