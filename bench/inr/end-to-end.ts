/**
 * End-to-end generation benchmark: `wslab generate` of N MNIST INRs × S steps (early stop off) against
 * the PyTorch script doing the same work (bench/inr/torch_generate.py: same images, same network, same
 * steps, one .pth per INR), process start-up and file I/O included. Runs are interleaved; medians are
 * reported with the ratio. PyTorch runs both with 1 process and with one process per core.
 *
 *   npm run bench:generate [-- --inrs 128 --steps 300 --repeats 3]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadBundledDataset } from '../../src/core/dataset/bundledSource';
import { planDataset } from '../../src/core/dataset/plan';

const { values } = parseArgs({
  options: { inrs: { type: 'string', default: '128' }, steps: { type: 'string', default: '300' }, repeats: { type: 'string', default: '3' } },
});
const inrs = Number(values.inrs);
const steps = Number(values.steps);
const repeats = Number(values.repeats);
const cores = availableParallelism();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function timed(run: () => string): { seconds: number; output: string } {
  const start = process.hrtime.bigint();
  const output = run();
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, output };
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'wslab-e2e-'));
  try {
    const mnist = await loadBundledDataset('mnist');
    const plan = planDataset({ sourceCount: mnist.count, limit: inrs, views: 1, seed: 0, valFraction: 0.1, testFraction: 0.1, shardSize: 256 });
    const imagesJson = join(work, 'images.json');
    writeFileSync(
      imagesJson,
      JSON.stringify({ mnist: join(dirname(require.resolve('mnist/package.json')), 'src', 'digits'), indices: plan.map((i) => i.index) }),
    );

    const results: Record<string, { seconds: number[]; psnr: number }> = {};
    const record = (name: string, seconds: number, psnr: number) => {
      results[name] ??= { seconds: [], psnr };
      results[name]!.seconds.push(seconds);
    };
    for (let r = 0; r < repeats; r++) {
      const out = join(work, `ours-${r}`);
      const ours = timed(() =>
        execFileSync(
          process.execPath,
          [
            'dist/cli.js',
            'generate',
            '--dataset',
            'mnist',
            '--out',
            out,
            '--limit',
            String(inrs),
            '--steps',
            String(steps),
            '--target-psnr',
            'none',
            '--progress',
            'json',
          ],
          { encoding: 'utf8' },
        ),
      );
      const done = ours.output
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
        .filter((e) => e.type === 'progress')
        .pop();
      record(`wslab generate (${cores} workers)`, ours.seconds, done?.meanPsnr ?? NaN);
      for (const processes of [1, cores]) {
        const torchOut = join(work, `torch-${r}-${processes}`);
        const t = timed(() =>
          execFileSync(
            '/usr/bin/python3',
            ['bench/inr/torch_generate.py', '--images', imagesJson, '--steps', String(steps), '--out', torchOut, '--processes', String(processes)],
            { encoding: 'utf8' },
          ),
        );
        record(`PyTorch CPU, ${processes} process${processes > 1 ? 'es' : ''} × 1 thread`, t.seconds, JSON.parse(t.output).mean_psnr);
      }
    }
    const ours = median(Object.values(results)[0]!.seconds);
    console.log(`${inrs} MNIST INRs × ${steps} steps, early stop off, start-up and I/O included; median of ${repeats} interleaved runs`);
    for (const [name, r] of Object.entries(results)) {
      const s = median(r.seconds);
      console.log(
        `${name.padEnd(40)} ${s.toFixed(2).padStart(7)} s   ${((inrs * steps) / s).toFixed(0).padStart(6)} INR-steps/s   mean PSNR ${r.psnr.toFixed(2)} dB   ours is ${(s / ours).toFixed(2)}× faster`,
      );
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
