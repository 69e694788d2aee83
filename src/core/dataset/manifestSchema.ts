/**
 * Checks that the JSON of a dataset — dataset.json, manifest.json and the item list in a shard's
 * metadata — holds what its types say before anything uses it: every field a consumer reads has the
 * right type and range, or a DatasetError names the file, the field and what is wrong, instead of a
 * TypeError somewhere later. Fields we do not read are kept (an augmented dataset adds its own), and the
 * plan is bounded so that a damaged count cannot make planning allocate gigabytes.
 */
import { validateSirenSpec } from '../inr/spec';
import { DatasetError } from './imageSource';
import type { SirenSpec } from '../inr/spec';
import type { SourceDescription } from './imageSource';
import type { MeshPlacement } from '../mesh/normalise';
import type { PlannedItem } from './plan';
import { validatePlanSettings } from './plan';

export const MANIFEST_VERSION = 1;

/** What a dataset's settings and manifest hold (dataset.json, manifest.json; manifest.ts reads and writes them). */
export interface FitSettings {
  readonly steps: number;
  readonly targetPsnr: number | null;
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
}

/** Where the INRs come from: images (2-D INRs of their pixels), or meshes (3-D INRs of their signed distance). */
export type SourceSettings = ImageSourceSettings | MeshSourceSettings;
export type ImageSourceSettings = SourceDescription & { readonly kind?: 'image' };
export interface MeshSourceSettings {
  readonly kind: 'mesh';
  /** 'shapes3d' or the folder path. */
  readonly name: string;
  readonly count: number;
  readonly classes: readonly string[];
}

export interface PlanRecord {
  readonly limit: number | null;
  readonly views: number;
  readonly seed: number;
  readonly valFraction: number;
  readonly testFraction: number;
  readonly shardSize: number;
}

export interface DatasetSettings {
  readonly version: typeof MANIFEST_VERSION;
  readonly spec: SirenSpec;
  readonly fit: FitSettings;
  readonly source: SourceSettings;
  readonly plan: PlanRecord;
}

export interface ManifestItem extends PlannedItem {
  readonly label: number;
  readonly psnr: number;
  readonly steps: number;
  /** The compute backend that fitted it, e.g. 'wasm-simd'. */
  readonly backend: string;
  /** A mesh's INR: its placement (INR coordinates = (mesh coordinates − centre) · scale). */
  readonly normalise?: MeshPlacement;
  /** A mesh's INR: the share of held-out points where its sign is the mesh's (sdfFit.ts). */
  readonly signAccuracy?: number;
  /** A mesh's INR: intersection over union of its inside and the mesh's at held-out points uniform in the cube. */
  readonly iou?: number;
}

export interface Manifest extends DatasetSettings {
  /** True when every planned item is in `items`. */
  readonly complete: boolean;
  readonly items: readonly ManifestItem[];
}

/**
 * Most INRs one dataset may plan (images × views). A manifest holds every item in one JSON string, which
 * V8 caps at 2^29 characters (about 2 million items), so a larger plan could never be written anyway.
 */
export const MAX_PLANNED_ITEMS = 2 ** 21;

const SPLITS: ReadonlySet<string> = new Set(['train', 'val', 'test']);

/** A short, always-printable description of a JSON value for error messages. */
export function describeJson(value: unknown): string {
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'object' && value !== null) return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return String(value);
}

/** Reads the fields of one JSON object, naming `file` and the field's path in every error. */
class Fields {
  readonly obj: Readonly<Record<string, unknown>>;

  constructor(
    readonly file: string,
    value: unknown,
    readonly path: string,
  ) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail('', `must be an object, got ${describeJson(value)}`);
    this.obj = value as Record<string, unknown>;
  }

  fail(key: string, problem: string): never {
    const where = [this.path, key].filter(Boolean).join('.') || 'the file';
    throw new DatasetError(`${this.file}: ${where} ${problem}`);
  }

  private get(key: string): unknown {
    return Object.prototype.hasOwnProperty.call(this.obj, key) ? this.obj[key] : undefined;
  }

  int(key: string, min = 0): number {
    const v = this.get(key);
    if (!Number.isSafeInteger(v) || (v as number) < min) this.fail(key, `must be an integer ≥ ${min}, got ${describeJson(v)}`);
    return v as number;
  }

  number(key: string): number {
    const v = this.get(key);
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(key, `must be a finite number, got ${describeJson(v)}`);
    return v;
  }

  string(key: string): string {
    const v = this.get(key);
    if (typeof v !== 'string') this.fail(key, `must be a string, got ${describeJson(v)}`);
    return v;
  }

  boolean(key: string): boolean {
    const v = this.get(key);
    if (typeof v !== 'boolean') this.fail(key, `must be true or false, got ${describeJson(v)}`);
    return v;
  }

  nullable<T>(key: string, read: (key: string) => T): T | null {
    return this.get(key) === null ? null : read(key);
  }

  list(key: string): readonly unknown[] {
    const v = this.get(key);
    if (!Array.isArray(v)) this.fail(key, `must be a list, got ${describeJson(v)}`);
    return v;
  }

  child(key: string): Fields {
    return new Fields(this.file, this.get(key), [this.path, key].filter(Boolean).join('.'));
  }
}

/** dataset.json (or the settings part of manifest.json): spec, fit, source and plan, all checked. */
export function checkDatasetSettings(value: unknown, file: string): DatasetSettings {
  const root = new Fields(file, value, '');
  if (root.obj.version !== MANIFEST_VERSION) {
    throw new DatasetError(`${file}: unsupported or damaged dataset settings (version ${describeJson(root.obj.version)}, expected ${MANIFEST_VERSION})`);
  }

  const spec = root.child('spec');
  const hidden = spec.list('hidden');
  hidden.forEach((w, i) => {
    if (!Number.isSafeInteger(w) || (w as number) < 1) spec.fail(`hidden[${i}]`, `must be a positive integer, got ${describeJson(w)}`);
  });
  const sirenSpec = {
    inputDim: spec.int('inputDim', 1),
    hidden: hidden as number[],
    outputDim: spec.int('outputDim', 1),
    w0: spec.number('w0'),
    outputOffset: spec.number('outputOffset'),
  };
  try {
    validateSirenSpec(sirenSpec);
  } catch (e) {
    spec.fail('', `is not a valid SIREN: ${(e as Error).message}`);
  }

  const fit = root.child('fit');
  fit.int('steps');
  fit.nullable('targetPsnr', (k) => fit.number(k));
  for (const key of ['lr', 'beta1', 'beta2', 'eps']) fit.number(key);

  const source = root.child('source');
  source.string('name');
  const count = source.int('count', 1);
  const kind = source.obj.kind ?? 'image';
  if (kind !== 'image' && kind !== 'mesh') source.fail('kind', `must be "image" or "mesh", got ${describeJson(kind)}`);
  if (kind === 'image') for (const key of ['height', 'width', 'channels']) source.int(key, 1);
  if (kind === 'mesh' && (sirenSpec.inputDim !== 3 || sirenSpec.outputDim !== 1)) {
    spec.fail('', `must map 3 coordinates to 1 signed distance for a mesh dataset, not ${sirenSpec.inputDim} → ${sirenSpec.outputDim}`);
  }
  source.list('classes').forEach((c, i) => {
    if (typeof c !== 'string') source.fail(`classes[${i}]`, `must be a string, got ${describeJson(c)}`);
  });

  const plan = root.child('plan');
  const limit = plan.nullable('limit', (k) => plan.int(k, 1));
  const views = plan.int('views', 1);
  const settings = {
    limit: limit ?? undefined,
    views,
    seed: plan.int('seed'),
    valFraction: plan.number('valFraction'),
    testFraction: plan.number('testFraction'),
    shardSize: plan.int('shardSize', 1),
  };
  try {
    validatePlanSettings({ sourceCount: count, ...settings });
  } catch (e) {
    if (!(e instanceof DatasetError)) throw e;
    plan.fail('', `is invalid: ${e.message}`);
  }
  if (count > MAX_PLANNED_ITEMS || (limit ?? count) * views > MAX_PLANNED_ITEMS) {
    plan.fail(
      '',
      `asks for ${limit ?? count} images × ${views} views of a source of ${count} images; a dataset may have at most ${MAX_PLANNED_ITEMS} source images and ${MAX_PLANNED_ITEMS} INRs`,
    );
  }
  return value as DatasetSettings;
}

/** One item of a manifest or a shard's item list; `classes` bounds the label when known. */
export function checkManifestItem(value: unknown, file: string, path: string, classes?: number): ManifestItem {
  const item = new Fields(file, value, path);
  if (item.string('id').length === 0) item.fail('id', 'must not be empty');
  for (const key of ['index', 'view', 'seed', 'shard', 'steps']) item.int(key);
  const label = item.int('label');
  if (classes !== undefined && label >= classes) item.fail('label', `is ${label}, but the dataset has ${classes} classes`);
  const split = item.string('split');
  if (!SPLITS.has(split)) item.fail('split', `must be "train", "val" or "test", got ${describeJson(split)}`);
  item.number('psnr');
  item.string('backend');
  for (const key of ['signAccuracy', 'iou']) {
    if (item.obj[key] === undefined) continue;
    const share = item.number(key);
    if (share < 0 || share > 1) item.fail(key, `must be between 0 and 1, got ${share}`);
  }
  if (item.obj.normalise !== undefined) {
    const placement = item.child('normalise');
    const centre = placement.list('centre');
    if (centre.length !== 3 || !centre.every((c) => typeof c === 'number' && Number.isFinite(c))) {
      placement.fail('centre', `must be 3 finite numbers, got ${describeJson(centre)}`);
    }
    if (!(placement.number('scale') > 0)) placement.fail('scale', 'must be positive');
  }
  return value as ManifestItem;
}

/** A list of items with distinct ids (a manifest's, or a shard's). */
export function checkManifestItems(value: unknown, file: string, path: string, classes?: number): ManifestItem[] {
  if (!Array.isArray(value)) throw new DatasetError(`${file}: ${path} must be a list, got ${describeJson(value)}`);
  const ids = new Set<string>();
  return value.map((v, i) => {
    const item = checkManifestItem(v, file, `${path}[${i}]`, classes);
    if (ids.has(item.id)) throw new DatasetError(`${file}: ${path}[${i}].id "${item.id}" appears twice`);
    ids.add(item.id);
    return item;
  });
}

/** manifest.json: the settings, `complete`, and every item. */
export function checkManifest(value: unknown, file: string): Manifest {
  const settings = checkDatasetSettings(value, file);
  const root = new Fields(file, value, '');
  root.boolean('complete');
  checkManifestItems(root.list('items'), file, 'items', settings.source.classes.length);
  return value as Manifest;
}
