/**
 * The fixture run folders (test/compare/fixtures/runs: three real 8-epoch trainings — baseline with seeds
 * 0 and 1, augmented with seed 0 — and "broken", whose metrics.jsonl has a bad line) read the way the
 * panel gets them: core reads the folder, the host encodes it (runToWire), the webview decodes it.
 */
import { join } from 'node:path';
import { readRunSeries, toColumns } from '../../src/core/workspace/runSeries';
import type { MetricRecord } from '../../src/core/train/runFolder';
import { mulberry32 } from '../helpers/random';
import { runToWire } from '../../src/extension/panels/compare/session';
import type { CompareRun } from '../../src/protocol/compare';
import { decodeRun, type RunData } from '../../webview/compare/series';

export const FIXTURE_RUNS = join(__dirname, 'fixtures', 'runs');
export const GOOD_RUNS = ['baseline-seed0', 'baseline-seed1', 'augmented'] as const;

export async function wireRun(name: string, id = name): Promise<CompareRun> {
  return runToWire(id, await readRunSeries(join(FIXTURE_RUNS, name)));
}

export async function fixtureRun(name: string): Promise<RunData> {
  return decodeRun(await wireRun(name));
}

/**
 * A made-up run of `steps` train records (and one val record per 100 steps): loss decaying with noise,
 * accuracy rising. `seed` varies the noise; `config` the hyper-parameters.
 */
export function syntheticRun(id: string, name: string, steps: number, seed: number, config: Record<string, string | number> = {}): CompareRun {
  const rng = mulberry32(seed + 1);
  const records: MetricRecord[] = [];
  const rate = 1 + (seed % 5) / 5;
  for (let step = 1; step <= steps; step++) {
    const base = Math.exp((-rate * step) / steps);
    const epoch = Math.ceil(step / 100);
    records.push({
      step,
      epoch,
      split: 'train',
      loss: 2 * base + 0.2 * (rng() - 0.5),
      accuracy: 1 - 0.9 * base + 0.05 * (rng() - 0.5),
      lr: 0.01,
      time: step * 0.01,
    });
    if (step % 100 === 0) records.push({ step, epoch, split: 'val', loss: 2.2 * base + 0.1, accuracy: 0.95 - 0.9 * base, lr: 0.01, time: step * 0.01 });
  }
  return runToWire(id, {
    name,
    dir: `/nowhere/${name}`,
    status: { state: 'done', updated: '' },
    summary: undefined,
    config: { seed, ...config },
    metrics: toColumns(records),
  });
}
