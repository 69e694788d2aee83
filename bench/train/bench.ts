/**
 * Training throughput of our weight-space classifiers against the same architectures in PyTorch CPU, in
 * one run: weight sets per second of training steps on random batches of the MNIST INR shape (widths
 * 2→32→32→1, P = 1,185 parameters per network, 10 classes), for each model kind's default configuration
 * (MODEL_DEFAULTS; by default NFN-NP and DWSNet) and batch sizes 32 and 128.
 *   ours:    src/core/models + src/core/train/adamw.ts, one step with the trainer's own trainStep (tensors
 *            from the batch arrays, tf.variableGrads of softCrossEntropy, AdamW.apply, dataSync of the loss and
 *            of the correct count), on the tfjs wasm backend (XNNPACK, SIMD; one thread — tfjs
 *            runs its wasm backend single-threaded under Node) and, for reference, the plain-JS cpu backend
 *            (~30× slower: one timed step, in the first repeat, for --cpu-batches only);
 *   PyTorch: bench/train/torch_models.py — the same architecture, parameter for parameter (the counts are
 *            printed; test/models/torchEquivalence.test.ts checks logits, gradients and AdamW steps agree) —
 *            timed by bench/train/torch_bench.py with torch.set_num_threads(1) and (2), one process kept
 *            alive and asked for each measurement, so its configurations interleave with ours.
 * Each measurement runs warm-up steps first (excluded), then steps until ≥ --seconds and ≥ 2 steps; every
 * configuration is measured once per repeat, in turn. Two tables of medians: weight sets per second of wall
 * clock with the ratios ours (wasm) / PyTorch, and per second of each process's CPU time (all its threads),
 * which other load on the machine disturbs less. The load average before and after is printed: on a shared
 * machine, say so.
 *
 *   npm run bench:train [-- --repeats 3 --seconds 0.5 --batches 32,128 --kinds nfn-np,dwsnet --cpu-batches 32]
 */
import { spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { MODEL_DEFAULTS, type ModelKind } from '../../src/core/models/modelConfig';
import { initTf, tf, type TrainBackendName } from '../../src/core/models/tf';
import { createModel, type WeightSpaceModel } from '../../src/core/models/weightSpaceModel';
import { trainStep, type StepResult } from '../../src/core/train/trainStep';
import { Rng } from '../../src/core/random/rng';
import { AdamW } from '../../src/core/train/adamw';
import { DEFAULT_OPTIMIZER } from '../../src/core/train/trainDefaults';

const { values } = parseArgs({
  options: {
    repeats: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '0.5' },
    batches: { type: 'string', default: '32,128' },
    kinds: { type: 'string', default: 'nfn-np,dwsnet' },
    'cpu-batches': { type: 'string', default: '32' },
  },
});
const repeats = Number(values.repeats);
const seconds = Number(values.seconds);
const batches = values.batches.split(',').map(Number);
const kinds = values.kinds.split(',') as ModelKind[];
// The plain-JS cpu backend is ~30× slower than wasm (seconds per step): measured once (first repeat), one
// timed step without warm-up (a step takes seconds; tfjs's cpu kernels have nothing to set up), and only
// for these batch sizes ('' for none).
const cpuBatches = values['cpu-batches'].split(',').filter(Boolean).map(Number);
const PYTHON = '/usr/bin/python3';
const WIDTHS = [2, 32, 32, 1];
const P = WIDTHS.slice(1).reduce((n, out, l) => n + out * (WIDTHS[l]! + 1), 0);
const CLASSES = 10;
const MIN_STEPS = 2;
const WARMUP_STEPS = 2;
// The trainer's optimizer without warm-up, so both sides run the same AdamW maths every step.
const OPTIMIZER = { ...DEFAULT_OPTIMIZER, warmupSteps: 0 };

interface Measurement {
  readonly setsPerSec: number;
  /** Weight sets per second of the process's CPU time (user + system), less sensitive to other load. */
  readonly setsPerCpuSec: number;
  readonly parameters: number;
}

/** Our model, optimizer and one fixed random batch for a (kind, batch, backend). */
class OurSession {
  private readonly model: WeightSpaceModel;
  private readonly optimizer: AdamW;
  private readonly x: Float32Array;
  private readonly targets: Float32Array;
  private warm = false;

  constructor(
    readonly kind: ModelKind,
    readonly batch: number,
    readonly backend: TrainBackendName,
    private readonly warmupSteps: number,
    private readonly minSteps: number,
    private readonly minSeconds: number,
  ) {
    this.model = createModel(MODEL_DEFAULTS[kind], WIDTHS, CLASSES, 1);
    this.optimizer = new AdamW(this.model.params.list, OPTIMIZER);
    const rng = new Rng(batch);
    this.x = Float32Array.from({ length: batch * P }, () => rng.normal());
    this.targets = new Float32Array(batch * CLASSES);
    for (let n = 0; n < batch; n++) this.targets[n * CLASSES + rng.int(0, CLASSES - 1)] = 1;
  }

  /** One training step, the trainer's own (src/core/train/trainStep.ts). */
  step(): StepResult {
    return trainStep(this.model, this.optimizer, this.x, this.targets, this.batch);
  }

  async measure(): Promise<Measurement> {
    await initTf(this.backend);
    for (let i = 0; i < (this.warm ? 1 : this.warmupSteps); i++) this.step();
    this.warm = true;
    let steps = 0;
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    let elapsed = 0;
    do {
      const { loss } = this.step();
      if (!Number.isFinite(loss)) throw new Error(`ours ${this.kind} B=${this.batch}: loss ${loss}`);
      steps++;
      elapsed = (performance.now() - start) / 1000;
    } while (steps < this.minSteps || elapsed < this.minSeconds);
    const cpu = process.cpuUsage(cpuStart);
    return { setsPerSec: (steps * this.batch) / elapsed, setsPerCpuSec: (steps * this.batch * 1e6) / (cpu.user + cpu.system), parameters: this.model.params.size };
  }
}

/** The PyTorch process (torch_bench.py --serve): one JSON request per line, one JSON answer per line. */
class TorchServer {
  private readonly child = spawn(
    PYTHON,
    [join(__dirname, 'torch_bench.py'), '--serve', '--widths', WIDTHS.join(','), '--classes', String(CLASSES),
      '--lr', String(OPTIMIZER.lr), '--weight-decay', String(OPTIMIZER.weightDecay),
      '--min-steps', String(MIN_STEPS)],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  private readonly lines = createInterface({ input: this.child.stdout! })[Symbol.asyncIterator]();
  torchVersion = '?';

  async measure(kind: ModelKind, batch: number, threads: number): Promise<Measurement> {
    this.child.stdin!.write(`${JSON.stringify({ model: MODEL_DEFAULTS[kind], batch, threads, seconds, minSteps: MIN_STEPS })}\n`);
    const next = await this.lines.next();
    if (next.done) throw new Error(`torch_bench.py exited (code ${this.child.exitCode}); is torch installed for ${PYTHON}?`);
    const r = JSON.parse(next.value) as Measurement & { torch: string };
    this.torchVersion = r.torch;
    return r;
  }

  close(): void {
    this.child.stdin!.end();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const load = () => loadavg().map((v) => v.toFixed(2)).join(', ');

async function main(): Promise<void> {
  const started = performance.now();
  const loadBefore = load();
  const torch = new TorchServer();
  const cases = kinds.flatMap((kind) => batches.map((batch) => ({ kind, batch })));
  const withCpu = cases.some((c) => cpuBatches.includes(c.batch));
  // Each backend's sessions are created while it is active, so their variables live there.
  const wasm = new Map<string, OurSession>();
  const cpu = new Map<string, OurSession>();
  await initTf('wasm');
  for (const { kind, batch } of cases) wasm.set(`${kind}/${batch}`, new OurSession(kind, batch, 'wasm', WARMUP_STEPS, MIN_STEPS, seconds));
  if (withCpu) {
    await initTf('cpu');
    for (const { kind, batch } of cases) if (cpuBatches.includes(batch)) cpu.set(`${kind}/${batch}`, new OurSession(kind, batch, 'cpu', 0, 1, 0));
  }
  const runs = cases.map(() => ({ wasm: [] as Measurement[], cpu: [] as Measurement[], torch1: [] as Measurement[], torch2: [] as Measurement[] }));
  for (let r = 0; r < repeats; r++) {
    for (const [c, { kind, batch }] of cases.entries()) {
      const row = runs[c]!;
      row.wasm.push(await wasm.get(`${kind}/${batch}`)!.measure());
      if (r === 0 && cpu.has(`${kind}/${batch}`)) row.cpu.push(await cpu.get(`${kind}/${batch}`)!.measure());
      row.torch1.push(await torch.measure(kind, batch, 1));
      row.torch2.push(await torch.measure(kind, batch, 2));
    }
  }
  torch.close();

  console.log(`Training throughput (weight sets/s): ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, Node ${process.version}, tfjs ${tf.version_core}; PyTorch ${torch.torchVersion} (CPU, float32)`);
  console.log(`MNIST INR shape ${WIDTHS.join('→')} (P = ${fmt(P)}), ${CLASSES} classes, each kind's default model (${kinds.map((k) => JSON.stringify(MODEL_DEFAULTS[k])).join(', ')}); AdamW lr ${OPTIMIZER.lr}, wd ${OPTIMIZER.weightDecay}.`);
  console.log(`One step = forward + backward + AdamW + reading the loss; median of ${repeats} interleaved runs of ≥ ${seconds} s and ≥ ${MIN_STEPS} steps, warm-up excluded.`);
  for (const kind of kinds) {
    const row = runs[cases.findIndex((c) => c.kind === kind)]!;
    const [mine, theirs] = [row.wasm[0]!.parameters, row.torch1[0]!.parameters];
    console.log(`parameters ${kind}: ours ${fmt(mine)}, PyTorch ${fmt(theirs)}${mine === theirs ? ' (equal)' : ' — DIFFERENT: not the same architecture'}`);
  }
  const table = (header: string[], rows: string[][]) => {
    const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
    const line = (cells: string[]) => `| ${cells.map((v, c) => (c === 0 ? v.padEnd(widths[c]!) : v.padStart(widths[c]!))).join(' | ')} |`;
    console.log([line(header), `|${widths.map((w, c) => (c === 0 ? '-' : '') + '-'.repeat(w + 1) + (c === 0 ? '' : ':')).join('|')}|`, ...rows.map(line)].join('\n'));
  };
  const medians = (c: number, key: 'setsPerSec' | 'setsPerCpuSec') => {
    const row = runs[c]!;
    return [row.wasm, row.torch1, row.torch2].map((ms) => median(ms.map((m) => m[key]))) as [number, number, number];
  };
  console.log('\nweight sets per second (wall clock):');
  table(
    ['model', 'batch', 'ours (wasm)', 'PyTorch 1 thread', 'PyTorch 2 threads', 'ours / PyTorch 1T', 'ours / PyTorch 2T', 'ours (cpu backend)'],
    cases.map(({ kind, batch }, c) => {
      const [ours, t1, t2] = medians(c, 'setsPerSec');
      const cpuRun = runs[c]!.cpu[0];
      return [kind, String(batch), fmt(ours), fmt(t1), fmt(t2), `${fmt(ours / t1, 2)}×`, `${fmt(ours / t2, 2)}×`, cpuRun ? fmt(cpuRun.setsPerSec, 1) : '–'];
    }),
  );
  console.log('\nweight sets per CPU-second of each process (all its threads; less sensitive to other load on the machine):');
  table(
    ['model', 'batch', 'ours (wasm)', 'PyTorch 1 thread', 'PyTorch 2 threads', 'ours / PyTorch 1T'],
    cases.map(({ kind, batch }, c) => {
      const [ours, t1, t2] = medians(c, 'setsPerCpuSec');
      return [kind, String(batch), fmt(ours), fmt(t1), fmt(t2), `${fmt(ours / t1, 2)}×`];
    }),
  );
  console.log(`load average (1, 5, 15 min): ${loadBefore} before, ${load()} after, on ${cpus().length} CPUs; ${fmt((performance.now() - started) / 1000, 0)} s in all.`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
