import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arrayRange, checkTaskCount, parseArrayIndices, shardsOfTask } from '../../src/core/cluster/arrayTasks';
import { shardsOfPart } from '../../src/core/dataset/plan';

test('arrayRange: 0-(n-1), with %m to limit running tasks', () => {
  assert.equal(arrayRange(4), '0-3');
  assert.equal(arrayRange(1), '0-0');
  assert.equal(arrayRange(10, 3), '0-9%3');
  assert.throws(() => arrayRange(0), /at least one task/);
  assert.throws(() => arrayRange(2.5), /at least one task/);
});

test('shardsOfTask: every shard has exactly one task, tasks differ by at most one shard, and it matches --shard i/n', () => {
  for (let shards = 1; shards <= 23; shards++) {
    for (let tasks = 1; tasks <= shards; tasks++) {
      const owners = new Array<number>(shards).fill(0);
      const sizes: number[] = [];
      for (let task = 0; task < tasks; task++) {
        const mine = shardsOfTask(task, tasks, shards);
        assert.deepEqual(mine, shardsOfPart(shards, { index: task, count: tasks }));
        for (const k of mine) {
          assert.equal(k % tasks, task);
          owners[k]!++;
        }
        sizes.push(mine.length);
      }
      assert.deepEqual(owners, new Array(shards).fill(1), `${shards} shards, ${tasks} tasks`);
      assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1);
    }
  }
  assert.deepEqual(shardsOfTask(1, 4, 10), [1, 5, 9]);
  assert.throws(() => shardsOfTask(4, 4, 10), /task 4 is not in the array 0-3/);
});

test('checkTaskCount refuses tasks that would have no shard', () => {
  checkTaskCount(8, 8);
  assert.throws(() => checkTaskCount(9, 8), /9 tasks for 8 shard\(s\): tasks 8-8 would have nothing to do/);
});

test('parseArrayIndices reads the index expressions squeue and sacct print', () => {
  assert.deepEqual(parseArrayIndices('3'), [3]);
  assert.deepEqual(parseArrayIndices('0-4%3'), [0, 1, 2, 3, 4]);
  assert.deepEqual(parseArrayIndices('[2-3]'), [2, 3]);
  assert.deepEqual(parseArrayIndices('[1,4-6%2]'), [1, 4, 5, 6]);
  assert.deepEqual(parseArrayIndices('0-6:3'), [0, 3, 6]);
  for (const bad of ['', 'N/A', '3-1', 'a', '1,,2']) assert.throws(() => parseArrayIndices(bad), /not an array index expression/, bad);
});
