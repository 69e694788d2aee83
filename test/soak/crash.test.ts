/**
 * The fast variant of `npm run soak`: a real `wslab generate` and a real `wslab train` are each killed
 * with SIGKILL three times (seeded moments; the second kill waits for a shard or checkpoint write), checked
 * for half-written files after every kill, resumed, and must end identical to uninterrupted runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, soakGenerate, soakTrain, type SoakReport } from './crashSoak';

const work = () => mkdtempSync(join(tmpdir(), 'wslab-soak-test-'));

function assertKilled(report: SoakReport, kills: number): void {
  assert.equal(report.kills.length, kills);
  assert.ok(
    report.kills.some((k) => k.mode === 'mid-write'),
    'at least one kill came as a shard or checkpoint write started',
  );
  for (const k of report.kills) assert.ok(k.atMs > 0 && k.state.length > 0);
}

test('wslab generate killed 3 times (once mid-shard-write) and resumed equals an uninterrupted run', async () => {
  assert.ok(existsSync(CLI), `${CLI} is missing: run npm run build (npm test does)`);
  const dir = work();
  try {
    assertKilled(await soakGenerate({ kills: 3, seed: 3, work: dir, limit: 40, steps: 120, shardSize: 5, midWriteEvery: 2 }), 3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('wslab train killed 3 times (once mid-checkpoint) and resumed equals an uninterrupted run', async () => {
  assert.ok(existsSync(CLI), `${CLI} is missing: run npm run build (npm test does)`);
  const dir = work();
  try {
    assertKilled(await soakTrain({ kills: 3, seed: 3, work: dir, inrs: 60, epochs: 5, batchSize: 8, midWriteEvery: 2 }), 3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
