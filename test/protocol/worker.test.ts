// The host ↔ worker protocol: every message of both directions is accepted as a fresh copy; anything
// else is refused with an error that names the field and the value it got.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHostToWorker, parseWorkerToHost, ProtocolError, type AnyJob, type HostToWorker, type WorkerToHost } from '../../src/protocol/worker';

const JOBS: AnyJob[] = [
  {
    kind: 'generate',
    dataset: 'mnist',
    out: '/w/datasets/m',
    limit: 64,
    views: 1,
    hidden: [32, 32],
    steps: 100,
    targetPsnr: 40,
    seed: 0,
    shardSize: 16,
    valFraction: 0.1,
    testFraction: 0.1,
    backend: 'wasm',
    workers: null,
  },
  {
    kind: 'generate',
    dataset: '/imgs',
    out: '/w/d',
    limit: null,
    views: 2,
    hidden: [32, 32],
    steps: 1,
    targetPsnr: null,
    seed: 7,
    shardSize: 256,
    valFraction: 0,
    testFraction: 0.2,
    backend: 'auto',
    workers: 2,
  },
  { kind: 'train', config: '/w/a.wslab.json', runDir: '/w/runs/a', resume: false, overrides: ['backend=cpu'] },
  { kind: 'eval', runDir: '/w/runs/a', split: 'test', checkpoint: 'best' },
  { kind: 'augment', input: '/w/d', out: '/w/d-aug', aug: 'translate+permute', copies: 2, seed: 1 },
  { kind: 'preview', input: '/w/d#img1-v0', aug: 'rotate', out: '/tmp/p.png', copies: 4, seed: 0, size: 112 },
  { kind: 'study', file: '/w/sizes.study.wslab.json', out: '/w/studies/sizes', parallel: null },
  { kind: 'study', file: '/w/sizes.study.wslab.json', out: '/w/studies/sizes', parallel: 2 },
  { kind: 'probe', behaviour: 'sleep', ms: 100 },
];

const TO_HOST: WorkerToHost[] = [
  { type: 'ready', pid: 1234 },
  { type: 'started', backend: 'wasm-relaxed-simd', device: null, detail: 'mnist: 64 INRs planned' },
  { type: 'progress', done: 3, total: 64, unit: 'INRs', rate: 3100.5, rateUnit: 'INR-steps/s', etaSec: 12, detail: 'PSNR 30.1 dB' },
  { type: 'progress', done: 0, total: 0, unit: 'steps', rate: null, rateUnit: '', etaSec: null, detail: '' },
  { type: 'log', text: 'shard 0 written' },
  { type: 'result', result: { kind: 'generate', out: '/w/d', items: 64, complete: true } },
  { type: 'result', result: { kind: 'train', runDir: '/w/runs/a', bestValAccuracy: 0.9, bestEpoch: 3, testAccuracyAtBest: null, durationSec: 12.5 } },
  { type: 'result', result: { kind: 'preview', out: '/tmp/p.png', lines: ['copy 0: …'] } },
  { type: 'result', result: { kind: 'eval', runDir: '/w/runs/a', split: 'val', checkpoint: 'last', accuracy: 0.5, loss: 1.25, count: 30 } },
  { type: 'result', result: { kind: 'study', out: '/w/studies/sizes', runsFinished: 7, runsTotal: 8 } },
  { type: 'failed', error: { name: 'ConfigError', code: 'config', message: 'a.wslab.json: unknown key "x"', stack: null } },
  { type: 'cancelled', message: 'cancelled at epoch 2' },
  { type: 'started', backend: 'webgpu', device: 'nvidia ampere (NVIDIA RTX A4000)', detail: 'mnist: 64 INRs planned' },
];

test('every job and host message round-trips as a fresh, equal object', () => {
  const messages: HostToWorker[] = [...JOBS.map((job) => ({ type: 'run' as const, job })), { type: 'cancel' }];
  for (const message of messages) {
    const parsed = parseHostToWorker(JSON.parse(JSON.stringify(message)));
    assert.deepEqual(parsed, message);
    assert.notEqual(parsed, message);
  }
});

test('every worker message round-trips', () => {
  for (const message of TO_HOST) assert.deepEqual(parseWorkerToHost(JSON.parse(JSON.stringify(message))), message);
});

function refused(parse: (v: unknown) => unknown, value: unknown, pattern: RegExp): void {
  assert.throws(
    () => parse(value),
    (e: unknown) => e instanceof ProtocolError && pattern.test(e.message),
    `${JSON.stringify(value)} should be refused with ${pattern}`,
  );
}

test('unknown message types and job kinds are refused, listing the known ones', () => {
  refused(parseHostToWorker, { type: 'runn' }, /unknown type "runn" \(known: run, cancel\)/);
  refused(parseWorkerToHost, { type: 'cancel' }, /unknown type "cancel" \(known: ready, started, progress, log, result, failed, cancelled\)/);
  refused(
    parseHostToWorker,
    { type: 'run', job: { kind: 'fit' } },
    /job: unknown kind "fit" \(known: generate, train, eval, augment, preview, slurmGenerate, slurmSweep, merge, study, probe\)/,
  );
  for (const value of [null, 'run', 42, [], undefined]) refused(parseHostToWorker, value, /must be an object/);
});

test('a bad field is refused by name, with the value it had', () => {
  const generate = JOBS[0]!;
  refused(parseHostToWorker, { type: 'run', job: { ...generate, views: 0 } }, /job "generate"\.views must be an integer in \[1, /);
  refused(parseHostToWorker, { type: 'run', job: { ...generate, limit: '64' } }, /\.limit must be an integer .*, got "64"/);
  refused(
    parseHostToWorker,
    { type: 'run', job: { ...generate, backend: 'cuda' } },
    /\.backend must be one of "auto", "wasm", "webgpu", "reference", "tfjs-node-gpu", got "cuda"/,
  );
  refused(parseHostToWorker, { type: 'run', job: { ...generate, valFraction: 1 } }, /\.valFraction must be in \[0, 1\), got 1/);
  refused(parseHostToWorker, { type: 'run', job: { ...generate, out: '' } }, /\.out must be a non-empty string/);
  refused(parseWorkerToHost, { ...TO_HOST[2]!, done: Number.NaN }, /worker "progress"\.done must be an integer .*got NaN/);
  refused(parseWorkerToHost, { ...TO_HOST[2]!, rate: Infinity }, /\.rate must be a finite number, got Infinity/);
  refused(parseWorkerToHost, { type: 'result', result: { kind: 'train', runDir: '/r' } }, /\.bestValAccuracy must be a finite number, got undefined/);
  refused(parseWorkerToHost, { type: 'failed', error: { name: 'E', code: 'internal', message: 'm' } }, /error\.stack must be a string, got undefined/);
  refused(parseWorkerToHost, { type: 'failed', error: { name: 'E', code: 'oops', message: 'm', stack: null } }, /error\.code must be one of/);
});

test('extra fields, missing fields, accessors and non-plain objects are refused', () => {
  refused(parseHostToWorker, { type: 'cancel', force: true }, /has unknown field\(s\) "force"/);
  refused(parseWorkerToHost, { type: 'ready' }, /\.pid must be an integer/);
  const withGetter = { type: 'log' } as Record<string, unknown>;
  Object.defineProperty(withGetter, 'text', { get: () => 'x', enumerable: true });
  refused(parseWorkerToHost, withGetter, /\.text must be a data property/);
  class Message {
    type = 'cancel';
  }
  refused(parseHostToWorker, new Message(), /must be a plain object/);
  const inherited = Object.create({ type: 'cancel' }) as object;
  refused(parseHostToWorker, inherited, /unknown type undefined/);
});

test('arrays are checked item by item and bounded', () => {
  refused(parseHostToWorker, { type: 'run', job: { ...JOBS[2]!, overrides: ['a=1', 2] } }, /overrides\[1\] must be a string, got 2/);
  refused(
    parseHostToWorker,
    { type: 'run', job: { ...JOBS[2]!, overrides: Array.from({ length: 101 }, () => 'a=1') } },
    /overrides must be an array \(at most 100 long\)/,
  );
});
