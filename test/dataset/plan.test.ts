import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupByShard, parseShardSelector, planDataset } from '../../src/core/dataset/plan';

const base = { sourceCount: 500, views: 3, seed: 7, valFraction: 0.1, testFraction: 0.2, shardSize: 64 };

test('the plan is a pure function of its settings', () => {
  assert.deepEqual(planDataset(base), planDataset({ ...base }));
  assert.notDeepEqual(
    planDataset(base).map((i) => i.index),
    planDataset({ ...base, seed: 8 }).map((i) => i.index),
  );
});

test('every image appears once with all its views in one split; split sizes follow the fractions', () => {
  const limit = 137;
  const plan = planDataset({ ...base, limit });
  assert.equal(plan.length, limit * base.views);
  const byImage = new Map<number, { views: number[]; splits: Set<string> }>();
  for (const item of plan) {
    const entry = byImage.get(item.index) ?? { views: [], splits: new Set() };
    entry.views.push(item.view);
    entry.splits.add(item.split);
    byImage.set(item.index, entry);
  }
  assert.equal(byImage.size, limit);
  for (const [index, { views, splits }] of byImage) {
    assert.deepEqual(views, [0, 1, 2], `image ${index}`);
    assert.equal(splits.size, 1, `image ${index} is in one split`);
  }
  const count = (split: string) => [...byImage.values()].filter((e) => e.splits.has(split)).length;
  assert.equal(count('val'), Math.round(limit * base.valFraction));
  assert.equal(count('test'), Math.round(limit * base.testFraction));
  assert.equal(count('train'), limit - count('val') - count('test'));
  assert.equal(new Set(plan.map((i) => i.id)).size, plan.length, 'ids are unique');
  assert.equal(new Set(plan.map((i) => i.seed)).size, plan.length, 'seeds differ per INR');
});

test('a smaller limit is a prefix of a larger one (growing a dataset keeps its images)', () => {
  const small = planDataset({ ...base, limit: 40, views: 1 }).map((i) => i.index);
  const large = planDataset({ ...base, limit: 400, views: 1 }).map((i) => i.index);
  assert.deepEqual(small, large.slice(0, 40));
});

test('shards hold consecutive items, all full except the last', () => {
  const shards = groupByShard(planDataset(base));
  assert.equal(shards.length, Math.ceil((base.sourceCount * base.views) / base.shardSize));
  shards.forEach((items, k) => {
    assert.ok(items.every((i) => i.shard === k));
    if (k < shards.length - 1) assert.equal(items.length, base.shardSize);
  });
});

test('bad settings and shard selectors are refused with the reason', () => {
  assert.throws(() => planDataset({ ...base, limit: 501 }), /limit must be between 1 and the 500 images/);
  assert.throws(() => planDataset({ ...base, views: 0 }), /views must be a positive integer/);
  assert.throws(() => planDataset({ ...base, valFraction: 0.6, testFraction: 0.5 }), /fractions/);
  assert.deepEqual(parseShardSelector('2/4'), { index: 2, count: 4 });
  for (const bad of ['4/4', '1/0', 'a/b', '1']) assert.throws(() => parseShardSelector(bad), /--shard must be i\/n/);
});
