/**
 * Files whose length fields claim far more than they hold — a 100 GB tensor in a few hundred bytes, a
 * header length of 100 GB, a string of 2^63 bytes, a 2-GiB broadcast of one stored value, a dataset of
 * 10^11 images — fail with a typed error before anything that size is allocated: each case must finish
 * in well under a second and grow ArrayBuffers and the JS heap by less than 16 MiB. The fuzzers reach
 * such fields by chance; these cases reach each one on purpose.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { readDatasetSettings } from '../../src/core/dataset/manifest';
import { DatasetError } from '../../src/core/dataset/imageSource';
import { WeightFileError, type WeightFileErrorCode } from '../../src/core/errors';
import type { WeightFormat } from '../../src/core/formats/format';
import { npyFormat } from '../../src/core/formats/npy';
import { npzFormat } from '../../src/core/formats/npz';
import { unpickle } from '../../src/core/formats/pickle';
import { PickleWriter } from '../../src/core/formats/pickleWriter';
import { pthFormat } from '../../src/core/formats/pth';
import { safetensorsFormat } from '../../src/core/formats/safetensors';
import { writeZip } from '../../src/core/formats/zip';
import { concatBytes } from '../../src/core/io/bytes';
import { MemoryByteSource } from '../../src/core/io/byteSource';
import { fixturePath } from '../helpers/fixtures';

const MiB = 1024 ** 2;
const GB100 = 100_000_000_000;
const encoder = new TextEncoder();

/** Runs `fail`, which must reject with `check`, fast and without allocating what the file claims. */
async function failsFast(fail: () => Promise<unknown>, check: (e: unknown) => boolean): Promise<void> {
  const before = process.memoryUsage();
  const started = performance.now();
  await assert.rejects(fail, (e: unknown) => {
    assert.ok(check(e), `unexpected error: ${String(e)}`);
    return true;
  });
  const ms = performance.now() - started;
  const after = process.memoryUsage();
  const buffers = after.arrayBuffers + after.external - before.arrayBuffers - before.external;
  assert.ok(ms < 1000, `took ${ms.toFixed(0)} ms`);
  assert.ok(buffers < 16 * MiB, `ArrayBuffers grew by ${(buffers / MiB).toFixed(0)} MiB`);
  assert.ok(after.heapUsed - before.heapUsed < 16 * MiB, `the heap grew by ${((after.heapUsed - before.heapUsed) / MiB).toFixed(0)} MiB`);
}

const weightError = (code: WeightFileErrorCode, file: string, pattern?: RegExp) => (e: unknown) =>
  e instanceof WeightFileError && e.code === code && e.file === file && (!pattern || pattern.test(e.message));

/** Opens from memory and reads every tensor. */
async function openAll(format: WeightFormat, bytes: Uint8Array, file: string): Promise<void> {
  const reader = await format.open(new MemoryByteSource(bytes, file));
  for (const t of reader.tensors) await reader.readTensor(t.name);
}

function safetensors(header: unknown, data: Uint8Array = new Uint8Array(16)): Uint8Array {
  const json = encoder.encode(JSON.stringify(header));
  const prefix = new Uint8Array(8);
  new DataView(prefix.buffer).setBigUint64(0, BigInt(json.length), true);
  return concatBytes([prefix, json, data]);
}

function npy(dict: string, data: Uint8Array = new Uint8Array(16)): Uint8Array {
  const text = `${dict}`.padEnd(117, ' ') + '\n';
  const head = Uint8Array.from([0x93, ...encoder.encode('NUMPY'), 1, 0, text.length & 0xff, text.length >> 8]);
  return concatBytes([head, encoder.encode(text), data]);
}

/** A torch.save archive with one tensor `w` = _rebuild_tensor_v2(storage of `numel` floats, 0, size, stride). */
function pth(numel: number, size: readonly number[], stride: readonly number[], storageBytes: number): Uint8Array {
  const pickle = new PickleWriter(2).global('collections', 'OrderedDict').emptyTuple().reduce().mark();
  pickle.string('w').global('torch._utils', '_rebuild_tensor_v2').mark();
  pickle.mark().string('storage').global('torch', 'FloatStorage').string('0').string('cpu').int(numel).tupleFromMark().binPersId();
  pickle.int(0).intTuple(size).intTuple(stride).bool(false).global('collections', 'OrderedDict').emptyTuple().reduce();
  pickle.tupleFromMark().reduce();
  const files = [
    { name: 'huge/data.pkl', data: pickle.setItems().stop() },
    { name: 'huge/data/0', data: new Uint8Array(storageBytes) },
    { name: 'huge/version', data: encoder.encode('3\n') },
  ];
  return concatBytes(writeZip(files));
}

test('safetensors: a 100 GB tensor, and a 100 GB header length, in a tiny file', async () => {
  const tensor = safetensors({ w: { dtype: 'F32', shape: [GB100 / 4], data_offsets: [0, GB100] } });
  await failsFast(() => openAll(safetensorsFormat, tensor, 'huge.safetensors'), weightError('out-of-bounds', 'huge.safetensors', /100000000000/));
  const length = safetensors({});
  new DataView(length.buffer).setBigUint64(0, BigInt(GB100), true);
  await failsFast(() => openAll(safetensorsFormat, length, 'huge-header.safetensors'), weightError('bad-header', 'huge-header.safetensors', /exceeds/));
});

test('npy: a 100 GB shape, and a version-2 header length of 4 GiB', async () => {
  await failsFast(
    () => openAll(npyFormat, npy(`{'descr': '<f4', 'fortran_order': False, 'shape': (25000000000,), }`), 'huge.npy'),
    weightError('shape-mismatch', 'huge.npy'),
  );
  const v2 = Uint8Array.from([0x93, ...encoder.encode('NUMPY'), 2, 0, 0xff, 0xff, 0xff, 0xff, 0x7b]);
  await failsFast(() => openAll(npyFormat, v2, 'huge-header.npy'), weightError('truncated', 'huge-header.npy'));
});

test('npz: a member whose npy header claims 100 GB, stored and deflated', async () => {
  const member = npy(`{'descr': '<f8', 'fortran_order': False, 'shape': (12500000000,), }`);
  for (const compress of [false, true]) {
    const bytes = concatBytes(writeZip([{ name: 'w.npy', data: member, compress }]));
    await failsFast(() => openAll(npzFormat, bytes, 'huge.npz'), weightError('shape-mismatch', 'huge.npz', /w\.npy/));
  }
});

test('pth: a storage of 100 GB in a few bytes, and a 2-GiB broadcast of one stored value', async () => {
  await failsFast(() => openAll(pthFormat, pth(GB100 / 4, [GB100 / 4], [1], 16), 'huge.pth'), weightError('truncated', 'huge.pth', /storage "0"/));
  // torch saves x.expand(…) as its storage and a stride-0 view; 46340² elements of one stored float
  const broadcast = pth(1, [46340, 46340], [0, 0], 4);
  await failsFast(
    () => openAll(pthFormat, broadcast, 'broadcast.pth'),
    weightError('unsupported', 'broadcast.pth', /broadcast view of 2147395600 elements over 1 stored/),
  );
});

test('pth: a small broadcast view still reads (the views.pth fixture)', async () => {
  const reader = await pthFormat.open(new MemoryByteSource(readFileSync(fixturePath('torch', 'views.pth')), 'views.pth'));
  assert.equal((await reader.readTensor('broadcast')).length, 18);
});

test('pickle: strings and bytes of 100 GB and 2^63 bytes, an integer of 2 GiB', async () => {
  const le64 = (n: bigint) => Array.from({ length: 8 }, (_, i) => Number((n >> BigInt(8 * i)) & 0xffn));
  const cases: Array<[number[], WeightFileErrorCode]> = [
    [[0x80, 0x04, 0x8e, ...le64(BigInt(GB100))], 'truncated'], // BINBYTES8
    [[0x80, 0x04, 0x8d, ...le64(2n ** 63n)], 'truncated'], // BINUNICODE8
    [[0x80, 0x04, 0x96, ...le64(2n ** 64n - 1n)], 'truncated'], // BYTEARRAY8
    [[0x80, 0x02, 0x58, 0xff, 0xff, 0xff, 0xff], 'truncated'], // BINUNICODE of 4 GiB
    [[0x80, 0x02, 0x8b, 0xff, 0xff, 0xff, 0x7f], 'unsupported'], // LONG4 of 2 GiB
    [[0x80, 0x02, 0x54, 0xff, 0xff, 0xff, 0xff], 'bad-header'], // BINSTRING of length −1
  ];
  for (const [bytes, code] of cases) {
    await failsFast(async () => unpickle(Uint8Array.from(bytes), { file: 'huge.pkl', globals: new Map() }), weightError(code, 'huge.pkl'));
  }
});

test('dataset.json: a source of 10^11 images, or 2^21 images × 2^21 views, is refused before planning', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wslab-huge-'));
  try {
    const settings = JSON.parse(readFileSync(fixturePath('dataset', 'tiny', 'dataset.json'), 'utf8'));
    for (const [source, plan] of [
      [{ count: GB100 }, { limit: null }],
      [{ count: 2 ** 21 }, { limit: null, views: 2 ** 21 }],
    ]) {
      writeFileSync(join(dir, 'dataset.json'), JSON.stringify({ ...settings, source: { ...settings.source, ...source }, plan: { ...settings.plan, ...plan } }));
      await failsFast(
        () => readDatasetSettings(dir),
        (e) => e instanceof DatasetError && e.message.includes(join(dir, 'dataset.json')) && /at most 2097152/.test(e.message),
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
