/**
 * `npm run bench:e2e`: end-to-end training time of ours against the official DWSNets code on the same data.
 * The data: the Fashion-MNIST INRs of `npm run bench:models` (1,200 train / 300 val / 1,500 test; made if
 * missing). Both train a 3-layer, 16-channel DWSNet with BatchNorm and max pooling for 20 epochs, batch 32,
 * evaluating validation and test every epoch:
 *   ours      `wslab train` (the built dist/cli.js, one process, wall clock from spawn to exit) with the
 *             default config (backend auto: the fused kernels on all cores), seeds --seeds;
 *   official  AvivNavon/DWSNets (its INRDataset, DataLoader, DWSModelForClassification, AdamW-amsgrad loop of
 *             experiments/mnist/trainer.py; bench/train/official_dwsnets.py) on our INRs exported to its
 *             per-INR .pth files, PyTorch CPU with --torch-threads threads (default: all cores), wall clock of
 *             its training (Python start-up and the export excluded). Their loop also evaluates the
 *             training set every epoch; that time is reported and taken out for the "without" ratio.
 * The official code is not part of this repository: fetch it (git clone https://github.com/AvivNavon/DWSNets)
 * and pass --repo. Accuracies are printed beside the times (seed for seed; the official code's own
 * initialisation and data order).
 *
 *   npm run bench:e2e -- --repo PATH [--seeds 0,1,2 --out models-bench --torch-threads 2]
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeWeightSet } from '../../src/core/formats/registry';
import { loadDatasetSplits } from '../../src/core/train/datasetSplits';
import { readSummary } from '../../src/core/train/runFolder';
import { WeightSet } from '../../src/core/weights/weightSet';
import { ensureFmnistInrs } from '../common/fmnistInrs';
import { mean, std } from '../../src/core/study/seedStats';

const { values } = parseArgs({
  options: {
    repo: { type: 'string' },
    out: { type: 'string', default: 'models-bench' },
    seeds: { type: 'string', default: '0,1,2' },
    'torch-threads': { type: 'string', default: String(availableParallelism()) },
  },
});
if (!values.repo || !existsSync(join(values.repo, 'nn', 'models.py'))) {
  console.error('--repo must name a checkout of https://github.com/AvivNavon/DWSNets (with nn/models.py)');
  process.exit(2);
}
const PYTHON = '/usr/bin/python3';
const SCRIPT = join(__dirname, 'official_dwsnets.py');
const CLI = resolve(__dirname, '..', '..', 'dist', 'cli.js');
const out = resolve(values.out!);
const seeds = values.seeds!.split(',').map(Number);
const load = () =>
  loadavg()
    .map((v) => v.toFixed(2))
    .join(', ');

function python(args: string[]): Record<string, unknown> {
  const r = spawnSync(PYTHON, [SCRIPT, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`official_dwsnets.py ${args[0]} failed (${r.status}):\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
}

/** Wall seconds of one `wslab train` process. */
function ours(config: string, runs: string, seed: number): Promise<number> {
  return new Promise((done, fail) => {
    const start = performance.now();
    const child = spawn(process.execPath, [CLI, 'train', '--config', config, '--seeds', String(seed), '--runs', runs, '--progress', 'none'], {
      stdio: 'inherit',
    });
    child.on('error', fail);
    child.on('exit', (code) => (code === 0 ? done((performance.now() - start) / 1000) : fail(new Error(`wslab train exited with ${code}`))));
  });
}

async function main(): Promise<void> {
  const loadBefore = load();
  const data = join(out, 'fmnist-3000');
  await ensureFmnistInrs({ dir: data, images: 3000, steps: 300, testFraction: 0.5 }, new AbortController().signal, console.log);
  const dataset = await loadDatasetSplits(data);
  const work = join(out, 'e2e');
  const exported = join(work, 'official-data');
  if (!existsSync(join(exported, 'splits.json'))) {
    mkdirSync(exported, { recursive: true });
    for (const split of ['train', 'val', 'test'] as const) {
      const s = dataset.splits[split];
      const set = WeightSet.fromArrays(
        [
          { name: 'x', shape: [s.count, s.data.length / s.count], data: s.data },
          { name: 'y', shape: [s.count], data: Float32Array.from(s.labels) },
        ],
        { widths: dataset.widths.join(',') },
      );
      await writeWeightSet(join(exported, `x_${split}.safetensors`), set);
    }
    console.log(`exported for the official code: ${JSON.stringify(python(['export', '--data', exported, '--out', exported]))}`);
  }

  const config = join(work, 'dwsnet.wslab.json');
  writeFileSync(config, JSON.stringify({ name: 'dwsnet', dataset: data }, null, 2));
  const rows: {
    seed: number;
    ours: number;
    oursTest: number;
    oursBackend: string;
    official: number;
    officialTrainEval: number;
    officialTest: number;
    officialParameters: number;
  }[] = [];
  for (const seed of seeds) {
    const runs = join(work, `runs-${Date.now()}`);
    const seconds = await ours(config, runs, seed);
    const summary = (await readSummary(join(runs, `dwsnet-seed${seed}`)))!;
    const official = python(['train', '--repo', values.repo!, '--out', exported, '--seed', String(seed), '--threads', values['torch-threads']!]);
    rows.push({
      seed,
      ours: seconds,
      oursTest: summary.testAccuracyAtBest ?? Number.NaN,
      oursBackend: summary.backend,
      official: official.seconds as number,
      officialTrainEval: official.trainEvalSeconds as number,
      officialTest: official.testAtBestVal as number,
      officialParameters: official.parameters as number,
    });
    const r = rows[rows.length - 1]!;
    console.log(
      `seed ${seed}: ours ${r.ours.toFixed(1)} s (${r.oursBackend}, test ${(100 * r.oursTest).toFixed(2)}%), official ${r.official.toFixed(1)} s (${r.officialTrainEval.toFixed(1)} s of it evaluating the training set; test ${(100 * r.officialTest).toFixed(2)}%)`,
    );
  }
  const ratio = (r: (typeof rows)[number]) => r.ours / r.official;
  const ratioWithout = (r: (typeof rows)[number]) => r.ours / (r.official - r.officialTrainEval);
  console.log(
    `\nEnd to end, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}: 1,200 FMNIST INRs, 20 epochs, batch 32, DWSNet 16 channels × 3 layers, BatchNorm, max pooling (ours ${rows[0]!.oursBackend}; official: PyTorch, ${values['torch-threads']} threads, ${rows[0]!.officialParameters.toLocaleString('en-US')} parameters).`,
  );
  console.log(
    '| seed | ours (s) | official (s) | official without its training-set evaluation (s) | ours ÷ official | ours ÷ official without | ours test % | official test % |',
  );
  console.log('|--:|--:|--:|--:|--:|--:|--:|--:|');
  for (const r of rows) {
    console.log(
      `| ${r.seed} | ${r.ours.toFixed(1)} | ${r.official.toFixed(1)} | ${(r.official - r.officialTrainEval).toFixed(1)} | ${ratio(r).toFixed(2)}× | ${ratioWithout(r).toFixed(2)}× | ${(100 * r.oursTest).toFixed(2)} | ${(100 * r.officialTest).toFixed(2)} |`,
    );
  }
  const pctStats = (xs: number[]) => `${(100 * mean(xs)).toFixed(2)} ± ${(100 * std(xs)).toFixed(2)}`;
  console.log(
    `mean ratio ${mean(rows.map(ratio)).toFixed(2)}× (${mean(rows.map(ratioWithout)).toFixed(2)}× without their training-set evaluation); test accuracy ours ${pctStats(rows.map((r) => r.oursTest))}, official ${pctStats(rows.map((r) => r.officialTest))} (mean ± std over seeds)`,
  );
  console.log(`load average (1, 5, 15 min): ${loadBefore} before, ${load()} after.`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
