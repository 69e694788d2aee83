/**
 * The tensor table's rows, sorting and filtering, without the DOM (unit-tested in Node). Statistics
 * arrive one tensor at a time, so a row's stats may be missing: sorting puts rows without the sorted
 * value last in either direction, and ties keep file order (the sort is stable on the file index).
 */
import type { TensorHeader, TensorStats } from '../../src/protocol';

export interface Row {
  /** Position in the file. */
  readonly index: number;
  readonly tensor: TensorHeader;
  readonly stats: TensorStats | undefined;
}

export type SortKey = 'index' | 'name' | 'dtype' | 'shape' | 'params' | 'min' | 'max' | 'mean' | 'std' | 'zerosPct' | 'nonFinite';
export type SortDirection = 'ascending' | 'descending';

export interface SortOrder {
  readonly key: SortKey;
  readonly direction: SortDirection;
}

export const FILE_ORDER: SortOrder = { key: 'index', direction: 'ascending' };

type Value = number | string | undefined;

function valueOf(row: Row, key: SortKey): Value {
  switch (key) {
    case 'index':
      return row.index;
    case 'name':
      return row.tensor.name;
    case 'dtype':
      return row.tensor.dtype;
    case 'shape':
      // Rank first, then each dimension: [3] < [2, 2] < [2, 3].
      return row.tensor.shape.length;
    case 'params':
      return row.tensor.params;
    default: {
      const v = row.stats?.[key];
      return v === null || v === undefined || Number.isNaN(v) ? undefined : v;
    }
  }
}

function compareShapes(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** A new array of `rows` in `order`; rows lacking the value come last whatever the direction. */
export function sortRows(rows: readonly Row[], order: SortOrder): Row[] {
  const sign = order.direction === 'ascending' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = valueOf(a, order.key);
    const y = valueOf(b, order.key);
    if (x === undefined || y === undefined) {
      if (x === undefined && y === undefined) return a.index - b.index;
      return x === undefined ? 1 : -1;
    }
    let c: number;
    if (order.key === 'shape') c = compareShapes(a.tensor.shape, b.tensor.shape);
    else if (typeof x === 'string' && typeof y === 'string') c = x.localeCompare(y, 'en', { numeric: true });
    else c = (x as number) - (y as number);
    return c !== 0 ? sign * c : a.index - b.index;
  });
}

/**
 * Rows whose name, dtype or shape contain every word of `query` (case-insensitive); the word `nan`
 * keeps only tensors with NaN/Inf values. An empty query keeps everything.
 */
export function filterRows(rows: readonly Row[], query: string): Row[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...rows];
  return rows.filter((row) => {
    const text = `${row.tensor.name} ${row.tensor.dtype} [${row.tensor.shape.join(', ')}]`.toLowerCase();
    return words.every((w) => (w === 'nan' ? (row.stats?.nonFinite ?? 0) > 0 : text.includes(w)));
  });
}

/** The next order after clicking a column: ascending, then descending, then back to file order. */
export function nextOrder(current: SortOrder, key: SortKey): SortOrder {
  if (current.key !== key) return { key, direction: 'ascending' };
  if (current.direction === 'ascending') return { key, direction: 'descending' };
  return FILE_ORDER;
}
