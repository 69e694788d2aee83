/**
 * The Fashion-MNIST INR datasets the benchmarks train on: the first N images of the bundled set, one SIREN
 * each (300 Adam steps, early stop at 40 dB), split by image with 10% validation and the given test
 * fraction — the sets `wslab generate --dataset fashion-mnist --limit N --steps 300 --test F` makes.
 * Resumable (finished shards are kept). Returns the fitting time, remembered beside the dataset so a later
 * invocation that reuses it can still report it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadBundledDataset } from '../../src/core/dataset/bundledSource';
import { generateDataset } from '../../src/core/dataset/generate';
import { createBackend } from '../../src/core/inr/backend';
import { DEFAULT_SIREN } from '../../src/core/inr/spec';

export interface FmnistInrs {
  readonly dir: string;
  readonly images: number;
  readonly steps: number;
  readonly testFraction: number;
}

export async function ensureFmnistInrs(set: FmnistInrs, signal: AbortSignal, log: (text: string) => void): Promise<number> {
  log(`dataset: Fashion-MNIST, ${set.images} images × 1 view, ${set.steps} fitting steps, test fraction ${set.testFraction} → ${set.dir}`);
  const started = Date.now();
  const backend = await createBackend('wasm', { workers: 2 });
  try {
    await generateDataset({
      out: set.dir,
      source: await loadBundledDataset('fashion-mnist'),
      spec: DEFAULT_SIREN,
      fit: { steps: set.steps, targetPsnr: 40, lr: 5e-4, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
      limit: set.images,
      views: 1,
      seed: 0,
      valFraction: 0.1,
      testFraction: set.testFraction,
      shardSize: 256,
      backend,
      signal,
      onEvent: (e) => {
        if (e.type === 'done') log(`dataset ready: ${e.fitted} fitted now, ${e.kept} reused, ${(e.elapsedMs / 1000).toFixed(0)} s`);
      },
    });
  } finally {
    await backend.close();
  }
  const timing = join(set.dir, '..', `${set.dir.split(/[\\/]/).pop()}-generation-seconds.json`);
  let seconds = (Date.now() - started) / 1000;
  if (seconds > 30 || !existsSync(timing)) writeFileSync(timing, JSON.stringify(seconds));
  else seconds = JSON.parse(readFileSync(timing, 'utf8')) as number;
  return seconds;
}
