/** The run-folder contract: metrics survive a torn last line, resume truncation, status and listing. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  appendMetrics,
  listRuns,
  readMetrics,
  readStatus,
  RunFolderError,
  truncateMetrics,
  writeJson,
  writeStatus,
  type MetricRecord,
} from '../../src/core/train/runFolder';

const record = (epoch: number, split: MetricRecord['split'] = 'train'): MetricRecord => ({
  step: epoch * 10,
  epoch,
  split,
  loss: 1 / epoch,
  accuracy: epoch / 10,
  lr: 1e-3,
  time: epoch,
});

test('metrics: a torn last line (a crash mid-append) is skipped; a bad line in the middle is an error naming it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wslab-run-'));
  await appendMetrics(dir, [record(1), record(1, 'val'), record(2)]);
  appendFileSync(join(dir, 'metrics.jsonl'), '{"step":30,"epo');
  assert.deepEqual(await readMetrics(dir), [record(1), record(1, 'val'), record(2)]);
  writeFileSync(join(dir, 'metrics.jsonl'), `${JSON.stringify(record(1))}\nnot json\n${JSON.stringify(record(2))}\n`);
  await assert.rejects(readMetrics(dir), (e: unknown) => e instanceof RunFolderError && /metrics\.jsonl: line 2/.test(e.message));
});

test('truncateMetrics keeps the epochs up to the checkpoint', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wslab-run-'));
  await appendMetrics(dir, [record(1), record(2), record(2, 'val'), record(3)]);
  await truncateMetrics(dir, 2);
  assert.deepEqual(
    (await readMetrics(dir)).map((r) => [r.epoch, r.split]),
    [
      [1, 'train'],
      [2, 'train'],
      [2, 'val'],
    ],
  );
});

test('status round-trips; listRuns finds run folders with their status and summary', async () => {
  const runs = mkdtempSync(join(tmpdir(), 'wslab-runs-'));
  for (const [name, state] of [
    ['b', 'failed'],
    ['a', 'done'],
  ] as const) {
    const dir = join(runs, name);
    mkdirSync(dir);
    await writeJson(dir, 'config.json', { name });
    await writeStatus(dir, state, state === 'failed' ? 'boom' : undefined);
  }
  mkdirSync(join(runs, 'not-a-run'));
  const listed = await listRuns(runs);
  assert.deepEqual(
    listed.map((r) => [r.name, r.status?.state, r.status?.error]),
    [
      ['a', 'done', undefined],
      ['b', 'failed', 'boom'],
    ],
  );
  writeFileSync(join(runs, 'a', 'status'), '{"state":"exploded"}');
  await assert.rejects(readStatus(join(runs, 'a')), /unknown state "exploded"/);
  assert.deepEqual(await listRuns(join(runs, 'missing')), []);
});
