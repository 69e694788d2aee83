import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { npyFormat, encodeNpy } from '../../src/core/formats/npy';
import { MemoryByteSource, type ByteSource } from '../../src/core/io/byteSource';
import { FileByteSource } from '../../src/core/io/byteSource';
import { concatBytes as concat } from '../../src/core/io/bytes';
import { WeightFileError } from '../../src/core/errors';
import { WeightSet } from '../../src/core/weights/weightSet';
import type { DType } from '../../src/core/tensor/dtype';
import { expectedNumbers, fixturePath, readExpected, type ExpectedValue } from '../helpers/fixtures';
import { bits, mulberry32, randomFloat32Array, randomInt, randomShape, type Rng } from '../helpers/random';
import { rejectsWith } from '../helpers/errors';

type Expected = Record<string, { tensors: { name: string; dtype: string; shape: number[]; values: ExpectedValue[] }[] }>;

const expected = readExpected<Expected>('numpy', 'expected.json');

/** numpy descr → the DType the reader must report (the byte order is not part of the DType). */
const DESCR_DTYPE: Record<string, DType> = { f8: 'F64', f4: 'F32', f2: 'F16', i8: 'I64', i4: 'I32', i2: 'I16', i1: 'I8', u1: 'U8', b1: 'BOOL' };

/** An npy file with a hand-written header dict, padded the way numpy pads. */
function npyWithHeader(dict: string, data: Uint8Array = new Uint8Array(0), version = 1): Uint8Array {
  const start = version === 1 ? 10 : 12;
  const length = dict.length + 1 + 64 - ((start + dict.length + 1) % 64);
  const header = new Uint8Array(start + length).fill(0x20);
  header.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const v = new DataView(header.buffer);
  if (version === 1) v.setUint16(8, length, true);
  else v.setUint32(8, length, true);
  header.set(Buffer.from(dict, 'latin1'), start);
  header[header.length - 1] = 0x0a;
  return concat([header, data]);
}

const f32Bytes = (values: number[]): Uint8Array => new Uint8Array(Float32Array.from(values).buffer);

/** Random values including NaNs with random payloads and subnormals, as raw float32 bit patterns. */
function awkwardFloat32Array(rng: Rng, length: number): Float32Array {
  const values = randomFloat32Array(rng, length);
  const raw = bits(values);
  for (let i = 0; i < length; i++) {
    const r = rng();
    if (r < 0.05)
      raw[i] = (0x7f800001 + randomInt(rng, 0, 0x7ffffe)) | (rng() < 0.5 ? 0x80000000 : 0); // NaN payloads
    else if (r < 0.1) raw[i] = randomInt(rng, 1, 0x7fffff) | (rng() < 0.5 ? 0x80000000 : 0); // subnormals
  }
  return values;
}

for (const [file, want] of Object.entries(expected).filter(([f]) => f.endsWith('.npy'))) {
  test(`numpy fixture ${file} reads back its name, dtype, shape and values`, async () => {
    const reader = await npyFormat.open(await FileByteSource.open(fixturePath('numpy', file)));
    try {
      const t = want.tensors[0]!;
      assert.equal(reader.format, 'npy');
      assert.deepEqual(reader.metadata, {});
      assert.deepEqual(reader.tensors, [{ name: t.name, dtype: DESCR_DTYPE[t.dtype.slice(1)], shape: t.shape }]);
      // The float64 reference rounded to float32 is what the reader must give (exact for every dtype here).
      assert.deepEqual(Array.from(await reader.readTensor(t.name)), expectedNumbers(t.values).map(Math.fround));
    } finally {
      await reader.close();
    }
  });
}

test('encodeNpy writes exactly the bytes np.save writes for C-order float32 and float16 arrays', async () => {
  for (const file of ['v1_float32.npy', 'v1_float16.npy', 'scalar.npy', 'empty.npy']) {
    const bytes = new Uint8Array(readFileSync(fixturePath('numpy', file)));
    const reader = await npyFormat.open(new MemoryByteSource(bytes, file));
    const [info] = reader.tensors;
    const ours = concat(encodeNpy(await reader.readTensor(info!.name), info!.shape, info!.dtype as 'F32' | 'F16'));
    assert.deepEqual(ours, bytes, file);
  }
});

test('encodeNpy uses format 2.0 when the header does not fit 1.0, still 64-byte aligned', async () => {
  const shape = Array.from({ length: 25_000 }, () => 1);
  const [header] = encodeNpy(new Float32Array([2.5]), shape);
  assert.equal(header![6], 2);
  assert.equal(header!.length % 64, 0);
  assert.equal(header![header!.length - 1], 0x0a);
  const reader = await npyFormat.open(new MemoryByteSource(concat(encodeNpy(new Float32Array([2.5]), shape)), 'wide.npy'));
  assert.deepEqual(reader.tensors[0]!.shape, shape);
  assert.deepEqual(Array.from(await reader.readTensor('wide')), [2.5]);
});

test('npy round-trips random tensors bit-exactly as F32 and within half precision as F16', async () => {
  for (let seed = 1; seed <= 100; seed++) {
    const rng = mulberry32(seed);
    const shape = randomShape(rng);
    const data = awkwardFloat32Array(
      rng,
      shape.reduce((a, b) => a * b, 1),
    );
    const set = new WeightSet([{ name: 'w', shape, data, dtype: 'F32' }]);
    const reader = await npyFormat.open(new MemoryByteSource(concat(npyFormat.encode(set, 'x.npy')), `seed-${seed}.npy`));
    assert.deepEqual(reader.tensors, [{ name: `seed-${seed}`, dtype: 'F32', shape }], `seed ${seed}`);
    assert.deepEqual(bits(await reader.readTensor(`seed-${seed}`)), bits(data), `seed ${seed}`);

    const half = await npyFormat.open(new MemoryByteSource(concat(npyFormat.encode(set, 'x.npy', { dtype: 'F16' })), 'h.npy'));
    assert.equal(half.tensors[0]!.dtype, 'F16');
    const got = await half.readTensor('h');
    data.forEach((x, i) => {
      const y = got[i]!;
      if (Number.isNaN(x)) assert.ok(Number.isNaN(y), `seed ${seed} [${i}]`);
      else if (Math.abs(x) > 65520) assert.equal(y, Math.sign(x) * Infinity, `seed ${seed} [${i}] overflows`);
      else assert.ok(Math.abs(y - x) <= Math.max(Math.abs(x) * 2 ** -11, 2 ** -25), `seed ${seed} [${i}]: ${x} → ${y}`);
    });
  }
});

test('open reads only the header; readTensor reads only the data', async () => {
  const data = new Float32Array(100_000).map((_, i) => i);
  const bytes = concat(encodeNpy(data, [100, 1000]));
  const reads: [number, number][] = [];
  const inner = new MemoryByteSource(bytes, 'big.npy');
  const counting: ByteSource = { name: inner.name, size: inner.size, read: (o, l) => (reads.push([o, l]), inner.read(o, l)), close: () => inner.close() };
  const reader = await npyFormat.open(counting);
  assert.ok(
    reads.every(([o, l]) => o + l <= 128),
    `header reads only: ${JSON.stringify(reads)}`,
  );
  reads.length = 0;
  assert.deepEqual(bits(await reader.readTensor('big')), bits(data));
  assert.deepEqual(reads, [[128, 400_000]]);
});

test('Fortran-order arrays are reordered to row-major and report their logical shape', async () => {
  // Column-major 2×3 [[1, 2, 3], [4, 5, 6]] is stored 1 4 2 5 3 6.
  const file = npyWithHeader("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", f32Bytes([1, 4, 2, 5, 3, 6]));
  const reader = await npyFormat.open(new MemoryByteSource(file, 'f.npy'));
  assert.deepEqual(reader.tensors[0]!.shape, [2, 3]);
  assert.deepEqual(Array.from(await reader.readTensor('f')), [1, 2, 3, 4, 5, 6]);
});

test('the header parser accepts what numpy and older writers produce', async () => {
  const cases: [string, number[]][] = [
    ['{"shape": (3,), "fortran_order": False, "descr": "<f4"}', [3]], // any key order, double quotes, no trailing comma
    ["{'descr': '<f4',\n 'fortran_order': False,\n 'shape': (1L, 3L), }", [1, 3]], // Python 2 longs
    ["{'descr':'<f4','fortran_order':False,'shape':(3 , )}", [3]],
  ];
  for (const [dict, shape] of cases) {
    const reader = await npyFormat.open(new MemoryByteSource(npyWithHeader(dict, f32Bytes([1, 2, 3])), 'ok.npy'));
    assert.deepEqual(reader.tensors[0]!.shape, shape, dict);
    assert.deepEqual(Array.from(await reader.readTensor('ok')), [1, 2, 3], dict);
  }
});

test('malformed npy files give WeightFileErrors with the right code, naming the file', async () => {
  const good = concat(encodeNpy(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]));
  const open = (bytes: Uint8Array, name: string): Promise<unknown> => npyFormat.open(new MemoryByteSource(bytes, name));
  const header = (dict: string, data = f32Bytes([1, 2, 3])): Uint8Array => npyWithHeader(dict, data);
  await rejectsWith(open(good.subarray(0, 5), 'five.npy'), 'truncated', 'five.npy');
  await rejectsWith(open(good.subarray(0, 40), 'cut-header.npy'), 'truncated', 'cut-header.npy', /past the end/);
  const longHeader = good.slice();
  new DataView(longHeader.buffer).setUint16(8, 60000, true);
  await rejectsWith(open(longHeader, 'long-header.npy'), 'truncated', 'long-header.npy', /60010/);
  await rejectsWith(open(good.subarray(0, good.length - 4), 'short-data.npy'), 'shape-mismatch', 'short-data.npy', /needs 24 data bytes but there are 20/);
  await rejectsWith(open(concat([good, new Uint8Array(1)]), 'long-data.npy'), 'shape-mismatch', 'long-data.npy', /there are 25/);
  await rejectsWith(open(Buffer.from('not an npy file at all'), 'text.npy'), 'bad-header', 'text.npy', /NUMPY/);
  const v4 = good.slice();
  v4[6] = 4;
  await rejectsWith(open(v4, 'v4.npy'), 'unsupported', 'v4.npy', /version 4\.0/);
  for (const descr of ['<c8', '<u4', '<U3', '|f4', '<f16', 'float32']) {
    await rejectsWith(open(header(`{'descr': '${descr}', 'fortran_order': False, 'shape': (3,), }`), `dt.npy`), 'unknown-dtype', 'dt.npy', new RegExp(descr));
  }
  await rejectsWith(open(header("{'descr': '|O', 'fortran_order': False, 'shape': (3,), }"), 'obj.npy'), 'unsupported', 'obj.npy', /object arrays/);
  await rejectsWith(open(header("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (3,), }"), 'rec.npy'), 'unsupported', 'rec.npy', /structured/);
  const badHeaders: [string, RegExp][] = [
    ["{'descr': '<f4', 'fortran_order': False, 'shape': (-3,), }", /negative/],
    ["{'descr': '<f4', 'fortran_order': False, 'shape': (3.0,), }", /not an integer/],
    ["{'descr': '<f4', 'fortran_order': False, 'shape': 3, }", /tuple/],
    ["{'descr': '<f4', 'fortran_order': 0, 'shape': (3,), }", /fortran_order/],
    ["{'descr': '<f4', 'shape': (3,), }", /keys/],
    ["{'descr': '<f4', 'fortran_order': False, 'shape': (3,), 'x': 1}", /keys/],
    ["{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (3,)}", /duplicate/],
    ["{'descr': '<f4', 'fortran_order': False, 'shape': __import__('os').system('true')}", /cannot parse/],
    ["{'descr': '<f4', 'fortran_order': False, 'shape': (3,), ", /cannot parse/],
    ["{'descr': '<f4', 'fortran_order': False, 'shape': ((((((((((((((((((3,),),),),),),),),),),),),),),),),),)}", /nested/],
    ['[1, 2]', /not a dict/],
  ];
  for (const [dict, pattern] of badHeaders) await rejectsWith(open(header(dict), 'hdr.npy'), 'bad-header', 'hdr.npy', pattern);
  const v3Long = npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (3L,), }", f32Bytes([1, 2, 3]), 3);
  await rejectsWith(open(v3Long, 'v3.npy'), 'bad-header', 'v3.npy', /'L'/);
});

test('readTensor refuses other names; encode refuses sets that are not exactly one tensor', async () => {
  const one = WeightSet.fromArrays([{ name: 'a', shape: [2], data: [1, 2] }]);
  const reader = await npyFormat.open(new MemoryByteSource(concat(npyFormat.encode(one, 'a.npy')), '/data/weights.NPY'));
  assert.equal(reader.tensors[0]!.name, 'weights');
  await rejectsWith(reader.readTensor('a'), 'no-such-tensor', '/data/weights.NPY', /"weights"/);
  const two = WeightSet.fromArrays([...one.tensors, { name: 'b', shape: [], data: [3] }]);
  assert.throws(
    () => npyFormat.encode(two, 'two.npy'),
    (e: unknown) => e instanceof WeightFileError && e.code === 'invalid-value' && e.message.includes('two.npy'),
  );
  assert.throws(
    () => npyFormat.encode(new WeightSet([]), 'none.npy'),
    (e: unknown) => e instanceof WeightFileError && e.code === 'invalid-value',
  );
});

test('sniff recognises the npy magic only', () => {
  assert.equal(npyFormat.sniff(new Uint8Array(readFileSync(fixturePath('numpy', 'scalar.npy'))).subarray(0, 64)), true);
  assert.equal(npyFormat.sniff(Buffer.from('\x93NUMPZ')), false);
  assert.equal(npyFormat.sniff(Buffer.from('PK\x03\x04')), false);
  assert.equal(npyFormat.sniff(new Uint8Array(3)), false);
});
