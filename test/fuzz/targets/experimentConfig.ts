/**
 * Fuzz target for the experiment config of `wslab train` (src/core/train/experimentConfig.ts): the text
 * of a *.wslab.json file → readExperimentConfig, which parses it, applies `--set key=value` overrides
 * (every fifth input gets one, some of them malformed or aimed at "__proto__") and validates it
 * against the schema. Seeds: examples/*.wslab.json, the starter config of every model kind
 * (src/core/workspace/starterConfig.ts) and the resolved configs of the compare fixtures' runs.
 *
 * The typed error is a ConfigError naming the file (or, for a bad override, the `--set` flag). A config
 * that is accepted must give the trainer every field it reads, of the right type and in range.
 */
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import schema from '../../../schemas/experiment.schema.json';
import { findAugmentation } from '../../../src/core/augment/registry';
import { FEATURE_NORMS, MODEL_KINDS, POOLINGS, SET_LAYERS, type ModelKind } from '../../../src/core/models/modelConfig';
import { INPUT_NORMS } from '../../../src/core/train/inputNorm';
import { ConfigError, readExperimentConfig, type ExperimentConfig } from '../../../src/core/train/experimentConfig';
import { starterConfig } from '../../../src/core/workspace/starterConfig';
import type { FuzzSeed, FuzzTarget } from '../harness';
import { BYTE_MUTATORS, mutateJsonNumberLiteral, mutateJsonText } from '../mutate';
import { check, isInt, isNumber, isObject } from './common';

const ROOT = resolve(__dirname, '..', '..', '..');

/** Overrides given with `--set` to every fifth input, in turn (valid ones, and ones that must be refused). */
const SETTINGS = [
  'optimizer.lr=0.01',
  'model.kind=mlp',
  'model.kind=gnn',
  'model.pool=mean+max',
  'inputNorm=element',
  'seed=7',
  'augment.0.p=0.25',
  '__proto__.polluted=1',
  'constructor.prototype.polluted=1',
  'model.hidden.x=1',
  'trainLimit=null',
  'optimizer=5',
  'name=a b',
  'novalue',
  '=x',
  'model..kind=mlp',
  'augment=[{"name":"rotate"}]',
  'optimizer.eps=1e999',
];

function seeds(): FuzzSeed[] {
  const out: FuzzSeed[] = [];
  for (const f of readdirSync(join(ROOT, 'examples'))
    .filter((n) => n.endsWith('.wslab.json'))
    .sort()) {
    out.push({ name: `examples/${f}`, bytes: new Uint8Array(readFileSync(join(ROOT, 'examples', f))) });
  }
  for (const model of MODEL_KINDS) {
    out.push({
      name: `starter-${model}.wslab.json`,
      bytes: new TextEncoder().encode(starterConfig({ dataset: '../datasets/mnist', model, description: 'fuzz seed' })),
    });
  }
  for (const run of ['augmented', 'baseline-seed0']) {
    out.push({ name: `runs/${run}/config.json`, bytes: new Uint8Array(readFileSync(join(ROOT, 'test', 'compare', 'fixtures', 'runs', run, 'config.json'))) });
  }
  return out;
}

const inRange = (v: unknown, lo: number, hi: number, hiIncluded = true): boolean => isNumber(v) && v >= lo && (hiIncluded ? v <= hi : v < hi);
const backends = schema.properties.backend.enum as readonly string[];

/** What the trainer reads from a config, checked field by field. */
export function checkConfig(c: ExperimentConfig): void {
  check(isObject(c), 'the config is not an object');
  check(typeof c.name === 'string' && /^[A-Za-z0-9._-]+$/.test(c.name), `name ${JSON.stringify(c.name)} is not a run folder name`);
  check(c.description === undefined || typeof c.description === 'string', 'description is not a string');
  check(typeof c.dataset === 'string' && isAbsolute(c.dataset), 'dataset is not an absolute path');
  check(c.trainLimit === null || isInt(c.trainLimit, 1), `trainLimit is ${String(c.trainLimit)}`);
  check(INPUT_NORMS.includes(c.inputNorm), `inputNorm is ${JSON.stringify(c.inputNorm)}`);
  const m = c.model;
  const modelKeys = ['kind', 'hidden', 'layers', 'headHidden', 'norm', 'pool', 'setLayer'];
  check(
    isObject(m) && Object.keys(m).length === modelKeys.length && Object.keys(m).every((k) => modelKeys.includes(k)),
    `model does not have exactly its keys ${modelKeys.join(', ')}`,
  );
  check(MODEL_KINDS.includes(m.kind as ModelKind), `model.kind is ${JSON.stringify(m.kind)}`);
  check(isInt(m.hidden, 1) && isInt(m.layers, 1) && isInt(m.headHidden, 1), 'model.hidden, layers or headHidden is not a positive integer');
  check(
    FEATURE_NORMS.includes(m.norm) && POOLINGS.includes(m.pool) && SET_LAYERS.includes(m.setLayer),
    `model.norm ${JSON.stringify(m.norm)}, pool ${JSON.stringify(m.pool)} or setLayer ${JSON.stringify(m.setLayer)} is unknown`,
  );
  const o = c.optimizer;
  check(isObject(o) && Object.keys(o).length === 8, 'optimizer does not have exactly its 8 fields');
  check(inRange(o.lr, Number.MIN_VALUE, 10) && inRange(o.weightDecay, 0, 1), `optimizer.lr ${o.lr} or weightDecay ${o.weightDecay} is out of range`);
  // warm-up has no upper bound (1e39 steps only means the learning rate never reaches lr), but it is finite
  check(
    Number.isInteger(o.warmupSteps) && o.warmupSteps >= 0 && isInt(o.epochs, 1) && isInt(o.batchSize, 1),
    'optimizer.warmupSteps, epochs or batchSize is not an integer in range',
  );
  check(
    inRange(o.beta1, 0, 1, false) && inRange(o.beta2, 0, 1, false) && isNumber(o.eps) && o.eps > 0,
    `optimizer.beta1 ${o.beta1}, beta2 ${o.beta2} or eps ${o.eps} is out of range`,
  );
  check(Array.isArray(c.augment), 'augment is not a list');
  c.augment.forEach((a, i) => {
    check(isObject(a) && findAugmentation(a.name) !== undefined, `augment[${i}] is not a known augmentation`);
    check(inRange(a.p, 0, 1), `augment[${i}].p is ${a.p}`);
    check(isObject(a.params) && Object.values(a.params).every(isNumber), `augment[${i}].params holds a value that is not a finite number`);
  });
  check(inRange(c.labelSmoothing, 0, 1, false), `labelSmoothing is ${c.labelSmoothing}`);
  check(isInt(c.seed) && c.seed <= 2 ** 32 - 1, `seed is ${c.seed}`);
  check(backends.includes(c.backend), `backend is ${JSON.stringify(c.backend)}`);
  check(Number.isInteger(c.logEvery) && c.logEvery >= 1, `logEvery is ${c.logEvery}`);
}

export const experimentConfigTarget: FuzzTarget = {
  name: 'experiment-config',
  extension: '.wslab.json',
  onDisk: true,
  seeds,
  mutators: [...BYTE_MUTATORS, { name: 'json', weight: 12, mutate: mutateJsonText }, { name: 'json-number', weight: 2, mutate: mutateJsonNumberLiteral }],
  async run(input, { file, index }) {
    writeFileSync(file, input);
    const settings = index % 5 === 4 ? [SETTINGS[Math.floor(index / 5) % SETTINGS.length]!] : [];
    try {
      checkConfig(await readExperimentConfig(file, settings));
    } finally {
      rmSync(file, { force: true });
      const polluted = 'polluted' in Object.prototype;
      delete (Object.prototype as Record<string, unknown>).polluted;
      check(!polluted, `--set ${settings.join(' ')} changed Object.prototype`);
    }
  },
  typedError: (e, file) =>
    e instanceof ConfigError
      ? e.message.startsWith(`${file}:`)
        ? 'ConfigError'
        : e.message.startsWith('--set ')
          ? 'ConfigError:--set'
          : undefined
      : undefined,
};
