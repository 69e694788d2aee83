/**
 * The difference between two weight files, tensor by tensor (matched by name): the L2 norm and the
 * largest absolute value of a − b, and the L2 norm relative to ‖a‖. Tensors only in one file, or of
 * different shapes, are listed with why they were not compared. One tensor pair in memory at a time.
 */
import type { WeightFileReader } from '../formats/format';
import type { DiffReport, TensorDiff } from './reportTypes';

export type { DiffReport, TensorDiff };

export function compareTensors(a: Float32Array, b: Float32Array): { l2: number; maxAbs: number; relative: number | null } {
  if (a.length !== b.length) throw new RangeError(`cannot compare tensors of ${a.length} and ${b.length} values`);
  let squares = 0;
  let norm = 0;
  let maxAbs = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const d = x - b[i]!;
    if (!Number.isFinite(d)) continue;
    squares += d * d;
    norm += x * x;
    if (Math.abs(d) > maxAbs) maxAbs = Math.abs(d);
  }
  const l2 = Math.sqrt(squares);
  return { l2, maxAbs, relative: norm > 0 ? l2 / Math.sqrt(norm) : null };
}

const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

export async function diffReaders(a: WeightFileReader, b: WeightFileReader): Promise<DiffReport> {
  const others = new Map(b.tensors.map((t) => [t.name, t]));
  const tensors: TensorDiff[] = [];
  for (const t of a.tensors) {
    const other = others.get(t.name);
    others.delete(t.name);
    const base = { name: t.name, shape: [...t.shape], otherShape: other ? [...other.shape] : null };
    if (!other) tensors.push({ ...base, status: 'only-in-file', l2: null, maxAbs: null, relative: null });
    else if (!sameShape(t.shape, other.shape)) tensors.push({ ...base, status: 'shape-mismatch', l2: null, maxAbs: null, relative: null });
    else tensors.push({ ...base, status: 'compared', ...compareTensors(await a.readTensor(t.name), await b.readTensor(t.name)) });
  }
  for (const t of others.values()) {
    tensors.push({ name: t.name, status: 'only-in-other', shape: null, otherShape: [...t.shape], l2: null, maxAbs: null, relative: null });
  }
  return { file: a.file, otherFile: b.file, tensors };
}
