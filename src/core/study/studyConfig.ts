/**
 * A data-efficiency study file (`*.study.wslab.json`, checked against schemas/study.schema.json): a base
 * experiment, the training-set sizes (the x axis), and what varies between curves — augmentation
 * conditions, models, any other config key — over seeds. Errors name the file and the key, as the
 * experiment config's do; the base experiment's own errors name the study run they would break.
 */
import Ajv from 'ajv';
import { dirname, isAbsolute, resolve } from 'node:path';
import schema from '../../../schemas/study.schema.json';
import { readJsonFile } from '../io/readJsonFile';
import { describeSchemaError } from '../train/experimentConfig';
import { studyName } from './studyFolder';
import { LabError } from '../labError';

export interface StudyCondition {
  readonly name: string;
  readonly augment: readonly unknown[];
}

export interface StudyModel {
  readonly name: string;
  readonly model: Readonly<Record<string, unknown>>;
}

export interface StudyAxis {
  /** Dotted experiment config key. */
  readonly key: string;
  readonly values: readonly unknown[];
}

export interface StudyConfig {
  readonly name: string;
  readonly description?: string;
  /** The study file (absolute). */
  readonly file: string;
  /** The base experiment as JSON, its dataset made absolute. */
  readonly base: Readonly<Record<string, unknown>>;
  /** Where the base came from (a file, or the study file itself when inline). */
  readonly baseFile: string;
  readonly sizes: readonly number[];
  /** null: the base experiment's own augment list (one curve). */
  readonly conditions: readonly StudyCondition[] | null;
  /** null: the base experiment's model. */
  readonly models: readonly StudyModel[] | null;
  readonly axes: readonly StudyAxis[];
  readonly seeds: readonly number[];
  readonly parallel: number;
}

export class StudyError extends LabError {
  override readonly name = 'StudyError';
  constructor(message: string) {
    super('study', message);
  }
}

// verbose: errors carry their schema (for key hints), as for experiment configs
const ajv = new Ajv({ allErrors: true, strict: false, strictNumbers: true, verbose: true });
const validate = ajv.compile(schema);

/** Keys the study sets itself: an axis may not set them too. */
const OWN_KEYS = ['name', 'seed', 'trainLimit'];

/** A JSON file's value; a missing, unreadable or malformed file is a StudyError naming it. */
async function readJson(file: string, what: string): Promise<unknown> {
  const value = await readJsonFile(file, (message) => new StudyError(message));
  if (value === undefined) throw new StudyError(`${file}: cannot read ${what} (ENOENT)`);
  return value;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Validates a parsed study (from `file`, which anchors relative paths) and reads its base experiment. */
export async function resolveStudy(raw: unknown, file: string): Promise<StudyConfig> {
  const path = resolve(file);
  if (!validate(raw)) {
    const messages = [...new Set((validate.errors ?? []).map(describeSchemaError))];
    throw new StudyError(`${path}: ${messages.join('; ')}`);
  }
  const s = raw as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  let baseFile = path;
  let base: unknown = s.base;
  if (typeof s.base === 'string') {
    baseFile = isAbsolute(s.base) ? s.base : resolve(dirname(path), s.base);
    try {
      base = await readJson(baseFile, 'the base experiment');
    } catch (e) {
      throw new StudyError(`${path}: base: ${(e as Error).message}`);
    }
  }
  if (!isObject(base)) throw new StudyError(`${baseFile}: the base experiment must be a JSON object`);
  if (typeof base.dataset !== 'string') throw new StudyError(`${baseFile}: the base experiment needs a "dataset"`);
  const dataset = isAbsolute(base.dataset) ? base.dataset : resolve(dirname(baseFile), base.dataset);

  const unique = (names: readonly string[], what: string) => {
    const twice = names.find((n, i) => names.indexOf(n) !== i);
    if (twice !== undefined) throw new StudyError(`${path}: ${what} "${twice}" is given twice`);
  };
  const conditions = (s.conditions as StudyCondition[] | undefined) ?? null;
  const models = (s.models as StudyModel[] | undefined) ?? null;
  const axes = (s.axes as StudyAxis[] | undefined) ?? [];
  if (conditions)
    unique(
      conditions.map((c) => c.name),
      'condition',
    );
  if (models)
    unique(
      models.map((m) => m.name),
      'model',
    );
  unique(
    axes.map((a) => a.key),
    'axis key',
  );
  for (const axis of axes) {
    const clash = OWN_KEYS.includes(axis.key)
      ? `the study sets ${axis.key} itself (sizes, seeds, run names)`
      : conditions && (axis.key === 'augment' || axis.key.startsWith('augment.'))
        ? 'the conditions set augment'
        : models && (axis.key === 'model' || axis.key.startsWith('model.'))
          ? 'the models set model'
          : null;
    if (clash) throw new StudyError(`${path}: axes: key "${axis.key}" cannot be an axis: ${clash}`);
  }
  return {
    name: studyName(path, s),
    ...(s.description !== undefined ? { description: s.description as string } : {}),
    file: path,
    base: { ...base, dataset },
    baseFile,
    sizes: [...(s.sizes as number[])].sort((a, b) => a - b),
    conditions,
    models,
    axes,
    seeds: s.seeds ?? [0, 1, 2],
    parallel: s.parallel ?? 1,
  };
}

/** Reads and validates a study file. */
export async function readStudy(file: string): Promise<StudyConfig> {
  const raw = await readJson(resolve(file), 'the study');
  if (!isObject(raw)) throw new StudyError(`${resolve(file)}: the study must be a JSON object`);
  return resolveStudy(raw, file);
}
