/**
 * A small real INR dataset for training tests: the first MNIST images fitted for a few steps (the INRs
 * need not be good, only real and labelled), made once per test process and cached in a temp folder.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBundledDataset } from '../../src/core/dataset/bundledSource';
import { generateDataset } from '../../src/core/dataset/generate';
import { createBackend } from '../../src/core/inr/backend';
import { DEFAULT_SIREN } from '../../src/core/inr/spec';
import { GENERATION_DEFAULTS } from '../../src/core/dataset/generationRequest';
import { runGeneration } from '../../src/core/dataset/runGeneration';

const cache = new Map<string, Promise<string>>();

export function tinyDataset(limit = 50, steps = 20): Promise<string> {
  const key = `${limit}:${steps}`;
  let made = cache.get(key);
  if (!made) {
    made = (async () => {
      const out = join(mkdtempSync(join(tmpdir(), 'wslab-train-data-')), 'inrs');
      const backend = await createBackend('wasm', { workers: 2 });
      try {
        await generateDataset({
          out,
          source: await loadBundledDataset('mnist'),
          spec: DEFAULT_SIREN,
          fit: { steps, targetPsnr: null, lr: 5e-4, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
          limit,
          views: 1,
          seed: 1,
          valFraction: 0.1,
          testFraction: 0.1,
          shardSize: 16,
          backend,
        });
      } finally {
        await backend.close();
      }
      return out;
    })();
    cache.set(key, made);
  }
  return made;
}

/** A small 3-D INR dataset: `limit` shapes of the built-in shapes3d fitted for `steps` steps (all in train), made once per test process. */
export function tinyShapesDataset(limit = 3, steps = 200): Promise<string> {
  const key = `shapes3d:${limit}:${steps}`;
  let made = cache.get(key);
  if (!made) {
    const out = join(mkdtempSync(join(tmpdir(), 'wslab-shapes-data-')), 'shapes');
    made = runGeneration({
      ...GENERATION_DEFAULTS,
      dataset: 'shapes3d',
      out,
      limit,
      steps,
      targetPsnr: null,
      valFraction: 0,
      testFraction: 0,
      backend: 'wasm',
      workers: 1,
    }).then(() => out);
    cache.set(key, made);
  }
  return made;
}
