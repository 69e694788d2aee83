/**
 * A WeightSet is what every feature passes around: an ordered list of named float32 tensors (with the
 * dtype they had in the file they came from) plus string metadata (label, architecture, provenance, …).
 * It is immutable by convention: functions that change weights return a new WeightSet.
 */
import { type DType, elementCount } from '../tensor/dtype';

export interface Tensor {
  readonly name: string;
  /** Row-major (C order) shape; [] is a scalar. */
  readonly shape: readonly number[];
  readonly data: Float32Array;
  /** The element type in the file this tensor was read from ('F32' for tensors made here). */
  readonly dtype: DType;
}

export type Metadata = Readonly<Record<string, string>>;

/** Well-known metadata keys. Everything else is kept as given. */
export const METADATA_KEYS = { label: 'label', architecture: 'architecture', provenance: 'provenance' } as const;

export class WeightSet {
  readonly tensors: readonly Tensor[];
  readonly metadata: Metadata;
  private readonly byName: ReadonlyMap<string, Tensor>;

  constructor(tensors: readonly Tensor[], metadata: Metadata = {}) {
    const byName = new Map<string, Tensor>();
    for (const t of tensors) {
      if (byName.has(t.name)) throw new Error(`WeightSet: duplicate tensor name "${t.name}"`);
      if (t.shape.some((d) => !Number.isInteger(d) || d < 0)) {
        throw new Error(`WeightSet: tensor "${t.name}" has an invalid shape [${t.shape.join(', ')}]`);
      }
      if (elementCount(t.shape) !== t.data.length) {
        throw new Error(`WeightSet: tensor "${t.name}" has shape [${t.shape.join(', ')}] (${elementCount(t.shape)} values) but ${t.data.length} values`);
      }
      byName.set(t.name, t);
    }
    this.tensors = tensors;
    this.metadata = metadata;
    this.byName = byName;
  }

  /** Convenience constructor for tensors made here (dtype F32). */
  static fromArrays(
    entries: ReadonlyArray<{ name: string; shape: readonly number[]; data: Float32Array | readonly number[] }>,
    metadata: Metadata = {},
  ): WeightSet {
    return new WeightSet(
      entries.map((e) => ({
        name: e.name,
        shape: [...e.shape],
        data: e.data instanceof Float32Array ? e.data : Float32Array.from(e.data),
        dtype: 'F32' as const,
      })),
      metadata,
    );
  }

  get names(): string[] {
    return this.tensors.map((t) => t.name);
  }

  get parameterCount(): number {
    return this.tensors.reduce((n, t) => n + t.data.length, 0);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  get(name: string): Tensor {
    const t = this.byName.get(name);
    if (!t) throw new Error(`WeightSet: no tensor named "${name}" (have: ${this.names.join(', ')})`);
    return t;
  }

  /** The class label, when the metadata holds an integer one. */
  get label(): number | undefined {
    const raw = this.metadata[METADATA_KEYS.label];
    if (raw === undefined || !/^-?\d+$/.test(raw)) return undefined;
    return Number(raw);
  }

  withMetadata(metadata: Metadata): WeightSet {
    return new WeightSet(this.tensors, { ...this.metadata, ...metadata });
  }
}
