import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { safetensorsFormat } from '../../src/core/formats/safetensors';
import { openWeightFile, readWeightSet, writeWeightSet } from '../../src/core/formats/registry';
import { MemoryByteSource } from '../../src/core/io/byteSource';
import { WeightFileError } from '../../src/core/errors';
import { WeightSet } from '../../src/core/weights/weightSet';
import { expectedNumbers, fixturePath, readExpected, type ExpectedValue } from '../helpers/fixtures';
import { bits, mulberry32, randomFloat32Array, randomInt, randomShape } from '../helpers/random';
import { concatBytes as concat } from '../../src/core/io/bytes';

type Expected = Record<string, { metadata: Record<string, string>; tensors: { name: string; dtype: string; shape: number[]; values: ExpectedValue[] }[] }>;

const expected = readExpected<Expected>('safetensors', 'expected.json');

for (const [file, want] of Object.entries(expected)) {
  test(`safetensors fixture ${file} reads back every tensor, dtype, shape and metadata`, async () => {
    const reader = await openWeightFile(fixturePath('safetensors', file));
    try {
      assert.equal(reader.format, 'safetensors');
      assert.deepEqual(reader.metadata, want.metadata);
      assert.deepEqual(
        reader.tensors.map((t) => [t.name, t.dtype, t.shape]),
        want.tensors.map((t) => [t.name, t.dtype, t.shape]),
      );
      for (const t of want.tensors) {
        const got = Array.from(await reader.readTensor(t.name));
        // Values are compared after rounding the float64 reference to float32: every dtype here except F64
        // and I64 (> 2^24) is exact in float32, and those two are exactly the float32 rounding.
        assert.deepEqual(got, expectedNumbers(t.values).map(Math.fround), `tensor ${t.name}`);
      }
    } finally {
      await reader.close();
    }
  });
}

test('safetensors round-trips random WeightSets bit-exactly, with metadata', async () => {
  for (let seed = 1; seed <= 50; seed++) {
    const rng = mulberry32(seed);
    const count = randomInt(rng, 0, 6);
    const set = WeightSet.fromArrays(
      Array.from({ length: count }, (_, i) => {
        const shape = randomShape(rng);
        return {
          name: `t${i}.${randomInt(rng, 0, 99)}`,
          shape,
          data: randomFloat32Array(
            rng,
            shape.reduce((a, b) => a * b, 1),
          ),
        };
      }),
      { label: String(randomInt(rng, 0, 9)), provenance: `seed ${seed} ✓` },
    );
    const bytes = concat(safetensorsFormat.encode(set, 'x.safetensors'));
    const reader = await safetensorsFormat.open(new MemoryByteSource(bytes, `seed-${seed}.safetensors`));
    assert.deepEqual(reader.metadata, set.metadata, `seed ${seed}`);
    assert.deepEqual(
      reader.tensors.map((t) => [t.name, t.shape]),
      set.tensors.map((t) => [t.name, t.shape]),
      `seed ${seed}`,
    );
    for (const t of set.tensors) assert.deepEqual(bits(await reader.readTensor(t.name)), bits(t.data), `seed ${seed} ${t.name}`);
  }
});

test('safetensors F16 writing rounds to the nearest half', async () => {
  const values = Float32Array.from([0, 1, -2.5, 65504, 1e-8, 0.1, 70000]);
  const set = WeightSet.fromArrays([{ name: 'h', shape: [values.length], data: values }]);
  const reader = await safetensorsFormat.open(new MemoryByteSource(concat(safetensorsFormat.encode(set, 'h', { dtype: 'F16' })), 'h'));
  assert.equal(reader.tensors[0]!.dtype, 'F16');
  const got = await reader.readTensor('h');
  // 0.1 is not a half: the nearest half is 0.0999755859375; 1e-8 underflows to 0; 70000 overflows to Inf.
  assert.deepEqual(Array.from(got), [0, 1, -2.5, 65504, 0, 0.0999755859375, Infinity]);
});

test('writeWeightSet writes atomically and readWeightSet reads it back', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wslab-st-'));
  const path = join(dir, 'w.safetensors');
  const set = WeightSet.fromArrays([{ name: 'a', shape: [2], data: [1, 2] }], { label: '4' });
  await writeWeightSet(path, set);
  const back = await readWeightSet(path);
  assert.equal(back.label, 4);
  assert.deepEqual(Array.from(back.get('a').data), [1, 2]);
});

// ---- malformed input: each gives a typed error naming the file and the problem ----

function header(json: unknown, dataBytes = 0, lengthOverride?: bigint): Uint8Array {
  const text = new TextEncoder().encode(JSON.stringify(json));
  const out = new Uint8Array(8 + text.byteLength + dataBytes);
  new DataView(out.buffer).setBigUint64(0, lengthOverride ?? BigInt(text.byteLength), true);
  out.set(text, 8);
  return out;
}

async function expectError(bytes: Uint8Array, code: string, pattern: RegExp): Promise<void> {
  const name = `/ws/bad-${code}.safetensors`;
  await assert.rejects(safetensorsFormat.open(new MemoryByteSource(bytes, name)), (e: unknown) => {
    assert.ok(e instanceof WeightFileError, `expected WeightFileError, got ${String(e)}`);
    assert.equal(e.code, code);
    assert.ok(e.message.includes(name), `message names the file: ${e.message}`);
    assert.match(e.message, pattern);
    return true;
  });
}

const ok = { a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } };

test('safetensors: a truncated file is refused', async () => {
  const good = header(ok, 8);
  await expectError(good.subarray(0, 5), 'truncated', /header length/);
  await expectError(good.subarray(0, good.byteLength - 3), 'out-of-bounds', /run past the data buffer/);
});

test('safetensors: a header length past the end of the file is refused', async () => {
  await expectError(header(ok, 8, 10_000n), 'truncated', /runs past the end/);
  await expectError(header(ok, 8, 2n ** 62n), 'bad-header', /exceeds/);
});

test('safetensors: offsets out of bounds, overlapping or inconsistent with the shape are refused', async () => {
  await expectError(header({ a: { dtype: 'F32', shape: [2], data_offsets: [8, 16] } }, 8), 'out-of-bounds', /"a"/);
  await expectError(
    header({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } }, 12),
    'overlap',
    /"a" and "b"/,
  );
  await expectError(header({ a: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, 8), 'shape-mismatch', /needs 12 bytes/);
  await expectError(header({ a: { dtype: 'F32', shape: [2], data_offsets: [8, 0] } }, 8), 'bad-header', /before begin/);
  await expectError(header({ a: { dtype: 'F32', shape: [-2], data_offsets: [0, 8] } }, 8), 'bad-header', /shape/);
});

test('safetensors: unknown dtypes and broken JSON are refused', async () => {
  await expectError(header({ a: { dtype: 'F8_E4M3', shape: [2], data_offsets: [0, 2] } }, 2), 'unknown-dtype', /F8_E4M3/);
  const broken = header(ok, 8);
  broken[10] = 0xff;
  await expectError(broken, 'bad-header', /JSON/);
  await expectError(header([1, 2]), 'bad-header', /not a JSON object/);
  await expectError(header({ __metadata__: { a: 1 } }), 'bad-header', /metadata "a"/);
});

test('safetensors: reading an unknown tensor name is a typed error', async () => {
  const reader = await safetensorsFormat.open(new MemoryByteSource(header(ok, 8), 'f.safetensors'));
  await assert.rejects(reader.readTensor('nope'), (e: unknown) => e instanceof WeightFileError && e.code === 'no-such-tensor');
});

test('opening a file that is not a weight file names the file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wslab-st-'));
  const path = join(dir, 'notes.safetensors');
  writeFileSync(path, 'hello world, not weights');
  await assert.rejects(openWeightFile(path), (e: unknown) => e instanceof WeightFileError && e.code === 'unknown-format' && e.message.startsWith(path));
  await assert.rejects(openWeightFile(join(dir, 'missing.safetensors')), (e: unknown) => e instanceof WeightFileError && e.code === 'not-found');
  assert.equal(readFileSync(path, 'utf8'), 'hello world, not weights');
});
