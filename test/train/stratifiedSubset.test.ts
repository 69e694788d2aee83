/**
 * trainLimit samples are seeded and class-stratified: every class within 1 of its proportional count (the
 * bundled datasets are stored class by class, so "the first N" would leave whole classes out), exactly N
 * networks, deterministic per seed, nested across sizes for one seed, and the rows are the networks named.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classCounts, limitSplit, type SplitData } from '../../src/core/train/datasetSplits';
import { Rng } from '../../src/core/random/rng';

const P = 3;
const CLASSES = 10;

/** A split stored class by class with uneven class sizes (as a bundled dataset's train split is). */
function classByClass(sizes: readonly number[]): SplitData {
  const labels = sizes.flatMap((n, c) => new Array<number>(n).fill(c));
  const count = labels.length;
  const data = Float32Array.from({ length: count * P }, (_, i) => Math.floor(i / P) + (i % P) / 10);
  return { ids: labels.map((_, i) => `inr${i}`), labels: Int32Array.from(labels), data, count };
}

const SIZES = [130, 95, 120, 121, 110, 99, 140, 117, 108, 160]; // 1,200 in all
const split = classByClass(SIZES);

test('trainLimit 1000 holds every class within ±1 of its proportional count', () => {
  for (const seed of [0, 1, 2, 12345]) {
    const sample = limitSplit(split, 1000, seed, CLASSES);
    assert.equal(sample.count, 1000);
    const counts = classCounts(sample, CLASSES);
    counts.forEach((n, c) => {
      const proportional = (1000 * SIZES[c]!) / split.count;
      assert.ok(Math.abs(n - proportional) <= 1, `class ${c}: ${n} networks, proportional ${proportional.toFixed(2)}`);
    });
  }
  // "The first 1000" (what trainLimit used to do) has no class 9 at all: the check above can fail.
  const first = { ...split, labels: split.labels.slice(0, 1000), count: 1000 };
  assert.equal(classCounts(first, CLASSES)[9], 0);
});

test('small and odd limits: exact size, within ±1 per class, never more than a class has', () => {
  const rng = new Rng(7);
  for (let trial = 0; trial < 200; trial++) {
    const sizes = Array.from({ length: CLASSES }, () => rng.int(0, 30));
    const s = classByClass(sizes);
    const limit = rng.int(1, Math.max(1, s.count - 1));
    const sample = limitSplit(s, limit, trial, CLASSES);
    assert.equal(sample.count, Math.min(limit, s.count));
    classCounts(sample, CLASSES).forEach((n, c) => {
      assert.ok(n <= sizes[c]!, `class ${c}: ${n} of ${sizes[c]}`);
      if (limit < s.count) assert.ok(Math.abs(n - (limit * sizes[c]!) / s.count) <= 1, `sizes ${sizes}, limit ${limit}, class ${c}: ${n}`);
    });
  }
});

test('the sample is seeded, nested across sizes, in split order, and its rows are the networks it names', () => {
  const a = limitSplit(split, 300, 5, CLASSES);
  assert.deepEqual(limitSplit(split, 300, 5, CLASSES).ids, a.ids, 'same seed, same sample');
  assert.notDeepEqual(limitSplit(split, 300, 6, CLASSES).ids, a.ids, 'another seed, another sample');
  const larger = new Set(limitSplit(split, 900, 5, CLASSES).ids);
  assert.ok(
    a.ids.every((id) => larger.has(id)),
    'a larger limit keeps every network of a smaller one',
  );
  const index = (id: string) => Number(id.slice(3));
  assert.ok(
    a.ids.every((id, n) => n === 0 || index(a.ids[n - 1]!) < index(id)),
    'kept in split order',
  );
  a.ids.forEach((id, n) => {
    const i = index(id);
    assert.equal(a.labels[n], split.labels[i]);
    assert.deepEqual([...a.data.subarray(n * P, (n + 1) * P)], [...split.data.subarray(i * P, (i + 1) * P)]);
  });
  assert.equal(limitSplit(split, null, 5, CLASSES), split);
  assert.equal(limitSplit(split, 5000, 5, CLASSES), split);
});
