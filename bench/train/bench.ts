/**
 * Training throughput of our weight-space classifiers against the same architectures in PyTorch CPU, in
 * one run: weight sets per second of training steps on random batches of the MNIST INR shape (widths
 * 2→32→32→1, P = 1,185 parameters per network, 10 classes), for dwsnet and nfn-np in their default
 * configuration (MODEL_DEFAULTS: BatchNorm, max pooling, 3 layers) at hidden 16 and 32, batch 32 and 128.
 *   ours, fused:  src/core/fused — the trainer's fused WebAssembly engine (FusedEngine.trainStep: forward,
 *                 backward, AdamW, loss and correct count), on 1 thread and on one thread per core, each
 *                 session in a process of its own (FusedServer), as a training run has one model per process;
 *   ours, tfjs:   the TensorFlow.js reference path (trainStep.ts on the tfjs wasm backend, one thread) —
 *                 measured with --tfjs (slow: ~1 s per configuration and repeat);
 *   ours, webgpu: TensorFlow.js's WebGPU backend (backend webgpu) — measured with --webgpu, after everything
 *                 else (tfjs then stays on WebGPU); on a software adapter (SwiftShader) once, as a
 *                 correctness run whose speed says nothing about a GPU;
 *   PyTorch:      bench/train/torch_models.py — the same architecture, parameter for parameter (the counts are
 *                 printed; test/models/torchEquivalence.test.ts checks logits, gradients and AdamW steps agree) —
 *                 timed by bench/train/torch_bench.py with torch.set_num_threads(1) and (2), one process kept
 *                 alive and asked for each measurement, so its configurations interleave with ours.
 * Each session (a model, batch and thread count, on either side) first runs --warmup seconds of steps
 * (excluded; V8 needs ~2 s to tier up our helper threads' code, PyTorch gets the same), each measurement
 * one step more, then steps until ≥ --seconds and ≥ 2 steps; every
 * configuration is measured once per repeat, in turn. The tables show each session's best repeat (--statistic
 * best, the default: on a shared VM other load only ever slows a run down, so the fastest of several is the
 * steadiest estimate of a side's speed, as Python's timeit reports its minimum time; the same rule for both
 * sides), or its median (--statistic median); the first table adds the all-cores ratio from the medians.
 * Ratios: ours on all cores against PyTorch's better of 1 and 2 threads, and ours on one thread against
 * PyTorch on one thread.
 * GFLOP/s: the FLOPs of the matrix products of one step (counted by wrapping the kernel's matmuls for one
 * step; the element-wise passes are not counted) times steps per second, beside the peak of vector
 * multiply-adds one core reaches (the kernel's fmaPeak). The load average before and after is printed.
 *
 *   npm run bench:train [-- --repeats 5 --statistic best --seconds 0.5 --warmup 3 --batches 32,128 --hidden 16,32 --kinds nfn-np,dwsnet --tfjs --webgpu]
 */
import { spawn } from 'node:child_process';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { FusedEngine } from '../../src/core/fused/fusedEngine';
import { Arena, type TrainKernelExports } from '../../src/core/fused/trainKernel';
import { MODEL_DEFAULTS, type ModelConfig, type ModelKind } from '../../src/core/models/modelConfig';
import { initTf } from '../../src/core/models/tf';
import { createModel } from '../../src/core/models/weightSpaceModel';
import { Rng } from '../../src/core/random/rng';
import { AdamW } from '../../src/core/train/adamw';
import { trainStep, trainStepAsync, type StepResult } from '../../src/core/train/trainStep';
import { provideNavigatorGpu, describeAdapter } from '../../src/core/gpu/webgpuDevice';
import { DEFAULT_OPTIMIZER } from '../../src/core/train/trainDefaults';
import { parameterCount } from '../../src/core/weights/network';

const { values } = parseArgs({
  options: {
    repeats: { type: 'string', default: '5' },
    statistic: { type: 'string', default: 'best' },
    seconds: { type: 'string', default: '0.5' },
    warmup: { type: 'string', default: '3' },
    batches: { type: 'string', default: '32,128' },
    hidden: { type: 'string', default: '16,32' },
    kinds: { type: 'string', default: 'nfn-np,dwsnet' },
    tfjs: { type: 'boolean', default: false },
    webgpu: { type: 'boolean', default: false },
    /** Internal: serve one fused session ({model, batch, threads}) in this process (see FusedServer). */
    'serve-fused': { type: 'string' },
  },
});
const repeats = Number(values.repeats);
if (values.statistic !== 'best' && values.statistic !== 'median') throw new Error(`--statistic ${values.statistic}: use best or median`);
const statistic = values.statistic;
const seconds = Number(values.seconds);
/** Seconds of warm-up steps before a session's first measurement, on both sides (V8 tiers up the helper threads' code over ~2 s). */
const warmupSeconds = Number(values.warmup);
const batches = values.batches.split(',').map(Number);
const hiddens = values.hidden.split(',').map(Number);
const kinds = values.kinds.split(',') as ModelKind[];
const PYTHON = '/usr/bin/python3';
const WIDTHS = [2, 32, 32, 1];
const P = parameterCount(WIDTHS);
const CLASSES = 10;
const MIN_STEPS = 2;
const CORES = availableParallelism();
// The trainer's optimizer without warm-up, so both sides run the same AdamW maths every step.
const OPTIMIZER = { ...DEFAULT_OPTIMIZER, warmupSteps: 0 };

interface Measurement {
  readonly setsPerSec: number;
  /** Weight sets per second of the process's CPU time (user + system, all threads). */
  readonly setsPerCpuSec: number;
  readonly parameters: number;
}

/** One fixed random batch. */
function randomBatch(batch: number): { x: Float32Array; targets: Float32Array } {
  const rng = new Rng(batch);
  const x = Float32Array.from({ length: batch * P }, () => rng.normal());
  const targets = new Float32Array(batch * CLASSES);
  for (let n = 0; n < batch; n++) targets[n * CLASSES + rng.int(0, CLASSES - 1)] = 1;
  return { x, targets };
}

/** Runs warm-up steps for `warmup` seconds (at least one), then steps until ≥ --seconds and ≥ MIN_STEPS (a step may be a promise: WebGPU). */
async function timeSteps(step: () => StepResult | Promise<StepResult>, batch: number, warmup: number, parameters: number, what: string): Promise<Measurement> {
  for (const warmupStart = performance.now(); ;) {
    await step();
    if ((performance.now() - warmupStart) / 1000 >= warmup) break;
  }
  let steps = 0;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  let elapsed = 0;
  do {
    const { loss } = await step();
    if (!Number.isFinite(loss)) throw new Error(`${what}: loss ${loss}`);
    steps++;
    elapsed = (performance.now() - start) / 1000;
  } while (steps < MIN_STEPS || elapsed < seconds);
  const cpu = process.cpuUsage(cpuStart);
  return { setsPerSec: (steps * batch) / elapsed, setsPerCpuSec: (steps * batch * 1e6) / (cpu.user + cpu.system), parameters };
}

/** Our fused engine on `threads` threads for a (model, batch). */
class FusedSession {
  private readonly engine: FusedEngine;
  private readonly batchData: { x: Float32Array; targets: Float32Array };
  private warm = false;
  readonly parameters: number;

  constructor(
    readonly model: ModelConfig,
    readonly batch: number,
    readonly threads: number,
  ) {
    const m = createModel(model, WIDTHS, CLASSES, 1);
    this.parameters = m.params.size;
    this.engine = new FusedEngine(m, OPTIMIZER, batch, threads);
    this.batchData = randomBatch(batch);
  }

  async measure(): Promise<Measurement> {
    const { x, targets } = this.batchData;
    const result = await timeSteps(
      () => this.engine.trainStep(x, targets, this.batch),
      this.batch,
      this.warm ? 0 : warmupSeconds,
      this.parameters,
      `fused ${this.model.kind}`,
    );
    this.warm = true;
    return result;
  }

  /** FLOPs of the matrix products of one step (2·m·k·n each), counted on the kernel calls of one step. */
  matmulFlops(): number {
    const program = this.engine.program as unknown as { k: TrainKernelExports };
    const kernel = program.k;
    let flops = 0;
    program.k = {
      ...kernel,
      matmul: (a, b, c, m, k, n, acc) => ((flops += 2 * m * k * n), kernel.matmul(a, b, c, m, k, n, acc)),
      matmulTransA: (a, b, c, m, k, n) => ((flops += 2 * m * k * n), kernel.matmulTransA(a, b, c, m, k, n)),
    };
    const { x, targets } = this.batchData;
    this.engine.trainStep(x, targets, this.batch);
    program.k = kernel;
    return flops;
  }

  dispose(): void {
    this.engine.dispose();
  }
}

/** The TensorFlow.js reference path (wasm backend) for a (model, batch). */
class TfjsSession {
  private readonly step: () => StepResult;
  private warm = false;
  readonly parameters: number;

  constructor(
    readonly model: ModelConfig,
    readonly batch: number,
  ) {
    const m = createModel(model, WIDTHS, CLASSES, 1);
    const optimizer = new AdamW(m.params.list, OPTIMIZER);
    const { x, targets } = randomBatch(batch);
    this.parameters = m.params.size;
    this.step = () => trainStep(m, optimizer, x, targets, batch);
  }

  async measure(): Promise<Measurement> {
    const result = await timeSteps(this.step, this.batch, this.warm ? 0 : warmupSeconds, this.parameters, `tfjs ${this.model.kind}`);
    this.warm = true;
    return result;
  }
}

/** TensorFlow.js's WebGPU backend for a (model, batch), as timeSteps measures. */
async function measureWebGpu(model: ModelConfig, batch: number): Promise<Measurement> {
  const m = createModel(model, WIDTHS, CLASSES, 1);
  const optimizer = new AdamW(m.params.list, OPTIMIZER);
  const { x, targets } = randomBatch(batch);
  try {
    return await timeSteps(() => trainStepAsync(m, optimizer, x, targets, batch), batch, 0, m.params.size, `webgpu ${model.kind}`);
  } finally {
    optimizer.dispose();
    m.params.dispose();
  }
}

/** The SIMD multiply-add peak of one core (GFLOP/s), best of 3. */
function fmaPeakGflops(): number {
  const kernel = new Arena().kernel;
  kernel.fmaPeak(1e6);
  let best = 0;
  for (let r = 0; r < 3; r++) {
    const start = performance.now();
    kernel.fmaPeak(2e7);
    best = Math.max(best, (2e7 * 64) / ((performance.now() - start) / 1000) / 1e9);
  }
  return best;
}

/**
 * One of our fused sessions in a process of its own, as a training run has it (one model per process):
 * several engines in one process made V8's calls from JavaScript into the kernels polymorphic and measured
 * up to a third slower. The child is this script with --serve-fused; it answers each line with a measurement.
 */
class FusedServer {
  private readonly child: JsonLineChild;
  parameters = 0;
  flops = 0;

  constructor(
    readonly model: ModelConfig,
    readonly batch: number,
    readonly threads: number,
  ) {
    const args = [
      '--import',
      'tsx',
      __filename,
      '--serve-fused',
      JSON.stringify({ model, batch, threads }),
      '--warmup',
      String(warmupSeconds),
      '--seconds',
      String(seconds),
    ];
    this.child = new JsonLineChild(process.execPath, args, `the fused session ${model.kind} h${model.hidden} b${batch} ×${threads}`);
  }

  /** Waits until the child has built its engine; reads its parameter count and the FLOPs of one step. */
  async ready(): Promise<void> {
    ({ parameters: this.parameters, flops: this.flops } = await this.child.next<{ parameters: number; flops: number }>());
  }

  measure(): Promise<Measurement> {
    return this.child.next<Measurement>('measure');
  }

  close(): void {
    this.child.close();
  }
}

/** --serve-fused: one FusedSession; first line out: parameters and FLOPs, then one measurement per line in. */
async function serveFused(spec: { model: ModelConfig; batch: number; threads: number }): Promise<void> {
  await initTf('cpu');
  const session = new FusedSession(spec.model, spec.batch, spec.threads);
  process.stdout.write(`${JSON.stringify({ parameters: session.parameters, flops: session.matmulFlops() })}\n`);
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim() === '') continue;
    process.stdout.write(`${JSON.stringify(await session.measure())}\n`);
  }
  session.dispose();
}

/** A child process that answers each request line with one JSON line (torch_bench.py --serve, --serve-fused). */
class JsonLineChild {
  private readonly child;
  private readonly lines;

  constructor(
    command: string,
    args: readonly string[],
    /** What it is, for the error when it exits early (and how to fix it, if known). */
    private readonly what: string,
  ) {
    this.child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
    this.lines = createInterface({ input: this.child.stdout! })[Symbol.asyncIterator]();
  }

  /** Sends `request` (when given) and reads the next line the child prints, parsed. */
  async next<T>(request?: string): Promise<T> {
    if (request !== undefined) this.child.stdin!.write(`${request}\n`);
    const next = await this.lines.next();
    if (next.done) throw new Error(`${this.what} exited (code ${this.child.exitCode})`);
    return JSON.parse(next.value) as T;
  }

  close(): void {
    this.child.stdin!.end();
  }
}

/** The PyTorch process (torch_bench.py --serve): one JSON request per line, one JSON answer per line. */
class TorchServer {
  private readonly child = new JsonLineChild(
    PYTHON,
    [
      join(__dirname, 'torch_bench.py'),
      '--serve',
      '--widths',
      WIDTHS.join(','),
      '--classes',
      String(CLASSES),
      '--lr',
      String(OPTIMIZER.lr),
      '--weight-decay',
      String(OPTIMIZER.weightDecay),
      '--min-steps',
      String(MIN_STEPS),
      '--warmup',
      String(warmupSeconds),
    ],
    `torch_bench.py (is torch installed for ${PYTHON}?)`,
  );
  torchVersion = '?';

  async measure(model: ModelConfig, batch: number, threads: number): Promise<Measurement> {
    const r = await this.child.next<Measurement & { torch: string }>(JSON.stringify({ model, batch, threads, seconds, minSteps: MIN_STEPS }));
    this.torchVersion = r.torch;
    return r;
  }

  close(): void {
    this.child.close();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const best = (xs: number[]) => Math.max(...xs);
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const load = () =>
  loadavg()
    .map((v) => v.toFixed(2))
    .join(', ');

async function main(): Promise<void> {
  const started = performance.now();
  const loadBefore = load();
  const torch = new TorchServer();
  await initTf('wasm');
  const peak = fmaPeakGflops();
  const cases = kinds.flatMap((kind) => hiddens.flatMap((hidden) => batches.map((batch) => ({ model: { ...MODEL_DEFAULTS[kind], hidden }, batch }))));
  const sessions = cases.map(({ model, batch }) => ({
    one: new FusedServer(model, batch, 1),
    all: new FusedServer(model, batch, CORES),
    tfjs: values.tfjs ? new TfjsSession(model, batch) : null,
  }));
  // One at a time, so their start-ups do not compete.
  for (const s of sessions) {
    await s.one.ready();
    await s.all.ready();
  }
  const flops = sessions.map((s) => s.one.flops);
  const runs = cases.map(() => ({
    one: [] as Measurement[],
    all: [] as Measurement[],
    tfjs: [] as Measurement[],
    torch1: [] as Measurement[],
    torch2: [] as Measurement[],
  }));
  for (let r = 0; r < repeats; r++) {
    for (const [c, { model, batch }] of cases.entries()) {
      const row = runs[c]!;
      const s = sessions[c]!;
      row.one.push(await s.one.measure());
      row.all.push(await s.all.measure());
      if (s.tfjs) row.tfjs.push(await s.tfjs.measure());
      row.torch1.push(await torch.measure(model, batch, 1));
      row.torch2.push(await torch.measure(model, batch, 2));
    }
  }
  torch.close();
  for (const s of sessions) {
    s.one.close();
    s.all.close();
  }
  // WebGPU last: TensorFlow.js stays on it from here.
  const webgpu: Measurement[][] = cases.map(() => []);
  let adapter = '';
  if (values.webgpu) {
    const summary = await provideNavigatorGpu({ allowSoftware: true });
    adapter = describeAdapter(summary);
    await initTf('webgpu');
    for (let r = 0; r < (summary.software ? 1 : repeats); r++) {
      for (const [c, { model, batch }] of cases.entries()) webgpu[c]!.push(await measureWebGpu(model, batch));
    }
  }

  console.log(
    `Training throughput (weight sets/s): ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, Node ${process.version}; PyTorch ${torch.torchVersion} (CPU, float32)`,
  );
  console.log(
    `MNIST INR shape ${WIDTHS.join('→')} (P = ${fmt(P)}), ${CLASSES} classes, default dwsnet / nfn-np (BatchNorm, max pooling, 3 layers, head 64) at hidden ${hiddens.join(', ')}; AdamW lr ${OPTIMIZER.lr}, wd ${OPTIMIZER.weightDecay}.`,
  );
  console.log(
    `One step = forward + backward + AdamW + the loss and correct count; ${statistic === 'best' ? 'best' : 'median'} of ${repeats} interleaved runs of ≥ ${seconds} s and ≥ ${MIN_STEPS} steps per session (the same rule for both sides), warm-up excluded. "all cores" = ${CORES} threads.`,
  );
  for (const [c, { model, batch }] of cases.entries()) {
    if (batch !== batches[0]) continue;
    const [mine, theirs] = [runs[c]!.one[0]!.parameters, runs[c]!.torch1[0]!.parameters];
    console.log(
      `parameters ${model.kind} hidden ${model.hidden}: ours ${fmt(mine)}, PyTorch ${fmt(theirs)}${mine === theirs ? ' (equal)' : ' — DIFFERENT: not the same architecture'}`,
    );
  }
  const table = (header: string[], rows: string[][]) => {
    const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
    const line = (cells: string[]) => `| ${cells.map((v, c) => (c === 0 ? v.padEnd(widths[c]!) : v.padStart(widths[c]!))).join(' | ')} |`;
    console.log(
      [line(header), `|${widths.map((w, c) => (c === 0 ? '-' : '') + '-'.repeat(w + 1) + (c === 0 ? '' : ':')).join('|')}|`, ...rows.map(line)].join('\n'),
    );
  };
  const of = (pick: (xs: number[]) => number) => (ms: Measurement[], key: 'setsPerSec' | 'setsPerCpuSec') =>
    ms.length ? pick(ms.map((m) => m[key])) : Number.NaN;
  const stat = of(statistic === 'best' ? best : median);
  const medianOf = of(median);
  console.log(`\nweight sets per second (wall clock), ${statistic === 'best' ? 'best' : 'median'} of ${repeats} repeats:`);
  table(
    [
      'model',
      'hidden',
      'batch',
      'ours 1 thread',
      `ours ${CORES} threads`,
      'PyTorch 1T',
      'PyTorch 2T',
      'ours all / PyTorch best',
      ...(statistic === 'best' ? ['(from medians)'] : []),
      'ours 1T / PyTorch 1T',
      ...(values.tfjs ? ['ours tfjs (reference)'] : []),
      ...(values.webgpu ? ['ours webgpu'] : []),
      'GFLOP/s 1T',
      `GFLOP/s ${CORES}T`,
    ],
    cases.map(({ model, batch }, c) => {
      const row = runs[c]!;
      const [one, all, t1, t2] = [stat(row.one, 'setsPerSec'), stat(row.all, 'setsPerSec'), stat(row.torch1, 'setsPerSec'), stat(row.torch2, 'setsPerSec')];
      const gflops = (rate: number) => fmt(((flops[c]! / batch) * rate) / 1e9, 1);
      const medianRatio = medianOf(row.all, 'setsPerSec') / Math.max(medianOf(row.torch1, 'setsPerSec'), medianOf(row.torch2, 'setsPerSec'));
      return [
        model.kind,
        String(model.hidden),
        String(batch),
        fmt(one),
        fmt(all),
        fmt(t1),
        fmt(t2),
        `${fmt(all / Math.max(t1, t2), 2)}×`,
        ...(statistic === 'best' ? [`${fmt(medianRatio, 2)}×`] : []),
        `${fmt(one / t1, 2)}×`,
        ...(values.tfjs ? [fmt(stat(row.tfjs, 'setsPerSec'))] : []),
        ...(values.webgpu ? [fmt(stat(webgpu[c]!, 'setsPerSec'), 1)] : []),
        gflops(one),
        gflops(all),
      ];
    }),
  );
  if (values.webgpu)
    console.log(
      `ours webgpu: TensorFlow.js's WebGPU backend on ${adapter}${/software/.test(adapter) ? ' — a CPU driver: one run, a correctness figure, not a GPU speed' : ''}.`,
    );
  console.log(
    `GFLOP/s counts the matrix products only (${cases
      .map((c, i) => `${c.model.kind} h${c.model.hidden}: ${fmt(flops[i]! / c.batch / 1e6, 1)} MFLOP per network per step`)
      .filter((_, i) => cases[i]!.batch === batches[0])
      .join('; ')}); the SIMD multiply-add peak of one core, measured: ${fmt(peak, 1)} GFLOP/s.`,
  );
  console.log('\nweight sets per CPU-second of each process (all its threads; less sensitive to other load on the machine):');
  table(
    ['model', 'hidden', 'batch', 'ours 1 thread', `ours ${CORES} threads`, 'PyTorch 1T', 'PyTorch 2T'],
    cases.map(({ model, batch }, c) => {
      const row = runs[c]!;
      return [
        model.kind,
        String(model.hidden),
        String(batch),
        fmt(stat(row.one, 'setsPerCpuSec')),
        fmt(stat(row.all, 'setsPerCpuSec')),
        fmt(stat(row.torch1, 'setsPerCpuSec')),
        fmt(stat(row.torch2, 'setsPerCpuSec')),
      ];
    }),
  );
  console.log(
    `load average (1, 5, 15 min): ${loadBefore} before, ${load()} after, on ${cpus().length} CPUs; ${fmt((performance.now() - started) / 1000, 0)} s in all.`,
  );
}

(values['serve-fused'] ? serveFused(JSON.parse(values['serve-fused'])) : main()).catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
