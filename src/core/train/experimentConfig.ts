/**
 * The experiment config of `wslab train`: a JSON file checked against schemas/experiment.schema.json
 * (the same schema gives VS Code completion for *.wslab.json), with defaults filled in. Errors name the
 * file and the bad key: `exp.json: optimizer.lr must be > 0`, `exp.json: unknown key "optimizer.lrr"
 * (did you mean "lr"?)`. `--set key=value` edits a dotted key before validation.
 */
import Ajv, { type ErrorObject } from 'ajv';
import { readFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import schema from '../../../schemas/experiment.schema.json';
import { AugmentError } from '../augment/params';
import { findAugmentation } from '../augment/registry';
import { MODEL_DEFAULTS, type ModelConfig, type ModelKind } from '../models/modelConfig';
import type { TrainBackendChoice } from './backendChoice';
import { closestName } from '../text/editDistance';
import { parseJsonText } from '../io/readJsonFile';
import type { InputNorm, InputSigns } from './inputNorm';
import { DEFAULT_INPUT_NORM, DEFAULT_INPUT_SIGNS, DEFAULT_OPTIMIZER, type OptimizerConfig } from './trainDefaults';
import { LabError } from '../labError';

export interface AugmentEntry {
  readonly name: string;
  /** Probability of applying this step. */
  readonly p: number;
  readonly params: Readonly<Record<string, number>>;
}

export interface ExperimentConfig {
  readonly name: string;
  readonly description?: string;
  /** Absolute path of the dataset folder. */
  readonly dataset: string;
  /** A seeded class-stratified sample of this many training networks (datasetSplits.ts limitSplit); null: all. */
  readonly trainLimit: number | null;
  /** How the input weights are standardised (inputNorm.ts). */
  readonly inputNorm: InputNorm;
  /** Whether the input SIRENs' signs are canonicalised first (inputNorm.ts, signCanonical.ts). */
  readonly inputSigns: InputSigns;
  readonly model: ModelConfig;
  readonly optimizer: OptimizerConfig;
  readonly augment: readonly AugmentEntry[];
  readonly labelSmoothing: number;
  readonly seed: number;
  readonly backend: TrainBackendChoice;
  /** Threads of the fused backend (one per core when 0, at most 8); the result depends on it (trainEngine.ts). */
  readonly threads: number;
  readonly logEvery: number;
}

export class ConfigError extends LabError {
  override readonly name = 'ConfigError';
  constructor(message: string) {
    super('config', message);
  }
}

// verbose: errors carry their schema (for key hints); strictNumbers: `strict: false` would let 1e999 (Infinity) pass as a number
const ajv = new Ajv({ allErrors: true, strict: false, strictNumbers: true, verbose: true });
const validate = ajv.compile(schema);

function keyPath(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`))
    .join('')
    .replace(/^\./, '');
}

/** One schema error as a sentence naming the key (ajv must run with `verbose: true`, for the key hints). */
export function describeSchemaError(error: ErrorObject): string {
  const at = keyPath(error.instancePath);
  const where = at || '(top level)';
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = (error.params as { additionalProperty: string }).additionalProperty;
      const known = Object.keys(((error.parentSchema as { properties?: object }).properties ?? {}) as object);
      const close = closestName(key, known, 2);
      const hint = close ? ` (did you mean "${close}"?)` : ` (known: ${known.join(', ')})`;
      return `unknown key "${at ? `${at}.` : ''}${key}"${hint}`;
    }
    case 'required':
      return `${where}: missing required key "${(error.params as { missingProperty: string }).missingProperty}"`;
    case 'enum':
      return `${where} must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return `${where} ${error.message ?? 'is invalid'}`;
  }
}

/** Sets `path` (dotted, numbers index arrays) to `value` in a JSON object, creating objects on the way. */
export function setKey(config: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  if (parts.some((p) => p === '' || p === '__proto__' || p === 'constructor' || p === 'prototype'))
    throw new ConfigError(`--set ${path}: not a valid key path`);
  let node: Record<string, unknown> = config;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (next === undefined) node[part] = {};
    else if (typeof next !== 'object' || next === null) throw new ConfigError(`--set ${path}: "${part}" is not an object`);
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]!] = value;
}

/** `key=value` → [key, value], the value read as JSON when it parses (numbers, booleans, arrays), else a string. */
export function parseSetting(text: string): [string, unknown] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new ConfigError(`--set ${text}: expected key=value, e.g. optimizer.lr=0.001`);
  const raw = text.slice(eq + 1);
  let value: unknown = raw;
  try {
    value = JSON.parse(raw);
  } catch {
    // a plain string
  }
  return [text.slice(0, eq), value];
}

/**
 * Validates a parsed config object and fills in the defaults. `file` names the config in errors and
 * anchors the relative dataset path.
 */
export function resolveConfig(raw: unknown, file: string): ExperimentConfig {
  if (!validate(raw)) {
    const messages = [...new Set((validate.errors ?? []).map(describeSchemaError))];
    throw new ConfigError(`${file}: ${messages.join('; ')}`);
  }
  const c = raw as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const augment: AugmentEntry[] = (c.augment ?? []).map((entry: { name: string; p?: number; params?: Record<string, number> }, i: number) => {
    const augmentation = findAugmentation(entry.name);
    if (!augmentation) throw new ConfigError(`${file}: augment[${i}].name: unknown augmentation "${entry.name}" (wslab augment --list shows them)`);
    try {
      augmentation.resolve(entry.params ?? {});
    } catch (e) {
      if (e instanceof AugmentError) throw new ConfigError(`${file}: augment[${i}].params: ${e.message}`);
      throw e;
    }
    return { name: entry.name, p: entry.p ?? 1, params: entry.params ?? {} };
  });
  const dataset = c.dataset as string;
  return {
    name: c.name ?? basename(file).replace(/(\.wslab)?\.json$/i, ''),
    ...(c.description !== undefined ? { description: c.description } : {}),
    dataset: isAbsolute(dataset) ? dataset : resolve(dirname(resolve(file)), dataset),
    trainLimit: c.trainLimit ?? null,
    inputNorm: c.inputNorm ?? DEFAULT_INPUT_NORM,
    inputSigns: c.inputSigns ?? DEFAULT_INPUT_SIGNS,
    model: { ...MODEL_DEFAULTS[(c.model?.kind ?? 'dwsnet') as ModelKind], ...c.model },
    optimizer: { ...DEFAULT_OPTIMIZER, ...c.optimizer },
    augment,
    labelSmoothing: c.labelSmoothing ?? 0,
    seed: c.seed ?? 0,
    backend: c.backend ?? 'auto',
    threads: c.threads ?? 0,
    logEvery: c.logEvery ?? 10,
  };
}

/** Reads, edits (`--set`) and validates a config file. */
export async function readExperimentConfig(file: string, settings: readonly string[] = []): Promise<ExperimentConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const raw = parseJsonText(text, file, (message) => new ConfigError(message));
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError(`${file}: the config must be a JSON object`);
  for (const s of settings) setKey(raw as Record<string, unknown>, ...parseSetting(s));
  return resolveConfig(raw, file);
}
