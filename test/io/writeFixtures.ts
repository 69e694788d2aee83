/** A shard's worth of made-up INRs and settings, for tests that only care about how a shard is written. */
import { MANIFEST_VERSION, type DatasetSettings } from '../../src/core/dataset/manifest';
import type { FittedItem } from '../../src/core/dataset/shard';
import { DEFAULT_SIREN, initSiren } from '../../src/core/inr/spec';
import { Rng } from '../../src/core/random/rng';

export function fakeShard(count: number, seed = 0): { settings: DatasetSettings; fitted: FittedItem[] } {
  const settings: DatasetSettings = {
    version: MANIFEST_VERSION,
    spec: DEFAULT_SIREN,
    fit: { steps: 1, targetPsnr: null, lr: 5e-4, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
    source: { name: 'mnist', count, height: 28, width: 28, channels: 1, classes: ['0', '1'] },
    plan: { limit: null, views: 1, seed, valFraction: 0, testFraction: 0, shardSize: count },
  };
  const fitted = Array.from({ length: count }, (_, i): FittedItem => ({
    item: { id: `img${i}-v0`, index: i, label: i % 2, split: 'train', view: 0, seed: seed * 1000 + i, shard: 0, psnr: 30, steps: 1, backend: 'test' },
    layers: initSiren(DEFAULT_SIREN, new Rng(seed * 1000 + i)),
  }));
  return { settings, fitted };
}
