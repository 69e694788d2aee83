// Statistics, histogram, heatmap and norms computed over a tensor read in chunks (the inspector's and
// `wslab inspect`'s path for big tensors) equal those of the whole tensor in memory, bit for bit: for
// every fixture of every format, and for random tensors with NaN/Inf split at every kind of boundary.
// Also: which tensors are read in pieces, and that a stored npz member's CRC-32 is still checked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { readTensorChunks } from '../../src/core/formats/chunks';
import { npzFormat } from '../../src/core/formats/npz';
import { encodeNpy } from '../../src/core/formats/npy';
import { writeZip } from '../../src/core/formats/zip';
import { openWeightFile, formatByName } from '../../src/core/formats/registry';
import type { WeightFileReader } from '../../src/core/formats/format';
import { chunkedTensorValues, tensorValues, type TensorValuesOptions } from '../../src/core/inspect/tensorValues';
import { matrixShape } from '../../src/core/inspect/matrixView';
import { MemoryByteSource } from '../../src/core/io/byteSource';
import { concatBytes } from '../../src/core/io/bytes';
import { chunkedTensorStats, tensorStats } from '../../src/core/weights/stats';
import { WeightSet } from '../../src/core/weights/weightSet';
import { fixturePath } from '../helpers/fixtures';
import { bits, mulberry32 } from '../helpers/random';
import { rejectsWith } from '../helpers/errors';

/** Small enough that the random matrices below are averaged in blocks, not passed through. */
const SMALL_VIEW: TensorValuesOptions = { bins: 16, maxSide: 8, maxNorms: 10 };

async function collect(chunks: AsyncIterable<Float32Array>): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for await (const c of chunks) out.push(c.slice());
  return out;
}

/** Every tensor of `reader`: the chunked results equal the in-memory ones for several chunk sizes. */
async function checkReader(reader: WeightFileReader, chunkSizes: readonly number[], options: TensorValuesOptions): Promise<number> {
  let streamed = 0;
  for (const info of reader.tensors) {
    const whole = await reader.readTensor(info.name);
    const where = `${reader.file}: ${info.name}`;
    const cols = matrixShape(info.shape).cols;
    for (const size of chunkSizes) {
      const pieces = reader.readTensorChunks?.(info.name, size) ?? null;
      if (pieces) {
        const chunks = await collect(pieces);
        assert.ok(
          chunks.every((c, i) => (i < chunks.length - 1 ? c.length === size : c.length > 0 && c.length <= size)),
          `${where}: chunk lengths`,
        );
        const joined = new Float32Array(whole.length);
        let at = 0;
        for (const c of chunks) {
          joined.set(c, at);
          at += c.length;
        }
        assert.deepEqual(bits(joined), bits(whole), `${where}: chunks of ${size} are the tensor's values`);
        if (size === chunkSizes[0]) streamed++;
      }
      for (const rowLength of [1, cols]) {
        const label = `${where}, chunks of ${size}, rows of ${rowLength}`;
        assert.deepEqual(await chunkedTensorStats(readTensorChunks(reader, info.name, rowLength, size)), tensorStats(whole), label);
        const values = await chunkedTensorValues(info.name, info.shape, readTensorChunks(reader, info.name, rowLength, size), options);
        assert.deepEqual(values, tensorValues(info.name, info.shape, whole, options), label);
      }
    }
  }
  return streamed;
}

test('every fixture tensor of every format: chunked statistics, histogram, heatmap and norms equal the in-memory ones', async () => {
  const files = [
    ...readdirSync(fixturePath('numpy'))
      .filter((f) => /\.np[yz]$/.test(f))
      .map((f) => fixturePath('numpy', f)),
    ...['dtypes.pth', 'nested.pth', 'parameters.pth', 'siren.pth', 'tensor.pth', 'views.pth'].map((f) => fixturePath('torch', f)),
    ...['dtypes.safetensors', 'siren.safetensors'].map((f) => fixturePath('safetensors', f)),
  ];
  const streamedBy: Record<string, number> = {};
  for (const file of files) {
    const reader = await openWeightFile(file);
    try {
      streamedBy[file.split('/').pop()!] = await checkReader(reader, [1, 3, 64, 4096], SMALL_VIEW);
    } finally {
      await reader.close();
    }
  }
  // Contiguous, uncompressed data is read in pieces; a Fortran-order array and a deflated archive are not.
  assert.equal(streamedBy['v1_float32.npy'], 1);
  assert.equal(streamedBy['fortran_3x4.npy'], 0);
  assert.ok(streamedBy['savez.npz']! > 0, 'np.savez stores its members');
  assert.equal(streamedBy['savez_compressed.npz'], 0);
  assert.ok(streamedBy['parameters.pth']! > 0 && streamedBy['siren.safetensors']! > 0);
});

test('random tensors with NaN/±Inf: chunks splitting rows and blocks anywhere give the in-memory results', async () => {
  const rng = mulberry32(7);
  const random = (n: number) =>
    Float32Array.from({ length: n }, () => {
      const u = rng();
      return u < 0.02 ? NaN : u < 0.03 ? Infinity : u < 0.04 ? -Infinity : u < 0.1 ? 0 : (rng() - 0.5) * 10;
    });
  const shapes = [[37, 53], [1, 1000], [1000, 1], [4, 3, 5], [6, 0], [0, 9], [], [23, 17, 2]];
  const set = new WeightSet(shapes.map((shape, i) => ({ name: `t${i}`, shape, data: random(shape.reduce((a, b) => a * b, 1)), dtype: 'F32' as const })));
  for (const format of ['safetensors', 'npy', 'pth'] as const) {
    const sets = format === 'npy' ? set.tensors.map((t) => new WeightSet([t])) : [set];
    for (const one of sets) {
      const bytes = concatBytes(formatByName(format).encode(one, `random.${format}`));
      const reader = await formatByName(format).open(new MemoryByteSource(bytes, `random.${format}`));
      assert.ok(
        reader.tensors.every((t) => reader.readTensorChunks?.(t.name, 1)),
        `${format}: every tensor is read in pieces`,
      );
      await checkReader(reader, [1, 5, 52, 53, 54, 106, 1 << 20], SMALL_VIEW);
    }
  }
});

test('a stored npz member read in chunks still has its CRC-32 checked (after the last chunk)', async () => {
  const member = concatBytes(encodeNpy(Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3]));
  const good = concatBytes(writeZip([{ name: 'w.npy', data: member }]));
  const flipped = good.slice();
  flipped[good.indexOf(0x40) /* 2.0f's high byte */]! ^= 1;
  const reader = await npzFormat.open(new MemoryByteSource(flipped, 'crc.npz'));
  await rejectsWith(chunkedTensorStats(readTensorChunks(reader, 'w', 3, 2)), 'bad-header', 'crc.npz', /w\.npy.*CRC-32/);
  assert.throws(() => readTensorChunks(reader, 'nope'), /"nope"/);
  const intact = await npzFormat.open(new MemoryByteSource(good, 'good.npz'));
  assert.equal((await chunkedTensorStats(readTensorChunks(intact, 'w', 3, 2))).mean, 3.5);
});
