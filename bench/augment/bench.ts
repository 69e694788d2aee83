/**
 * Augmentation throughput on the default SIREN (2→32→32→1, 1,153 parameters): augmented INRs per second
 * for every registry entry with its default parameters,
 *   batched:  applyBatch over one flat Float32Array of N networks (+ N partners for MixUp),
 *   per-INR:  augmentWeightSet on one WeightSet at a time (the unbatched path: tensor names parsed and a
 *             new WeightSet built per network) — the baseline,
 * interleaved within each repeat (each ≥ 100 ms of passes); the table shows medians and the ratio batched / per-INR. Networks are
 * SIREN initialisations with random biases (weight matching's iteration count on fitted INRs is
 * similar: 3–5 iterations).
 *
 *   npm run bench:augment [-- --networks 256 --repeats 5 --seed 2023]
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import type { Activation } from '../../src/core/augment/augmentation';
import { applyBatch, batchOf } from '../../src/core/augment/batch';
import { augmentWeightSet, type AugmentStep } from '../../src/core/augment/chain';
import type { Network } from '../../src/core/weights/network';
import { AUGMENTATIONS } from '../../src/core/augment/registry';
import { oneHot } from '../../src/core/augment/targets';
import { DEFAULT_SIREN, initSiren } from '../../src/core/inr/spec';
import { deriveSeed, Rng } from '../../src/core/random/rng';
import { mlpToWeightSet } from '../../src/core/weights/mlp';

const { values } = parseArgs({
  options: { networks: { type: 'string', default: '256' }, repeats: { type: 'string', default: '5' }, seed: { type: 'string', default: '2023' } },
});
const count = Number(values.networks);
const repeats = Number(values.repeats);
const seed = Number(values.seed);
const CLASSES = 10;
const SIREN: Activation = { kind: 'sine', w0: DEFAULT_SIREN.w0 };
/** relu-scaling needs ReLU networks: the same weights are read as a ReLU MLP (throughput does not depend on the values). */
const activationFor = (steps: readonly AugmentStep[]): Activation => (steps.some((s) => s.augmentation.requires.includes('relu')) ? { kind: 'relu' } : SIREN);

function sirens(salt: number): Network[] {
  return Array.from({ length: count }, (_, i) => {
    const rng = new Rng(deriveSeed(seed, salt, i));
    return initSiren(DEFAULT_SIREN, rng).map((l) => ({ ...l, b: Float32Array.from(l.b, () => rng.uniform(-0.5, 0.5)) }));
  });
}

const networks = sirens(0);
const partners = sirens(1);
const labels = networks.map((_, i) => i % CLASSES);
const batch = batchOf(networks);
const partnerBatch = batchOf(partners);
const targets = labels.map((l) => oneHot(l, CLASSES));
const sets = networks.map((n, i) => mlpToWeightSet(n, { label: String(labels[i]) }));
const partnerSets = partners.map((n, i) => mlpToWeightSet(n, { label: String(labels[(i + 1) % count]) }));

function runBatched(steps: readonly AugmentStep[]): void {
  applyBatch(steps, batch, new Rng(seed), {
    activation: activationFor(steps),
    targets,
    partners: partnerBatch,
    partnerTargets: targets.slice(1).concat(targets.slice(0, 1)),
  });
}

function runPerInr(steps: readonly AugmentStep[]): void {
  const rng = new Rng(seed);
  const activation = activationFor(steps);
  sets.forEach((set, i) => augmentWeightSet(steps, set, rng, { activation, classes: CLASSES, partner: partnerSets[i] }));
}

/** Milliseconds per pass over the N networks, from as many passes as fit in ≥ 100 ms. */
function timePass(run: () => void): number {
  const started = performance.now();
  let passes = 0;
  do {
    run();
    passes++;
  } while (performance.now() - started < 100);
  return (performance.now() - started) / passes;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rate = (ms: number) => (1000 * count) / ms;
const fmt = (v: number) => Math.round(v).toLocaleString('en-US');

console.log(
  `augmentation throughput, default SIREN 2→32→32→1, batches of ${count} networks, median of ${repeats} runs of ≥ 100 ms each (${cpus()[0]?.model ?? 'cpu'}, 1 thread)`,
);
const rows: string[][] = [];
for (const augmentation of AUGMENTATIONS) {
  const steps = [{ augmentation, params: augmentation.resolve({}) }];
  runBatched(steps);
  runPerInr(steps);
  const batched: number[] = [];
  const single: number[] = [];
  for (let r = 0; r < repeats; r++) {
    batched.push(timePass(() => runBatched(steps)));
    single.push(timePass(() => runPerInr(steps)));
  }
  const b = rate(median(batched));
  const s = rate(median(single));
  rows.push([augmentation.name, fmt(b), fmt(s), `${(b / s).toFixed(2)}×`]);
}
const header = ['augmentation', 'batched INRs/s', 'per-INR INRs/s', 'ratio'];
const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
const line = (cells: string[]) => `| ${cells.map((v, c) => (c === 0 ? v.padEnd(widths[c]!) : v.padStart(widths[c]!))).join(' | ')} |`;
console.log(
  [line(header), `|${widths.map((w, c) => (c === 0 ? '-' : '') + '-'.repeat(w + 1) + (c === 0 ? '' : ':')).join('|')}|`, ...rows.map(line)].join('\n'),
);
