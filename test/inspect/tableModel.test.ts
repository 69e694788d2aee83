// The inspector table's logic (webview/inspector/tableModel.ts, DOM-free): sorting by every column with
// statistics still missing for some rows, stable ties, the click cycle, and filtering.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FILE_ORDER, filterRows, nextOrder, sortRows, type Row } from '../../webview/inspector/tableModel';
import type { TensorStats } from '../../src/protocol';

function stats(min: number | null, nonFinite = 0): TensorStats {
  return { params: 1, min, max: min, mean: min, std: 0, zerosPct: 0, nonFinite };
}

const ROWS: Row[] = [
  { index: 0, tensor: { name: 'layer10.weight', dtype: 'F32', shape: [4, 4], params: 16 }, stats: stats(-1) },
  { index: 1, tensor: { name: 'layer2.weight', dtype: 'F16', shape: [8], params: 8 }, stats: undefined },
  { index: 2, tensor: { name: 'layer2.bias', dtype: 'F32', shape: [2, 3], params: 6 }, stats: stats(5, 2) },
  { index: 3, tensor: { name: 'Embed', dtype: 'BF16', shape: [4, 2], params: 8 }, stats: stats(null) },
];
const names = (rows: Row[]) => rows.map((r) => r.tensor.name);

test('numeric columns sort both ways; rows without the value stay last either way', () => {
  assert.deepEqual(names(sortRows(ROWS, { key: 'min', direction: 'ascending' })), ['layer10.weight', 'layer2.bias', 'layer2.weight', 'Embed']);
  assert.deepEqual(names(sortRows(ROWS, { key: 'min', direction: 'descending' })), ['layer2.bias', 'layer10.weight', 'layer2.weight', 'Embed']);
  assert.deepEqual(names(sortRows(ROWS, { key: 'params', direction: 'descending' })), ['layer10.weight', 'layer2.weight', 'Embed', 'layer2.bias']);
});

test('names sort naturally (layer2 before layer10); ties keep file order; shapes by rank then dims', () => {
  assert.deepEqual(names(sortRows(ROWS, { key: 'name', direction: 'ascending' })), ['Embed', 'layer2.bias', 'layer2.weight', 'layer10.weight']);
  assert.deepEqual(names(sortRows(ROWS, { key: 'dtype', direction: 'ascending' })), ['Embed', 'layer2.weight', 'layer10.weight', 'layer2.bias']);
  assert.deepEqual(names(sortRows(ROWS, { key: 'shape', direction: 'ascending' })), ['layer2.weight', 'layer2.bias', 'Embed', 'layer10.weight']);
  assert.deepEqual(names(sortRows(ROWS, FILE_ORDER)), names(ROWS));
});

test('sorting returns a new array and leaves the input alone', () => {
  const before = names(ROWS);
  const sorted = sortRows(ROWS, { key: 'name', direction: 'descending' });
  assert.notEqual(sorted, ROWS);
  assert.deepEqual(names(ROWS), before);
});

test('clicking a column cycles ascending → descending → file order; another column starts ascending', () => {
  const a = nextOrder(FILE_ORDER, 'std');
  assert.deepEqual(a, { key: 'std', direction: 'ascending' });
  const b = nextOrder(a, 'std');
  assert.deepEqual(b, { key: 'std', direction: 'descending' });
  assert.deepEqual(nextOrder(b, 'std'), FILE_ORDER);
  assert.deepEqual(nextOrder(b, 'name'), { key: 'name', direction: 'ascending' });
});

test('the filter matches every word in name, dtype or shape, case-insensitively; "nan" keeps tensors with NaN/Inf', () => {
  assert.deepEqual(names(filterRows(ROWS, 'LAYER2')), ['layer2.weight', 'layer2.bias']);
  assert.deepEqual(names(filterRows(ROWS, 'layer f32')), ['layer10.weight', 'layer2.bias']);
  assert.deepEqual(names(filterRows(ROWS, '[4, 2]')), ['Embed']);
  assert.deepEqual(names(filterRows(ROWS, 'nan')), ['layer2.bias']);
  assert.deepEqual(names(filterRows(ROWS, '   ')), names(ROWS));
  assert.deepEqual(names(filterRows(ROWS, 'nothing-like-this')), []);
});
