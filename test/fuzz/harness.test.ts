/**
 * The fuzz machinery itself. The harness, on a deliberately broken parser (targets/canary.ts), reports
 * an untyped error, an infinite loop, a large allocation, a slow input, a typed error naming another file
 * and a rejected promise nothing awaited as failures, and makes the same inputs from the same seed —
 * without this, a harness that caught nothing would pass every fuzz test. The structure-aware mutators
 * keep the structure they mutate inside (pickle opcodes, the safetensors header length, zip directories).
 */
import { test } from 'node:test';
import { createHash } from 'node:crypto';
import assert from 'node:assert/strict';
import { readZipDirectory } from '../../src/core/formats/zip';
import { MemoryByteSource } from '../../src/core/io/byteSource';
import { Rng } from '../../src/core/random/rng';
import { makeInput, runFuzz } from './harness';
import { mutateNpyHeader, mutateSafetensorsHeader, mutateZipMembers, pickleOps } from './mutate';
import { loadTarget } from './targets';
import { CANARY_SEEDS } from './targets/canary';
import { fixtureSeeds } from './targets/common';

test('the harness fails a TypeError, an infinite loop, a 512 MiB allocation, a slow input, an error naming another file and an unawaited rejection', async () => {
  const report = await runFuzz('canary', { count: CANARY_SEEDS.length, timeBoundMs: 60, failureDir: null, confirm: false });
  const kinds = Object.fromEntries(report.failures.map((f) => [CANARY_SEEDS[f.index], f.kind]));
  assert.deepEqual(kinds, {
    'type-error': 'untyped-error',
    'infinite-loop': 'hang',
    allocate: 'allocation',
    slow: 'slow',
    unnamed: 'untyped-error',
    unawaited: 'untyped-error',
  });
  const detail = (seed: string) => report.failures.find((f) => CANARY_SEEDS[f.index] === seed)!.detail;
  assert.match(detail('type-error'), /TypeError/);
  assert.match(detail('unawaited'), /nothing awaited: RangeError: nothing awaits this/);
  assert.equal(report.tried, CANARY_SEEDS.length);
  assert.equal(report.successes, 1);
  assert.deepEqual(report.byError, { 'WeightFileError:bad-header': 1 });
});

test('inputs are a pure function of the seed and the index, unrelated across seeds; the first ones are the seeds unchanged', async () => {
  const target = loadTarget('pth');
  const seeds = await target.seeds();
  assert.deepEqual(makeInput(target, seeds, 1, 0).bytes, seeds[0]!.bytes);
  for (const index of [seeds.length, 100, 4321]) {
    const a = makeInput(target, seeds, 1, index);
    assert.deepEqual(makeInput(target, seeds, 1, index), a, `input ${index} is made the same way twice`);
    assert.notDeepEqual(makeInput(target, seeds, 2, index).bytes, a.bytes, `input ${index} depends on the seed`);
  }
  const hash = (b: Uint8Array) => createHash('sha1').update(b).digest('hex');
  const first = new Set(Array.from({ length: 200 }, (_, i) => hash(makeInput(target, seeds, 1, seeds.length + i).bytes)));
  const shared = Array.from({ length: 200 }, (_, i) => hash(makeInput(target, seeds, 2, seeds.length + i).bytes)).filter((h) => first.has(h));
  assert.ok(shared.length < 20, `seeds 1 and 2 share ${shared.length} of 200 inputs`);
  const originals = seeds.map((s) => s.bytes.slice());
  for (let i = 0; i < 200; i++) makeInput(target, seeds, 1, i);
  assert.deepEqual(
    seeds.map((s) => s.bytes),
    originals,
    'mutators never modify the seeds',
  );
});

test('structure-aware mutators keep the structure they mutate inside', async () => {
  const rng = new Rng(7);
  // every plain pickle fixture splits into opcodes that end with its STOP
  for (const seed of fixtureSeeds('torch', /\.pkl$/)) {
    const ops = pickleOps(seed.bytes);
    assert.equal(ops[ops.length - 1]!.op, 0x2e, seed.name);
    assert.equal(ops[ops.length - 1]!.end, seed.bytes.length, seed.name);
  }
  // a safetensors header mutation writes the length of the header it wrote
  const [siren] = fixtureSeeds('safetensors', /^siren\.safetensors$/);
  for (let i = 0; i < 20; i++) {
    const out = mutateSafetensorsHeader(siren!.bytes, rng);
    const n = Number(new DataView(out.buffer, out.byteOffset).getBigUint64(0, true));
    assert.ok(8 + n <= out.length, 'the header length fits the file');
  }
  // a zip mutated member by member is still a zip whose directory reads
  const [npz] = fixtureSeeds('numpy', /^savez\.npz$/);
  let readable = 0;
  for (let i = 0; i < 20; i++) {
    const out = mutateZipMembers(npz!.bytes, rng, [], { byName: [[/\.npy$/, mutateNpyHeader]] });
    if (
      await readZipDirectory(new MemoryByteSource(out, 'm.npz')).then(
        () => true,
        () => false,
      )
    )
      readable++;
  }
  assert.ok(readable >= 15, `only ${readable} of 20 re-packed archives have a readable directory`);
});
