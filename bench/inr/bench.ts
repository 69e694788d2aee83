/**
 * SIREN fitting throughput against PyTorch CPU, in one run: the same synthetic 28×28 images, the same
 * initial weights and the same number of Adam steps (early stop off) through
 *   (a) our WASM kernel with 1 worker and with all workers (os.availableParallelism()),
 *   (b) PyTorch (bench/inr/torch_fit.py, Debian /usr/bin/python3): one network at a time on 1 thread,
 *       and all networks batched with bmm on all threads;
 *   (c) where WebGPU opens an adapter: our WGSL kernel (the webgpu backend), and where PyTorch has CUDA,
 *       PyTorch-CUDA with bmm over all networks. On a software adapter (SwiftShader) the WebGPU row runs
 *       once and is a correctness figure only (its PSNR), not a speed one.
 * Configurations are interleaved within each repeat; the table shows medians of INR-steps/s (networks ×
 * steps / seconds of fitting, start-up excluded), their ratios, and the mean PSNR each reached.
 * Both the deeper 2→32→32→32→1 and the DWSNets default 2→32→32→1 are measured.
 *
 *   npm run bench:inr [-- --networks 8 --steps 400 --repeats 5 --seed 2023 --no-webgpu]
 * (On a GPU, ask for more networks, e.g. --networks 4096: one network is far too little work for it.)
 * Node 20 runs the plain-SIMD kernel; add --experimental-wasm-relaxed-simd to node (VS Code's runtime has
 * relaxed SIMD) to measure the FMA build.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createBackend, DEFAULT_FIT, type FitBackend, type FitOptions, type FitTask } from '../../src/core/inr/backend';
import { WebGpuBackend } from '../../src/core/inr/webgpuBackend';
import { flattenLayers } from '../../src/core/inr/fitting';
import { DEFAULT_SIREN, initSiren, pixelGrid, sirenParameterCount, type SirenSpec } from '../../src/core/inr/spec';
import { deriveSeed, Rng } from '../../src/core/random/rng';

const { values } = parseArgs({
  options: {
    networks: { type: 'string', default: '8' },
    steps: { type: 'string', default: '400' },
    repeats: { type: 'string', default: '5' },
    seed: { type: 'string', default: '2023' },
    'no-webgpu': { type: 'boolean', default: false },
  },
});
const networks = Number(values.networks);
const steps = Number(values.steps);
const repeats = Number(values.repeats);
const seed = Number(values.seed);
const allWorkers = availableParallelism();
const PYTHON = '/usr/bin/python3';
const SIZE = 28;

const VARIANTS: { label: string; spec: SirenSpec }[] = [
  { label: 'deeper 2→32→32→32→1', spec: { ...DEFAULT_SIREN, hidden: [32, 32, 32] } },
  { label: 'default 2→32→32→1', spec: DEFAULT_SIREN },
];

/** A digit-like image: 2–4 anti-aliased quadratic Bézier strokes, intensity in [0, 1]. */
function strokeImage(rng: Rng): Float32Array {
  const image = new Float32Array(SIZE * SIZE);
  const strokes = rng.int(2, 4);
  for (let s = 0; s < strokes; s++) {
    const [p0, p1, p2] = [0, 1, 2].map(() => [rng.uniform(5, 22), rng.uniform(5, 22)] as const);
    const width = rng.uniform(1.2, 2.2);
    for (let k = 0; k <= 64; k++) {
      const t = k / 64;
      const cx = (1 - t) ** 2 * p0![0] + 2 * t * (1 - t) * p1![0] + t * t * p2![0];
      const cy = (1 - t) ** 2 * p0![1] + 2 * t * (1 - t) * p1![1] + t * t * p2![1];
      for (let r = Math.max(0, Math.floor(cy - 4)); r <= Math.min(SIZE - 1, Math.ceil(cy + 4)); r++) {
        for (let c = Math.max(0, Math.floor(cx - 4)); c <= Math.min(SIZE - 1, Math.ceil(cx + 4)); c++) {
          const ink = Math.min(1, Math.max(0, width + 0.5 - Math.hypot(r - cy, c - cx)));
          image[r * SIZE + c] = Math.max(image[r * SIZE + c]!, ink);
        }
      }
    }
  }
  return image;
}

function makeTasks(spec: SirenSpec): FitTask[] {
  return Array.from({ length: networks }, (_, i) => ({
    id: `bench-${i}`,
    target: strokeImage(new Rng(deriveSeed(seed, i))),
    init: initSiren(spec, new Rng(deriveSeed(seed, i, 1))),
  }));
}

/** The fit as files for torch_fit.py: manifest.json, coords.f32, targets.f32, init.f32 (state-dict order). */
function writeTorchInput(dir: string, options: FitOptions, tasks: readonly FitTask[]): void {
  const manifest = {
    spec: options.spec,
    networks: tasks.length,
    pixels: SIZE * SIZE,
    steps,
    lr: DEFAULT_FIT.lr,
    beta1: DEFAULT_FIT.beta1,
    beta2: DEFAULT_FIT.beta2,
    eps: DEFAULT_FIT.eps,
  };
  const concat = (arrays: Float32Array[]) => Buffer.from(Float32Array.from(arrays.flatMap((a) => [...a])).buffer);
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  writeFileSync(join(dir, 'coords.f32'), Buffer.from(options.coords.buffer));
  writeFileSync(join(dir, 'targets.f32'), concat(tasks.map((t) => t.target)));
  writeFileSync(join(dir, 'init.f32'), concat(tasks.map((t) => flattenLayers(t.init))));
}

interface Run {
  readonly stepsPerSecond: number;
  readonly psnr: number[];
}

async function runOurs(backend: FitBackend, tasks: readonly FitTask[], options: FitOptions): Promise<Run> {
  const start = performance.now();
  const results = await backend.fit(tasks, options);
  const seconds = (performance.now() - start) / 1000;
  return { stepsPerSecond: results.reduce((n, r) => n + r.steps, 0) / seconds, psnr: results.map((r) => r.psnr) };
}

function runTorch(dir: string, mode: 'loop' | 'bmm', threads: number, device: 'cpu' | 'cuda' = 'cpu'): Run & { torch: string } {
  const out = execFileSync(PYTHON, [join(__dirname, 'torch_fit.py'), dir, '--mode', mode, '--threads', String(threads), '--device', device], {
    encoding: 'utf8',
  });
  return JSON.parse(out) as Run & { torch: string };
}

interface Backends {
  readonly one: FitBackend;
  readonly all: FitBackend;
  readonly gpu: WebGpuBackend | null;
  readonly cuda: boolean;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');

async function benchVariant(label: string, spec: SirenSpec, backends: Backends): Promise<void> {
  const coords = pixelGrid(SIZE);
  const options: FitOptions = { spec, coords, steps, targetPsnr: null };
  const tasks = makeTasks(spec);
  const dir = mkdtempSync(join(tmpdir(), 'wslab-bench-inr-'));
  try {
    writeTorchInput(dir, options, tasks);
    const warmUp = { ...options, steps: 30 };
    await backends.one.fit(tasks.slice(0, 2), warmUp);
    await backends.all.fit(tasks.slice(0, 2 * allWorkers), warmUp);
    const gpu = backends.gpu;
    if (gpu) await gpu.fit(tasks.slice(0, 2), warmUp);
    const configs = [
      { name: `ours, ${backends.one.name}, 1 worker`, run: () => runOurs(backends.one, tasks, options), once: false },
      { name: `ours, ${backends.all.name}, ${allWorkers} workers`, run: () => runOurs(backends.all, tasks, options), once: false },
      { name: 'PyTorch, B = 1 loop, 1 thread', run: async () => runTorch(dir, 'loop', 1), once: false },
      { name: `PyTorch, bmm over B = ${networks}, ${allWorkers} threads`, run: async () => runTorch(dir, 'bmm', allWorkers), once: false },
      ...(gpu
        ? [{ name: `ours, webgpu${gpu.adapter.software ? ' (software: once)' : ''}`, run: () => runOurs(gpu, tasks, options), once: gpu.adapter.software }]
        : []),
      ...(backends.cuda ? [{ name: `PyTorch-CUDA, bmm over B = ${networks}`, run: async () => runTorch(dir, 'bmm', 1, 'cuda'), once: false }] : []),
    ];
    const runs: Run[][] = configs.map(() => []);
    for (let r = 0; r < repeats; r++) {
      for (const [i, config] of configs.entries()) if (r === 0 || !config.once) runs[i]!.push(await config.run());
    }
    const speed = runs.map((rs) => median(rs.map((x) => x.stepsPerSecond)));
    const psnr = runs.map((rs) => mean(rs[0]!.psnr));
    console.log(`\n${label}  (${fmt(sirenParameterCount(spec))} parameters; ${networks} images × ${steps} steps; median of ${repeats})`);
    console.log(`  ${'configuration'.padEnd(42)} ${'INR-steps/s'.padStart(12)} ${'mean PSNR'.padStart(11)}`);
    configs.forEach((c, i) => console.log(`  ${c.name.padEnd(42)} ${fmt(speed[i]!).padStart(12)} ${`${fmt(psnr[i]!, 2)} dB`.padStart(11)}`));
    const [oneWorker, allWorker, torchLoop, torchBmm] = speed as [number, number, number, number];
    const torchBest = Math.max(torchLoop, torchBmm);
    const psnrGap = Math.max(Math.abs(psnr[0]! - psnr[2]!), Math.abs(psnr[1]! - psnr[2]!), Math.abs(psnr[3]! - psnr[2]!));
    const perNetworkGap = Math.max(...runs[0]![0]!.psnr.map((p, k) => Math.abs(p - runs[2]![0]!.psnr[k]!)));
    console.log(
      `  ${allWorkers} workers / PyTorch best (${fmt(torchBest)}): ${fmt(allWorker / torchBest, 2)}×   (target ≥ 4×: ${verdict(allWorker >= 4 * torchBest)})`,
    );
    console.log(`  1 worker / PyTorch 1 thread: ${fmt(oneWorker / torchLoop, 2)}×   (target ≥ 2.3×: ${verdict(oneWorker >= 2.3 * torchLoop)})`);
    console.log(
      `  mean PSNR spread at ${steps} steps: ${fmt(psnrGap, 3)} dB (target ≤ 0.1 dB: ${verdict(psnrGap <= 0.1)}); largest single-network gap ours vs PyTorch ${fmt(perNetworkGap, 3)} dB`,
    );
    if (gpu) {
      const g = configs.findIndex((c) => c.name.startsWith('ours, webgpu'));
      const gap = Math.max(...runs[g]![0]!.psnr.map((p, k) => Math.abs(p - runs[0]![0]!.psnr[k]!)));
      const cuda = backends.cuda ? speed[g + 1]! : null;
      const versus = cuda === null ? 'no PyTorch-CUDA here' : `webgpu / PyTorch-CUDA: ${fmt(speed[g]! / cuda, 2)}×`;
      console.log(
        `  ${gpu.describe()}: largest single-network PSNR gap to the WASM kernel ${fmt(gap, 4)} dB; ${gpu.adapter.software ? 'software adapter: its speed says nothing about a GPU' : versus}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const torchVersion = execFileSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' }).trim();
  const cuda = execFileSync(PYTHON, ['-c', 'import torch; print(torch.cuda.is_available())'], { encoding: 'utf8' }).trim() === 'True';
  const gpu = values['no-webgpu']
    ? null
    : await WebGpuBackend.create({ allowSoftware: true }).catch((e: Error) => {
        console.log(`WebGPU: not measured (${e.message})`);
        return null;
      });
  const backends: Backends = { one: await createBackend('wasm', { workers: 1 }), all: await createBackend('wasm', { workers: allWorkers }), gpu, cuda };
  console.log(
    `SIREN fitting benchmark: ${cpus()[0]?.model ?? 'unknown CPU'} × ${allWorkers}, Node ${process.version}, kernel ${backends.one.name}; PyTorch ${torchVersion} (CPU${cuda ? ' and CUDA' : ''}, float32)${gpu ? `; ${gpu.describe()}` : ''}`,
  );
  console.log(`Adam lr ${DEFAULT_FIT.lr}, full batch of ${SIZE * SIZE} pixels, early stop off; configurations interleaved in each repeat.`);
  try {
    for (const { label, spec } of VARIANTS) await benchVariant(label, spec, backends);
  } finally {
    await Promise.all([backends.one.close(), backends.all.close(), backends.gpu?.close()]);
  }
}

void main();
