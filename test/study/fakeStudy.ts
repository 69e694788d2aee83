/**
 * A study whose runs a fake launcher "trains" by writing their run folders at once: a test accuracy that
 * grows with log(size), augmentation worth exactly 2× the data, a little per seed. For tests of what is
 * built around training (the runner's bookkeeping, study.json, the Study view), not of training.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StudyLauncher } from '../../src/core/study/studyRunner';

export const STUDY = {
  base: { dataset: '/data/none', model: { kind: 'statnn' } },
  sizes: [100, 400, 1600],
  conditions: [
    { name: 'none', augment: [] },
    { name: 'aug', augment: [{ name: 'siren-negation', p: 1 }] },
  ],
  seeds: [0, 1, 2],
};

/** The test accuracy the fake training "reaches": grows with size, augmentation worth 2× data, seed noise. */
export function fakeAccuracy(name: string): number {
  const [, condition, size, seed] = /^(\w+)-n(\d+)-seed(\d+)$/.exec(name)!;
  const effective = Number(size) * (condition === 'aug' ? 2 : 1);
  return 0.1 + 0.1 * Math.log2(effective / 100) + 0.01 * Number(seed);
}

export function fakeLauncher(log: string[], options: { failing?: string; concurrent?: { now: number; max: number } } = {}): StudyLauncher {
  return async (run, signal, onEvent) => {
    log.push(run.name);
    const c = options.concurrent;
    if (c) c.max = Math.max(c.max, ++c.now);
    try {
      const runs = run.args[run.args.indexOf('--runs') + 1]!;
      const dir = join(runs, run.name);
      onEvent({ type: 'start', run: run.name, dir, backend: 'fake', totalSteps: 4, resumedFromEpoch: 0 });
      await new Promise((r) => setTimeout(r, 5));
      signal.throwIfAborted();
      if (run.name === options.failing) {
        await mkdir(dir, { recursive: true });
        await writeFile(join(dir, 'status'), JSON.stringify({ state: 'failed', updated: new Date().toISOString(), error: 'diverged' }));
        throw new Error(`wslab train exited with 1; see ${run.log}`);
      }
      const test = fakeAccuracy(run.name);
      await mkdir(dir, { recursive: true });
      await writeFile(
        join(dir, 'summary.json'),
        JSON.stringify({
          testAccuracyAtBest: test,
          bestValAccuracy: test + 0.01,
          bestEpoch: 2,
          counts: { train: Number(/-n(\d+)-/.exec(run.name)![1]), val: 5, test: 5 },
        }),
      );
      await writeFile(join(dir, 'status'), JSON.stringify({ state: 'done', updated: new Date().toISOString() }));
    } finally {
      if (c) c.now--;
    }
  };
}
