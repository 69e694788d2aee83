/**
 * PyTorch .pt/.pth: every fixture torch.save wrote reads back to the values torch recorded
 * (expected.json, bit-exact in float32); malicious archives are refused without running anything;
 * damaged files give typed errors naming the file; our writer round-trips exactly through our reader,
 * and its files load in real PyTorch with torch.load(weights_only=True) when /usr/bin/python3 has torch.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WeightFileReader } from '../../src/core/formats/format';
import { pthFormat } from '../../src/core/formats/pth';
import { PickleWriter } from '../../src/core/formats/pickleWriter';
import { openWeightFile, readAll, readWeightSet, writeWeightSet } from '../../src/core/formats/registry';
import { readZipDirectory, writeZip, zipEntryDataOffset } from '../../src/core/formats/zip';
import { MemoryByteSource, type ByteSource } from '../../src/core/io/byteSource';
import { concatBytes } from '../../src/core/io/bytes';
import { floatToHalf, halfToFloat } from '../../src/core/tensor/dtype';
import { tensorStats, type TensorStats } from '../../src/core/weights/stats';
import { WeightSet } from '../../src/core/weights/weightSet';
import { type ExpectedValue, expectedNumbers, fixturePath, readExpected } from '../helpers/fixtures';
import { CHECK_TORCH_LOAD, PYTHON, torchUnavailable } from '../helpers/python';
import { bits, mulberry32, randomFloat32Array, randomInt, randomShape } from '../helpers/random';
import { rejectsWith } from '../helpers/errors';

interface ExpectedTensor {
  name: string;
  dtype: string;
  shape: number[];
  values: ExpectedValue[];
  stats?: TensorStats;
}
interface ExpectedFile {
  tensors?: ExpectedTensor[];
  metadata?: Record<string, string>;
  stats?: TensorStats;
  forbidden?: string;
  error?: string;
}

const expected = readExpected<Record<string, ExpectedFile>>('torch', 'expected.json');
const encoder = new TextEncoder();

/** Float32 values equal to torch's (recorded as float64) bit for bit; NaN matches NaN. */
function assertFloat32Values(actual: Float32Array, values: readonly ExpectedValue[], label: string): void {
  const want = expectedNumbers(values);
  assert.equal(actual.length, want.length, `${label}: length`);
  want.forEach((w, i) => assert.ok(Object.is(actual[i], Math.fround(w)), `${label}[${i}]: ${actual[i]} !== ${w}`));
}

function pwnedMarkers(): string[] {
  return readdirSync('/tmp').filter((f) => f.startsWith('wslab-pwned-'));
}

// ---- fixtures written by torch.save ----

for (const [file, entry] of Object.entries(expected)) {
  if (!entry.tensors) continue;
  test(`${file}: reads back to the values torch recorded`, async () => {
    const reader = await openWeightFile(fixturePath('torch', file));
    try {
      assert.equal(reader.format, 'pth');
      assert.deepEqual(reader.metadata, entry.metadata);
      assert.deepEqual(
        reader.tensors.map((t) => ({ name: t.name, dtype: t.dtype, shape: [...t.shape] })),
        entry.tensors!.map((t) => ({ name: t.name, dtype: t.dtype, shape: t.shape })),
      );
      for (const t of entry.tensors!) assertFloat32Values(await reader.readTensor(t.name), t.values, `${file} ${t.name}`);
    } finally {
      await reader.close();
    }
  });
}

test('siren.pth: statistics match the ones torch computed in float64', async () => {
  const entry = expected['siren.pth']!;
  const set = await readWeightSet(fixturePath('torch', 'siren.pth'));
  const compare = (actual: TensorStats, want: TensorStats, label: string): void => {
    assert.equal(actual.params, want.params, label);
    assert.equal(actual.min, want.min, `${label} min`);
    assert.equal(actual.max, want.max, `${label} max`);
    assert.ok(Math.abs(actual.mean! - want.mean!) <= 1e-12 * Math.max(1, Math.abs(want.mean!)), `${label} mean ${actual.mean} vs ${want.mean}`);
    assert.ok(Math.abs(actual.std! - want.std!) <= 1e-12 * Math.max(1, want.std!), `${label} std ${actual.std} vs ${want.std}`);
    assert.equal(actual.zerosPct, want.zerosPct, `${label} zerosPct`);
    assert.equal(actual.nonFinite, want.nonFinite, `${label} nonFinite`);
  };
  for (const t of entry.tensors!) compare(tensorStats(set.get(t.name).data), t.stats!, t.name);
  const all = Float32Array.from(set.tensors.flatMap((t) => Array.from(t.data)));
  compare(tensorStats(all), entry.stats!, 'all parameters');
});

test('nested.pth: a tensor stored under two names is one storage, read twice', async () => {
  const set = await readWeightSet(fixturePath('torch', 'nested.pth'));
  assert.deepEqual(bits(set.get('tied.a').data), bits(set.get('tied.b').data));
});

for (const [file, entry] of Object.entries(expected)) {
  if (!entry.forbidden) continue;
  test(`${file}: refused as naming ${entry.forbidden}, and nothing runs`, async () => {
    const path = fixturePath('torch', file);
    const quoted = entry.forbidden!.replace(/\./g, '\\.');
    await rejectsWith(openWeightFile(path), 'forbidden-global', path, new RegExp(`refusing to load: the pickle references the global "${quoted}"`));
    assert.deepEqual(pwnedMarkers(), [], 'no /tmp/wslab-pwned-* marker exists');
  });
}

test('legacy.pth (pre-1.6 format): unsupported, with advice', async () => {
  const path = fixturePath('torch', 'legacy.pth');
  assert.equal(expected['legacy.pth']!.error, 'unsupported');
  await rejectsWith(openWeightFile(path), 'unsupported', path, /legacy \(pre-1\.6\) torch\.save format; re-save it with torch >= 1\.6/);
});

test('sniff: zip archives and pickles (PROTO 2–5), nothing else', () => {
  assert.ok(pthFormat.sniff(readFileSync(fixturePath('torch', 'siren.pth')).subarray(0, 64)));
  assert.ok(pthFormat.sniff(readFileSync(fixturePath('torch', 'legacy.pth')).subarray(0, 64)));
  assert.ok(!pthFormat.sniff(encoder.encode('{"a": 1}')));
  assert.ok(!pthFormat.sniff(Uint8Array.from([0x80, 0x06])));
});

// ---- laziness ----

/** A ByteSource that records every range read. */
class RecordingSource implements ByteSource {
  readonly reads: Array<[number, number]> = [];
  constructor(private readonly inner: ByteSource) {}
  get name(): string {
    return this.inner.name;
  }
  get size(): number {
    return this.inner.size;
  }
  read(offset: number, length: number): Promise<Uint8Array> {
    this.reads.push([offset, offset + length]);
    return this.inner.read(offset, length);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

test('open reads only headers (zip end records, data.pkl), never tensor data', async () => {
  const big = WeightSet.fromArrays([{ name: 'big', shape: [500, 1000], data: new Float32Array(500_000) }]);
  const source = new RecordingSource(new MemoryByteSource(concatBytes(pthFormat.encode(big, 'big.pth')), 'big.pth'));
  await pthFormat.open(source);
  const bytesRead = source.reads.reduce((n, [a, b]) => n + b - a, 0);
  assert.ok(source.size > 2_000_000 && bytesRead < 70_000, `open read ${bytesRead} of ${source.size} bytes`);
});

test('readTensor reads only the bytes a view touches', async () => {
  const memory = new MemoryByteSource(readFileSync(fixturePath('torch', 'views.pth')), 'views.pth');
  const [storage] = (await readZipDirectory(memory)).filter((e) => e.name.includes('/data/'));
  const start = await zipEntryDataOffset(memory, storage!);
  const source = new RecordingSource(memory);
  const reader = await pthFormat.open(source);
  source.reads.length = 0;
  await reader.readTensor('row'); // base[1]: elements 6..11 of the 24
  const dataReads = source.reads.filter(([a, b]) => a < start + storage!.size && b > start);
  assert.deepEqual(dataReads, [[start + 6 * 4, start + 12 * 4]]);
});

// ---- damaged and hand-made archives ----

function archive(name: string, files: Record<string, Uint8Array | string>, compress: string[] = []): MemoryByteSource {
  const entries = Object.entries(files).map(([n, data]) => ({
    name: n,
    data: typeof data === 'string' ? encoder.encode(data) : data,
    compress: compress.includes(n),
  }));
  return new MemoryByteSource(concatBytes(writeZip(entries, { align: 64 })), name);
}

interface ViewSpec {
  rebuild?: string;
  storageType?: string;
  key?: string;
  numel: number;
  offset?: number;
  size: number[];
  stride: number[];
}

/** data.pkl of an OrderedDict {'t': tensor} built as torch does, with the view's fields as given. */
function viewPickle(spec: ViewSpec): Uint8Array {
  const p = new PickleWriter(2).global('collections', 'OrderedDict').emptyTuple().reduce().mark().string('t');
  if (spec.rebuild === 'parameter_with_state') p.global('torch._utils', '_rebuild_parameter_with_state').mark();
  p.global('torch._utils', '_rebuild_tensor_v2').mark();
  p.mark()
    .string('storage')
    .global('torch', spec.storageType ?? 'FloatStorage')
    .string(spec.key ?? '0')
    .string('cpu')
    .int(spec.numel);
  p.tupleFromMark()
    .binPersId()
    .int(spec.offset ?? 0)
    .intTuple(spec.size)
    .intTuple(spec.stride)
    .bool(false);
  p.global('collections', 'OrderedDict').emptyTuple().reduce().tupleFromMark().reduce();
  if (spec.rebuild === 'parameter_with_state') {
    p.bool(true).global('collections', 'OrderedDict').emptyTuple().reduce();
    p.global('collections', 'OrderedDict').emptyTuple().reduce().tupleFromMark().reduce();
  }
  return p.setItems().stop();
}

function float32Bytes(values: number[], littleEndian = true): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  values.forEach((v, i) => new DataView(out.buffer).setFloat32(i * 4, v, littleEndian));
  return out;
}

async function readOnly(source: ByteSource, name = 't'): Promise<Float32Array> {
  const reader = await pthFormat.open(source);
  return reader.readTensor(name);
}

test('a hand-made view: offset and strides are honoured, also from a deflated storage', async () => {
  const storage = float32Bytes([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const data = viewPickle({ numel: 10, offset: 1, size: [2, 3], stride: [1, 3] }); // transposed 3×2 block from 1
  assert.deepEqual(Array.from(await readOnly(archive('v.pth', { 'a/data.pkl': data, 'a/data/0': storage }))), [1, 4, 7, 2, 5, 8]);
  const deflated = archive('v.pth', { 'a/data.pkl': data, 'a/data/0': storage }, ['a/data/0']);
  assert.deepEqual(Array.from(await readOnly(deflated)), [1, 4, 7, 2, 5, 8]);
});

test('byteorder "big" decodes big-endian storages', async () => {
  const source = archive('big.pth', {
    'a/data.pkl': viewPickle({ numel: 3, size: [3], stride: [1] }),
    'a/byteorder': 'big',
    'a/data/0': float32Bytes([1.5, -2, 1e-3], false),
  });
  assert.deepEqual(await readOnly(source), Float32Array.from([1.5, -2, 1e-3]));
  const bad = archive('odd.pth', { 'a/data.pkl': viewPickle({ numel: 0, size: [0], stride: [1] }), 'a/byteorder': 'middle' });
  await rejectsWith(pthFormat.open(bad), 'bad-header', 'odd.pth', /"middle"/);
});

test('_rebuild_parameter_with_state (torch >= 2) yields the tensor', async () => {
  const source = archive('p.pth', {
    'a/data.pkl': viewPickle({ rebuild: 'parameter_with_state', numel: 2, size: [2], stride: [1] }),
    'a/data/0': float32Bytes([3, 4]),
  });
  assert.deepEqual(Array.from(await readOnly(source)), [3, 4]);
});

test('damaged archives give typed errors that name the file', async () => {
  const siren = readFileSync(fixturePath('torch', 'siren.pth'));
  await rejectsWith(pthFormat.open(new MemoryByteSource(siren.subarray(0, siren.length >> 1), 'cut.pth')), 'truncated', 'cut.pth');

  const whole = new Uint8Array(viewPickle({ numel: 2, size: [2], stride: [1] }));
  const cutPickle = archive('pkl.pth', { 'a/data.pkl': whole.subarray(0, whole.length - 20), 'a/data/0': float32Bytes([1, 2]) });
  await rejectsWith(pthFormat.open(cutPickle), 'truncated', 'pkl.pth');

  const unknownOp = archive('op.pth', { 'a/data.pkl': Uint8Array.from([0x80, 0x02, 0xff, 0x2e]) });
  await rejectsWith(pthFormat.open(unknownOp), 'bad-header', 'op.pth', /unknown pickle opcode 0xff at byte 2/);

  const small = archive('small.pth', { 'a/data.pkl': viewPickle({ numel: 4, size: [4], stride: [1] }), 'a/data/0': float32Bytes([1, 2, 3]) });
  await rejectsWith(pthFormat.open(small), 'truncated', 'small.pth', /should hold 4 F32 values \(16 bytes\), but a\/data\/0 has 12 bytes/);

  const outside = archive('oob.pth', {
    'a/data.pkl': viewPickle({ numel: 6, offset: 1, size: [2, 3], stride: [3, 1] }),
    'a/data/0': float32Bytes([1, 2, 3, 4, 5, 6]),
  });
  await rejectsWith(pthFormat.open(outside), 'out-of-bounds', 'oob.pth', /reaches element 6, but the storage has 6 elements/);

  const missing = archive('key.pth', { 'a/data.pkl': viewPickle({ key: '7', numel: 1, size: [1], stride: [1] }) });
  await rejectsWith(pthFormat.open(missing), 'bad-header', 'key.pth', /storage "7", but the archive has no entry a\/data\/7/);

  const complex = archive('cx.pth', {
    'a/data.pkl': viewPickle({ storageType: 'ComplexFloatStorage', numel: 1, size: [1], stride: [1] }),
    'a/data/0': new Uint8Array(8),
  });
  await rejectsWith(pthFormat.open(complex), 'unknown-dtype', 'cx.pth', /torch\.ComplexFloatStorage/);

  const negative = archive('neg.pth', { 'a/data.pkl': viewPickle({ numel: 1, size: [-1], stride: [1] }), 'a/data/0': float32Bytes([1]) });
  await rejectsWith(pthFormat.open(negative), 'bad-header', 'neg.pth', /size must be a non-negative integer, got -1/);

  const mismatched = archive('rank.pth', { 'a/data.pkl': viewPickle({ numel: 1, size: [1, 1], stride: [1] }), 'a/data/0': float32Bytes([1]) });
  await rejectsWith(pthFormat.open(mismatched), 'bad-header', 'rank.pth', /2 sizes but 1 strides/);

  await rejectsWith(pthFormat.open(archive('nopkl.pth', { 'a/weights.bin': 'x' })), 'unknown-format', 'nopkl.pth', /data\.pkl/);
  await rejectsWith(pthFormat.open(new MemoryByteSource(Uint8Array.from([0x80, 0x02, 0x4e, 0x2e]), 'bare.pth')), 'unknown-format', 'bare.pth', /bare pickle/);
  await rejectsWith(pthFormat.open(new MemoryByteSource(encoder.encode('hello'), 'text.pth')), 'unknown-format', 'text.pth');

  const ok = await pthFormat.open(archive('ok.pth', { 'a/data.pkl': viewPickle({ numel: 1, size: [], stride: [] }), 'a/data/0': float32Bytes([9]) }));
  await rejectsWith(ok.readTensor('nope'), 'no-such-tensor', 'ok.pth', /"nope"/);
});

test('a state dict nested deeper than 64 levels is refused, not walked recursively', async () => {
  const p = new PickleWriter(2);
  for (let i = 0; i < 70; i++) p.global('collections', 'OrderedDict').emptyTuple().reduce().mark().string('k');
  p.int(1);
  for (let i = 0; i < 70; i++) p.setItems();
  await rejectsWith(pthFormat.open(archive('deep.pth', { 'a/data.pkl': p.stop() })), 'unsupported', 'deep.pth', /nested more than 64 levels/);
});

// ---- writing ----

function randomWeightSet(seed: number): WeightSet {
  const rng = mulberry32(seed);
  const count = randomInt(rng, 0, 6);
  const tensors = Array.from({ length: count }, (_, i) => {
    const shape = randomShape(rng);
    const data = randomFloat32Array(
      rng,
      shape.reduce((n, d) => n * d, 1),
    );
    return { name: `layer.${i}.${['weight', 'bias', 'ünï ✓'][i % 3]}`, shape, data };
  });
  return WeightSet.fromArrays(tensors, rng() < 0.5 ? {} : { label: String(randomInt(rng, 0, 9)), note: `seed ${seed} "quoted"` });
}

async function reopen(chunks: Uint8Array[], name: string): Promise<WeightFileReader> {
  return pthFormat.open(new MemoryByteSource(concatBytes(chunks), name));
}

test('writer → reader round-trips seeded random WeightSets bit-exactly (F32) and as rounded halves (F16)', async () => {
  for (let seed = 1; seed <= 40; seed++) {
    const set = randomWeightSet(seed);
    const f32 = await readAll(await reopen(pthFormat.encode(set, `/tmp/run-${seed}.pth`), `f32-${seed}.pth`));
    assert.deepEqual(f32.metadata, set.metadata, `seed ${seed}: metadata`);
    assert.deepEqual(f32.names, set.names, `seed ${seed}: names`);
    for (const t of set.tensors) {
      const back = f32.get(t.name);
      assert.deepEqual([...back.shape], [...t.shape], `seed ${seed} ${t.name}: shape`);
      assert.equal(back.dtype, 'F32');
      assert.deepEqual(bits(back.data), bits(t.data), `seed ${seed} ${t.name}: values`);
    }
    const f16 = await readAll(await reopen(pthFormat.encode(set, 'half.pth', { dtype: 'F16' }), `f16-${seed}.pth`));
    for (const t of set.tensors) {
      const back = f16.get(t.name);
      assert.equal(back.dtype, 'F16');
      const rounded = Float32Array.from(t.data, (v) => halfToFloat(floatToHalf(v)));
      rounded.forEach((v, i) => assert.ok(Object.is(back.data[i], v) || (Number.isNaN(v) && Number.isNaN(back.data[i])), `seed ${seed} ${t.name}[${i}]`));
    }
  }
});

test('written archives: named after the file, storages stored and 64-byte aligned, metadata apart', async () => {
  const set = WeightSet.fromArrays([{ name: 'w', shape: [2], data: [1, 2] }], { label: '4' });
  const source = new MemoryByteSource(concatBytes(pthFormat.encode(set, '/some/dir/my-net.v2.pth')), 'out.pth');
  const entries = await readZipDirectory(source);
  assert.deepEqual(
    entries.map((e) => e.name),
    ['my_net_v2/data.pkl', 'my_net_v2/byteorder', 'my_net_v2/data/0', 'my_net_v2/wslab_metadata.json', 'my_net_v2/version'],
  );
  for (const e of entries) {
    assert.equal(e.method, 0, `${e.name} is stored`);
    assert.equal((await zipEntryDataOffset(source, e)) % 64, 0, `${e.name} is aligned`);
  }
  const reader = await pthFormat.open(source);
  assert.deepEqual(reader.metadata, { label: '4' });
  assert.deepEqual(
    reader.tensors.map((t) => t.name),
    ['w'],
    'metadata is not in the state dict',
  );
});

// ---- PyTorch interop ----

test('files we write load in PyTorch (torch.load weights_only=True) with the same values', async (t) => {
  const missing = torchUnavailable();
  if (missing) {
    t.skip(`${missing}; install python3-torch to run this interop check`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'wslab-pth-'));
  try {
    const edgeCases = WeightSet.fromArrays(
      [
        { name: 'scalar', shape: [], data: [0.1] },
        { name: 'empty', shape: [0, 3], data: [] },
        { name: 'special', shape: [2, 3], data: [NaN, -0, Infinity, -Infinity, 1.4e-45, 3.4028235e38] },
      ],
      { label: '2' },
    );
    const sets: Array<{ path: string; set: WeightSet; dtype: 'F32' | 'F16' }> = [];
    for (const dtype of ['F32', 'F16'] as const) {
      const path = join(dir, `edge-cases-${dtype}.pt`);
      await writeWeightSet(path, edgeCases, { dtype });
      sets.push({ path, set: edgeCases, dtype });
    }
    for (let seed = 100; seed < 106; seed++) {
      const dtype = seed % 2 === 0 ? 'F32' : 'F16';
      const path = join(dir, `net-${seed}.pth`);
      const set = randomWeightSet(seed);
      await writeWeightSet(path, set, { dtype });
      sets.push({ path, set, dtype });
    }
    const output = execFileSync(PYTHON, [CHECK_TORCH_LOAD, ...sets.map((s) => s.path)], { encoding: 'utf8', maxBuffer: 64 * 1024 ** 2 });
    const loaded = JSON.parse(output) as Record<string, { tensors: Array<{ name: string; dtype: string; shape: number[]; values: ExpectedValue[] }> }>;
    for (const { path, set, dtype } of sets) {
      const torchTensors = loaded[path]!.tensors;
      assert.deepEqual(
        torchTensors.map((x) => x.name),
        set.names,
        `${path}: torch sees exactly our tensors`,
      );
      const ours = await readWeightSet(path);
      for (const tt of torchTensors) {
        assert.equal(tt.dtype, dtype === 'F16' ? 'torch.float16' : 'torch.float32');
        assert.deepEqual(tt.shape, [...ours.get(tt.name).shape], `${path} ${tt.name}: shape`);
        assertFloat32Values(ours.get(tt.name).data, tt.values, `${path} ${tt.name}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
