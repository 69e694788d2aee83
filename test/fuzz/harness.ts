/**
 * The fuzz harness. A target (test/fuzz/targets/) names a parser, the real fixtures its inputs start
 * from, its mutators, how to run the parser on one input (checking that a success is usable) and which
 * errors are its typed errors. Input i of a run is a pure function of (seed, i): the seeds themselves
 * first, unchanged, then each a seed with 1–4 mutations drawn from an Rng seeded by (seed, i).
 *
 * The inputs run in a worker thread (kept for the next run, since starting one costs a few hundred
 * milliseconds); the main thread is a watchdog that terminates the worker when one input has run for
 * twice the time bound (an infinite loop cannot report itself) and goes on in a fresh worker. Every
 * input must end in success or a typed error naming the file, within the time bound, without growing
 * memory (ArrayBuffers or JS heap) by more than the allocation bound — an allocation driven by an
 * unchecked length field fails even when the input then succeeds — and without leaving a rejected
 * promise nothing awaits. A slow or hung input is tried once more before it fails (other work on the
 * machine can stall a thread). Failing inputs are written to test-results/fuzz/<target>/, to be
 * replayed (`inputs`, as the regression suite does) and committed as regression fixtures.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { WeightFileError } from '../../src/core/errors';
import { DatasetError } from '../../src/core/dataset/imageSource';
import { Rng, deriveSeed } from '../../src/core/random/rng';
import { pickMutator, type NamedMutator } from './mutate';

export interface RunContext {
  /** The name the input goes by (a file name for in-memory sources, a path for targets that use disk). */
  readonly file: string;
  /** Which seed the input was made from. */
  readonly seedIndex: number;
  readonly index: number;
  /** A private scratch directory of this run. */
  readonly workdir: string;
}

export interface FuzzSeed {
  readonly name: string;
  readonly bytes: Uint8Array;
  /** Relative chance of being the start of an input (default 1). */
  readonly weight?: number;
}

export interface FuzzTarget {
  readonly name: string;
  /** File extension of the inputs (for names and saved failures), e.g. '.safetensors'. */
  readonly extension: string;
  /** True when `run` writes the input to disk: then `context.file` is a path in the scratch directory. */
  readonly onDisk?: boolean;
  /** Real files the inputs start from. */
  seeds(): Promise<FuzzSeed[]> | FuzzSeed[];
  readonly mutators: readonly NamedMutator[];
  /** Runs the parser on one input; resolves on success (after checking the result), throws otherwise. */
  run(input: Uint8Array, context: RunContext): Promise<void>;
  /** A label such as 'WeightFileError:truncated' when `e` is a typed error of this parser naming `file`, else undefined. */
  typedError(e: unknown, file: string): string | undefined;
}

/** An input given rather than made (a regression fixture), with the seed whose context it runs in. */
export interface GivenInput {
  readonly bytes: Uint8Array;
  readonly seedIndex?: number;
}

export interface FuzzOptions {
  /** Inputs [from, count) run; `from` (default 0) replays the end of a run. */
  readonly count: number;
  readonly from?: number;
  /** Run these inputs (indices 0…) instead of making `count` of them. */
  readonly inputs?: readonly GivenInput[];
  readonly seed?: number;
  /** A slower input fails the run. */
  readonly timeBoundMs?: number;
  /** Memory one input may add (ArrayBuffers, or JS heap) before it fails the run. */
  readonly allocationBoundBytes?: number;
  /** Where failing inputs are written; default test-results/fuzz/<target>. */
  readonly failureDir?: string | null;
  /**
   * Run a slow or hung input (or one whose worker died) once more before failing it (default true): a
   * machine shared with other work can stall a thread for seconds.
   */
  readonly confirm?: boolean;
}

export interface FuzzFailure {
  readonly index: number;
  readonly kind: 'untyped-error' | 'slow' | 'hang' | 'allocation';
  readonly detail: string;
  /** The input as the worker ran it (absent for hangs: it is made again from its index). */
  readonly input?: Uint8Array;
  readonly savedTo?: string;
}

export interface FuzzOutcome {
  readonly index: number;
  readonly result: 'ok' | 'typed' | 'failed';
  /** The typed error's label ('WeightFileError:truncated', 'DatasetError'), or the failure's kind. */
  readonly label?: string;
  /** The typed error's message, for given inputs only. */
  readonly message?: string;
}

export interface FuzzReport {
  readonly target: string;
  readonly seed: number;
  readonly tried: number;
  readonly successes: number;
  readonly typedErrors: number;
  /** Typed errors by label ('WeightFileError:truncated', 'DatasetError', …). */
  readonly byError: Readonly<Record<string, number>>;
  readonly maxMs: number;
  readonly maxMsIndex: number;
  readonly totalMs: number;
  readonly failures: readonly FuzzFailure[];
  /** What happened to each input, in order. */
  readonly outcomes: readonly FuzzOutcome[];
}

export const DEFAULT_TIME_BOUND_MS = 2000;
export const DEFAULT_ALLOCATION_BOUND = 256 * 1024 ** 2;
/** Separates the fuzzer's random stream from other uses of deriveSeed. */
const INPUT_STREAM = 0x66757a7a;
/** A mutation making a longer input is dropped. */
const MAX_INPUT_BYTES = 4 * 1024 ** 2;
const ROOT = resolve(__dirname, '..', '..');

/** The typed-error label of a WeightFileError naming `file`. */
export function weightFileErrorLabel(e: unknown, file: string): string | undefined {
  return e instanceof WeightFileError && e.file === file && e.message.includes(file) ? `WeightFileError:${e.code}` : undefined;
}

/** The typed-error label of a DatasetError whose message names `file`. */
export function datasetErrorLabel(e: unknown, file: string): string | undefined {
  return e instanceof DatasetError && e.message.includes(file) ? 'DatasetError' : undefined;
}

/** Input `index` of a run: a seed unchanged for the first indices, then a seed with 1–4 mutations. */
export function makeInput(target: FuzzTarget, seeds: readonly FuzzSeed[], seed: number, index: number): { bytes: Uint8Array; seedIndex: number } {
  if (index < seeds.length) return { bytes: seeds[index]!.bytes, seedIndex: index };
  // deriveSeed(seed, index) alone would give seeds s and s' the same inputs at indices i and i ^ (s ^ s'):
  // mixing in a constant first makes the input sets of different seeds unrelated.
  const rng = new Rng(deriveSeed(seed, INPUT_STREAM, index));
  const seedIndex = pickSeed(rng, seeds);
  const all = seeds.map((s) => s.bytes);
  let bytes = seeds[seedIndex]!.bytes;
  const rounds = rng.next() < 0.5 ? 1 : rng.int(2, 4);
  for (let r = 0; r < rounds; r++) {
    const next = pickMutator(rng, target.mutators).mutate(bytes, rng, all);
    if (next.length <= MAX_INPUT_BYTES) bytes = next;
  }
  return { bytes, seedIndex };
}

function pickSeed(rng: Rng, seeds: readonly FuzzSeed[]): number {
  let r = rng.next() * seeds.reduce((n, s) => n + (s.weight ?? 1), 0);
  for (let i = 0; i < seeds.length; i++) {
    r -= seeds[i]!.weight ?? 1;
    if (r < 0) return i;
  }
  return seeds.length - 1;
}

function inputName(target: FuzzTarget, workdir: string, index: number): string {
  const name = `fuzz-${target.name}-${index}${target.extension}`;
  return target.onDisk ? join(workdir, name) : name;
}

/** The target registry, loaded lazily (its modules import the parsers). */
function targets(): typeof import('./targets') {
  return require('./targets') as typeof import('./targets');
}

// ---- the worker: runs inputs [start, count) and reports each outcome ----

interface WorkerRequest {
  readonly kind: 'wslab-fuzz';
  readonly targetName: string;
  readonly seed: number;
  readonly start: number;
  readonly count: number;
  readonly timeBoundMs: number;
  readonly allocationBoundBytes: number;
  readonly confirm: boolean;
  readonly workdir: string;
  readonly inputs?: readonly GivenInput[];
  /** [0]: 1 + the index of the input running now (0 before the first). */
  readonly progress: SharedArrayBuffer;
}

type Outcome =
  /** A 'failed' input has a failure; a typed error has its label. */
  | {
      readonly type: 'outcome';
      readonly index: number;
      readonly ms: number;
      readonly result: 'ok' | 'typed' | 'failed';
      readonly label?: string;
      readonly message?: string;
      readonly failure?: FuzzFailure;
    }
  | { readonly type: 'done' }
  | { readonly type: 'fatal'; readonly detail: string };

function describeError(e: unknown): string {
  if (e instanceof Error) return (e.stack ?? `${e.name}: ${e.message}`).split('\n').slice(0, 8).join('\n');
  return `a thrown ${typeof e}: ${String(e)}`;
}

function memoryNow(): { buffers: number; heap: number } {
  const m = process.memoryUsage();
  return { buffers: m.arrayBuffers + m.external, heap: m.heapUsed };
}

/** Runs input `index` once: its outcome, with a failure when it threw untyped, was slow or allocated too much. */
async function runOne(target: FuzzTarget, seeds: readonly FuzzSeed[], request: WorkerRequest, index: number): Promise<Outcome & { type: 'outcome' }> {
  const given = request.inputs?.[index];
  const { bytes, seedIndex } = given ? { bytes: given.bytes, seedIndex: given.seedIndex ?? 0 } : makeInput(target, seeds, request.seed, index);
  const file = inputName(target, request.workdir, index);
  const before = memoryNow();
  const t0 = performance.now();
  let label: string | undefined;
  let message: string | undefined;
  let failure: FuzzFailure | undefined;
  strayRejections.length = 0;
  try {
    await target.run(bytes, { file, seedIndex, index, workdir: request.workdir });
  } catch (e) {
    label = target.typedError(e, file);
    if (!label) failure = { index, kind: 'untyped-error', detail: describeError(e) };
    else if (given) message = (e as Error).message;
  }
  const ms = performance.now() - t0;
  await new Promise((resolveTurn) => setImmediate(resolveTurn)); // lets a rejection nothing awaited surface
  if (!failure && strayRejections.length > 0) {
    failure = { index, kind: 'untyped-error', detail: `a promise rejection nothing awaited: ${describeError(strayRejections[0])}` };
  }
  const after = memoryNow();
  const grew = Math.max(after.buffers - before.buffers, after.heap - before.heap);
  if (!failure && ms > request.timeBoundMs) failure = { index, kind: 'slow', detail: `took ${ms.toFixed(0)} ms (bound ${request.timeBoundMs} ms)` };
  if (!failure && grew > request.allocationBoundBytes) {
    const mib = (n: number) => `${(n / 1024 ** 2).toFixed(0)} MiB`;
    failure = {
      index,
      kind: 'allocation',
      detail: `memory grew by ${mib(grew)} (bound ${mib(request.allocationBoundBytes)}) for a ${bytes.length}-byte input`,
    };
  }
  if (failure) failure = { ...failure, input: bytes };
  return { type: 'outcome', index, ms, result: failure ? 'failed' : label ? 'typed' : 'ok', label, message, failure };
}

/** Rejections of promises nothing awaited, during the input running now. */
const strayRejections: unknown[] = [];

async function workerMain(request: WorkerRequest): Promise<void> {
  const target = targets().loadTarget(request.targetName);
  const seeds = await target.seeds();
  const progress = new Int32Array(request.progress);
  for (let index = request.start; index < request.count; index++) {
    Atomics.store(progress, 0, index + 1);
    let outcome = await runOne(target, seeds, request, index);
    if (outcome.failure?.kind === 'slow' && request.confirm) outcome = await runOne(target, seeds, request, index);
    parentPort!.postMessage(outcome satisfies Outcome);
  }
  parentPort!.postMessage({ type: 'done' } satisfies Outcome);
}

// A fuzz worker serves one run after another, each a WorkerRequest message, until it is terminated.
if (!isMainThread && (workerData as { kind?: string } | undefined)?.kind === 'wslab-fuzz') {
  process.on('unhandledRejection', (reason) => strayRejections.push(reason));
  parentPort!.on('message', (request: WorkerRequest) => {
    workerMain(request).catch((e: unknown) => parentPort!.postMessage({ type: 'fatal', detail: describeError(e) } satisfies Outcome));
  });
}

// ---- the main thread: watchdog and report ----

const WORKER_BOOT = `require('tsx/cjs/api').register(); require(${JSON.stringify(__filename)});`;

/** The worker the last run left idle (starting one takes a few hundred milliseconds); it does not keep the process alive. */
let idleWorker: Worker | undefined;

function takeWorker(): Worker {
  const worker = idleWorker ?? new Worker(WORKER_BOOT, { eval: true, workerData: { kind: 'wslab-fuzz' } });
  idleWorker = undefined;
  worker.ref();
  return worker;
}

function releaseWorker(worker: Worker): void {
  worker.unref();
  if (idleWorker) void idleWorker.terminate();
  idleWorker = worker;
}

/** Runs `count` inputs of a target and reports what happened to them. */
export async function runFuzz(targetName: string, options: FuzzOptions): Promise<FuzzReport> {
  const seed = options.seed ?? 1;
  const timeBoundMs = options.timeBoundMs ?? DEFAULT_TIME_BOUND_MS;
  const hangMs = 2 * timeBoundMs + 500;
  const workdir = mkdtempSync(join(tmpdir(), `wslab-fuzz-${targetName}-`));
  const failures: FuzzFailure[] = [];
  const outcomes: FuzzOutcome[] = [];
  const count = options.inputs?.length ?? options.count;
  const byError: Record<string, number> = {};
  let tried = 0;
  let successes = 0;
  let typedErrors = 0;
  let maxMs = 0;
  let maxMsIndex = -1;
  let totalMs = 0;
  try {
    let start = options.from ?? 0;
    let retried = -1;
    while (start < count) {
      const progress = new SharedArrayBuffer(4);
      const request: WorkerRequest = {
        kind: 'wslab-fuzz',
        targetName,
        seed,
        start,
        count,
        inputs: options.inputs,
        timeBoundMs,
        allocationBoundBytes: options.allocationBoundBytes ?? DEFAULT_ALLOCATION_BOUND,
        confirm: options.confirm ?? true,
        workdir,
        progress,
      };
      const worker = takeWorker();
      worker.postMessage(request);
      // Resolves when the worker is done, or with the input it was running when it hung or died.
      const stopped = await new Promise<Omit<FuzzFailure, 'input' | 'savedTo'> | undefined>((resolveRun, rejectRun) => {
        const p = new Int32Array(progress);
        let seen = 0;
        let since = performance.now();
        /** Set when we end the worker ourselves, so its exit is expected. */
        let stopping = false;
        const stop = (result?: Omit<FuzzFailure, 'input' | 'savedTo'>): void => {
          clearInterval(watchdog);
          stopping = true;
          unlisten();
          void worker.terminate().then(() => resolveRun(result));
        };
        const running = (): number => Atomics.load(p, 0) - 1;
        const watchdog = setInterval(() => {
          const now = Atomics.load(p, 0);
          if (now !== seen) {
            seen = now;
            since = performance.now();
          } else if (now > 0 && performance.now() - since > hangMs) {
            stop({ index: now - 1, kind: 'hang', detail: `no result after ${hangMs} ms: terminated` });
          }
        }, 50);
        const onMessage = (m: Outcome): void => {
          if (m.type === 'outcome') {
            tried++;
            totalMs += m.ms;
            if (m.ms > maxMs) {
              maxMs = m.ms;
              maxMsIndex = m.index;
            }
            if (m.result === 'ok') successes++;
            else if (m.result === 'typed') {
              typedErrors++;
              byError[m.label!] = (byError[m.label!] ?? 0) + 1;
            }
            if (m.failure) failures.push(m.failure);
            outcomes.push({ index: m.index, result: m.result, label: m.failure?.kind ?? m.label, message: m.message });
            start = m.index + 1;
          } else if (m.type === 'done') {
            clearInterval(watchdog);
            stopping = true;
            unlisten();
            releaseWorker(worker);
            resolveRun(undefined);
          } else {
            stopping = true;
            clearInterval(watchdog);
            unlisten();
            void worker.terminate();
            rejectRun(new Error(`fuzz worker for ${targetName} failed: ${m.detail}`));
          }
        };
        // An exception nothing awaited (an unhandled rejection in a parser) or a dying thread: the input running fails.
        const onError = (e: Error): void => {
          if (!stopping) stop({ index: running(), kind: 'untyped-error', detail: `the worker died: ${describeError(e)}` });
        };
        const onExit = (code: number): void => {
          if (stopping) return;
          clearInterval(watchdog);
          unlisten();
          resolveRun({ index: running(), kind: 'untyped-error', detail: `the worker exited with code ${code}` });
        };
        const unlisten = (): void => {
          worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        };
        worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      });
      if (stopped && stopped.index !== retried && (options.confirm ?? true)) {
        retried = stopped.index;
        start = stopped.index;
      } else if (stopped) {
        tried++;
        failures.push(stopped);
        outcomes.push({ index: stopped.index, result: 'failed', label: stopped.kind });
        if (stopped.kind === 'hang' && hangMs > maxMs) {
          maxMs = hangMs;
          maxMsIndex = stopped.index;
        }
        start = stopped.index + 1;
      }
    }
  } finally {
    rmSync(workdir, { recursive: true, force: true });
  }
  const saved = options.failureDir === null || options.inputs ? failures : await saveFailures(targetName, seed, failures, options.failureDir);
  return { target: targetName, seed, tried, successes, typedErrors, byError, maxMs, maxMsIndex, totalMs, failures: saved, outcomes };
}

/** Writes each failing input (made again from its index) where it can be replayed and committed. */
async function saveFailures(targetName: string, seed: number, failures: readonly FuzzFailure[], dir?: string): Promise<FuzzFailure[]> {
  if (failures.length === 0) return [];
  const target = targets().loadTarget(targetName);
  const seeds = await target.seeds();
  const out = dir ?? join(ROOT, 'test-results', 'fuzz', targetName);
  mkdirSync(out, { recursive: true });
  return failures.map((f) => {
    const path = join(out, `seed${seed}-input${f.index}-${f.kind}${target.extension}`);
    writeFileSync(path, f.input ?? makeInput(target, seeds, seed, f.index).bytes);
    return { ...f, input: undefined, savedTo: path };
  });
}

/** One line per target: inputs tried, successes, typed errors (by kind), time per input. */
export function formatReport(r: FuzzReport): string {
  const kinds = Object.entries(r.byError)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k.replace(/^WeightFileError:/, '')} ${n}`)
    .join(', ');
  const lines = [
    `${r.target}: ${r.tried} inputs (seed ${r.seed}): ${r.successes} succeeded, ${r.typedErrors} typed errors${kinds ? ` (${kinds})` : ''}, ` +
      `${r.failures.length} failures; max ${r.maxMs.toFixed(1)} ms/input (input ${r.maxMsIndex}), mean ${(r.totalMs / Math.max(1, r.tried)).toFixed(2)} ms`,
  ];
  for (const f of r.failures.slice(0, 20)) {
    lines.push(`  FAIL input ${f.index} [${f.kind}]${f.savedTo ? ` saved to ${f.savedTo}` : ''}\n    ${f.detail.replace(/\n/g, '\n    ')}`);
  }
  if (r.failures.length > 20) lines.push(`  … and ${r.failures.length - 20} more failures`);
  return lines.join('\n');
}
