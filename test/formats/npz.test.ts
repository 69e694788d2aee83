import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { npzFormat } from '../../src/core/formats/npz';
import { encodeNpy } from '../../src/core/formats/npy';
import { readZipDirectory, writeZip } from '../../src/core/formats/zip';
import { detectFormat } from '../../src/core/formats/registry';
import { FileByteSource, MemoryByteSource, type ByteSource } from '../../src/core/io/byteSource';
import { concatBytes as concat } from '../../src/core/io/bytes';
import { WeightFileError } from '../../src/core/errors';
import { WeightSet } from '../../src/core/weights/weightSet';
import type { DType } from '../../src/core/tensor/dtype';
import { expectedNumbers, fixturePath, readExpected, type ExpectedValue } from '../helpers/fixtures';
import { bits, mulberry32, randomFloat32Array, randomInt, randomShape } from '../helpers/random';
import { rejectsWith } from '../helpers/errors';

type Expected = Record<string, { tensors: { name: string; dtype: string; shape: number[]; values: ExpectedValue[] }[] }>;

const expected = readExpected<Expected>('numpy', 'expected.json');

const DESCR_DTYPE: Record<string, DType> = { f8: 'F64', f4: 'F32', f2: 'F16', i8: 'I64', i4: 'I32', i2: 'I16', i1: 'I8', u1: 'U8', b1: 'BOOL' };

/** A ByteSource that records every read. */
function counting(inner: ByteSource): { source: ByteSource; bytesRead: () => number } {
  let total = 0;
  return {
    source: { name: inner.name, size: inner.size, read: (o, l) => ((total += l), inner.read(o, l)), close: () => inner.close() },
    bytesRead: () => total,
  };
}

const npy = (values: number[], shape: number[]): Uint8Array => concat(encodeNpy(Float32Array.from(values), shape));

for (const [file, want] of Object.entries(expected).filter(([f]) => f.endsWith('.npz'))) {
  test(`numpy fixture ${file} reads back every array's name, dtype, shape and values`, async () => {
    const reader = await npzFormat.open(await FileByteSource.open(fixturePath('numpy', file)));
    try {
      assert.equal(reader.format, 'npz');
      assert.deepEqual(reader.metadata, {});
      assert.deepEqual(
        reader.tensors,
        want.tensors.map((t) => ({ name: t.name, dtype: DESCR_DTYPE[t.dtype.slice(1)], shape: t.shape })),
      );
      for (const t of want.tensors) {
        assert.deepEqual(Array.from(await reader.readTensor(t.name)), expectedNumbers(t.values).map(Math.fround), t.name);
      }
    } finally {
      await reader.close();
    }
  });
}

test('npz round-trips random WeightSets bit-exactly as F32 and within half precision as F16', async () => {
  for (let seed = 1; seed <= 50; seed++) {
    const rng = mulberry32(seed);
    const set = WeightSet.fromArrays(
      Array.from({ length: randomInt(rng, 1, 6) }, (_, i) => {
        const shape = randomShape(rng);
        const data = randomFloat32Array(
          rng,
          shape.reduce((a, b) => a * b, 1),
        );
        const raw = bits(data);
        raw.forEach((_, j) => rng() < 0.05 && (raw[j] = (0x7fc00000 + randomInt(rng, 0, 0x3fffff)) >>> 0)); // NaN payloads
        return { name: `layer.${i}/w${randomInt(rng, 0, 9)}`, shape, data };
      }),
    );
    const reader = await npzFormat.open(new MemoryByteSource(concat(npzFormat.encode(set, 'x.npz')), `seed-${seed}.npz`));
    assert.deepEqual(
      reader.tensors,
      set.tensors.map((t) => ({ name: t.name, dtype: 'F32', shape: t.shape })),
      `seed ${seed}`,
    );
    for (const t of set.tensors) assert.deepEqual(bits(await reader.readTensor(t.name)), bits(t.data), `seed ${seed} ${t.name}`);

    const half = await npzFormat.open(new MemoryByteSource(concat(npzFormat.encode(set, 'x.npz', { dtype: 'F16' })), 'h.npz'));
    for (const t of set.tensors) {
      assert.equal(half.tensors.find((h) => h.name === t.name)!.dtype, 'F16');
      const got = await half.readTensor(t.name);
      t.data.forEach((x, i) => {
        const y = got[i]!;
        if (Number.isNaN(x)) assert.ok(Number.isNaN(y));
        else if (Math.abs(x) > 65520) assert.equal(y, Math.sign(x) * Infinity);
        else assert.ok(Math.abs(y - x) <= Math.max(Math.abs(x) * 2 ** -11, 2 ** -25), `seed ${seed} ${t.name}[${i}]: ${x} → ${y}`);
      });
    }
  }
});

test('encode writes stored members named NAME.npy, as np.savez does', async () => {
  const set = WeightSet.fromArrays([
    { name: 'w', shape: [2, 2], data: [1, 2, 3, 4] },
    { name: 'b', shape: [2], data: [5, 6] },
  ]);
  const entries = await readZipDirectory(new MemoryByteSource(concat(npzFormat.encode(set, 'x.npz'))));
  assert.deepEqual(
    entries.map((e) => [e.name, e.method]),
    [
      ['w.npy', 0],
      ['b.npy', 0],
    ],
  );
  assert.throws(
    () => npzFormat.encode(new WeightSet([]), 'empty.npz'),
    (e: unknown) => e instanceof WeightFileError && e.code === 'invalid-value' && e.message.includes('empty.npz'),
  );
});

test('open reads only the directory and the npy headers, for stored and for deflated members', async () => {
  const data = new Float32Array(250_000).map((_, i) => Math.sin(i) * (i % 17));
  for (const compress of [false, true]) {
    const archive = concat(
      writeZip([
        { name: 'big.npy', data: encodeNpy(data, [500, 500]), compress },
        { name: 'small.npy', data: npy([1, 2], [2]), compress },
      ]),
    );
    const { source, bytesRead } = counting(new MemoryByteSource(archive, 'big.npz'));
    const reader = await npzFormat.open(source);
    assert.deepEqual(
      reader.tensors.map((t) => t.shape),
      [[500, 500], [2]],
    );
    assert.ok(bytesRead() < 80_000, `compress=${compress}: open read ${bytesRead()} of ${archive.length} bytes`);
    assert.deepEqual(bits(await reader.readTensor('big')), bits(data), `compress=${compress}`);
  }
});

test('zips that are not npz archives are refused as unknown-format', async () => {
  const torchLike = concat(
    writeZip([
      { name: 'archive/data.pkl', data: new Uint8Array([0x80, 2]) },
      { name: 'archive/data/0', data: new Uint8Array(8) },
    ]),
  );
  await rejectsWith(npzFormat.open(new MemoryByteSource(torchLike, 'model.pth')), 'unknown-format', 'model.pth', /PyTorch/);
  const withNpyToo = concat(
    writeZip([
      { name: 'data.pkl', data: new Uint8Array(1) },
      { name: 'a.npy', data: npy([1], [1]) },
    ]),
  );
  await rejectsWith(npzFormat.open(new MemoryByteSource(withNpyToo, 'mixed.npz')), 'unknown-format', 'mixed.npz', /PyTorch/);
  const noNpy = concat(writeZip([{ name: 'readme.txt', data: new Uint8Array(3) }]));
  await rejectsWith(npzFormat.open(new MemoryByteSource(noNpy, 'docs.npz')), 'unknown-format', 'docs.npz', /no \.npy members/);
  await rejectsWith(npzFormat.open(new MemoryByteSource(concat(writeZip([])), 'empty.npz')), 'unknown-format', 'empty.npz');
});

test('malformed npz archives and members give WeightFileErrors naming the file and the member', async () => {
  const good = concat(npzFormat.encode(WeightSet.fromArrays([{ name: 'w', shape: [2, 3], data: [1, 2, 3, 4, 5, 6] }]), 'x.npz'));
  const open = (bytes: Uint8Array, name: string): Promise<unknown> => npzFormat.open(new MemoryByteSource(bytes, name));
  await rejectsWith(open(good.subarray(0, good.length - 30), 'cut.npz'), 'truncated', 'cut.npz');
  const shortMember = concat(writeZip([{ name: 'w.npy', data: npy([1, 2, 3, 4, 5, 6], [2, 3]).subarray(0, 140) }]));
  await rejectsWith(open(shortMember, 'short.npz'), 'shape-mismatch', 'short.npz', /member "w\.npy".*needs 24 data bytes but there are 12/);
  const headerOnly = concat(writeZip([{ name: 'w.npy', data: npy([1], [1]).subarray(0, 60) }]));
  await rejectsWith(open(headerOnly, 'header.npz'), 'truncated', 'header.npz', /member "w\.npy"/);
  const badDtype = npy([1, 2], [2]);
  badDtype.set(Buffer.from('<c4'), badDtype.indexOf(0x3c)); // '<f4' → '<c4'
  await rejectsWith(
    open(concat(writeZip([{ name: 'c.npy', data: badDtype, compress: true }])), 'dtype.npz'),
    'unknown-dtype',
    'dtype.npz',
    /member "c\.npy".*<c4/,
  );
  const flipped = good.slice();
  flipped[good.indexOf(0x40) /* 2.0f's high byte */]! ^= 1;
  const reader = await npzFormat.open(new MemoryByteSource(flipped, 'crc.npz'));
  await rejectsWith(reader.readTensor('w'), 'bad-header', 'crc.npz', /w\.npy.*CRC-32/);
  await rejectsWith(reader.readTensor('nope'), 'no-such-tensor', 'crc.npz', /"nope"/);
});

test('a deflated member claiming a huge size fails at open, before anything that large is allocated', async () => {
  const archive = concat(writeZip([{ name: 'w.npy', data: npy([1, 2, 3], [3]), compress: true }]));
  const v = new DataView(archive.buffer);
  const central = v.getUint32(archive.length - 22 + 16, true);
  v.setUint32(central + 24, 0xf0000000, true); // uncompressed size: 3.75 GiB from a few dozen bytes
  const before = process.memoryUsage().arrayBuffers;
  await rejectsWith(npzFormat.open(new MemoryByteSource(archive, 'bomb.npz')), 'bad-header', 'bomb.npz', /w\.npy.*more than deflate can produce/);
  assert.ok(process.memoryUsage().arrayBuffers - before < 64 * 1024 * 1024);
});

test('sniff claims zip archives and detectFormat picks npz for .npz files', async () => {
  const bytes = new Uint8Array(readFileSync(fixturePath('numpy', 'savez.npz')));
  assert.equal(npzFormat.sniff(bytes.subarray(0, 64)), true);
  assert.equal(npzFormat.sniff(concat(writeZip([])).subarray(0, 64)), true);
  assert.equal(npzFormat.sniff(Buffer.from('\x93NUMPY')), false);
  assert.equal((await detectFormat(new MemoryByteSource(bytes, 'weights.npz'))).name, 'npz');
});
