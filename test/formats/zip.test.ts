import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { MemoryByteSource, type ByteSource } from '../../src/core/io/byteSource';
import { concatBytes as concat } from '../../src/core/io/bytes';
import {
  crc32,
  readZipDirectory,
  readZipEntry,
  readZipEntryPrefix,
  readZipEntryRange,
  softwareCrc32,
  writeZip,
  zipEntryDataOffset,
} from '../../src/core/formats/zip';
import { fixturePath, readExpected } from '../helpers/fixtures';
import { mulberry32, randomInt } from '../helpers/random';
import { rejectsWith } from '../helpers/errors';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

function randomBytes(seed: number, length: number): Uint8Array {
  const rng = mulberry32(seed);
  return Uint8Array.from({ length }, () => randomInt(rng, 0, 255));
}

const FILES = [
  { name: 'stored.bin', data: randomBytes(1, 1000) },
  { name: 'deflated.txt', data: text('weights '.repeat(500)), compress: true },
  { name: 'chunks/part.bin', data: [randomBytes(2, 10), new Uint8Array(0), randomBytes(3, 77)] },
  { name: 'empty', data: new Uint8Array(0) },
  { name: 'empty-deflated', data: new Uint8Array(0), compress: true },
  { name: 'ünïcødé ✓.npy', data: text('hello') },
];

const joined = (data: Uint8Array | readonly Uint8Array[]): Uint8Array => (data instanceof Uint8Array ? data : concat(data));

function archive(files: Parameters<typeof writeZip>[0] = FILES, align?: number): Uint8Array {
  return concat(writeZip(files, align === undefined ? {} : { align }));
}

/** Offsets of the end record and of each central directory header of an archive without a comment. */
function layout(bytes: Uint8Array): { eocd: number; central: number[] } {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eocd = bytes.length - 22;
  const central: number[] = [];
  let pos = v.getUint32(eocd + 16, true);
  for (let i = 0; i < v.getUint16(eocd + 10, true); i++) {
    central.push(pos);
    pos += 46 + v.getUint16(pos + 28, true) + v.getUint16(pos + 30, true) + v.getUint16(pos + 32, true);
  }
  return { eocd, central };
}

/** A copy of `bytes` with a little-endian field overwritten. */
function patch(bytes: Uint8Array, offset: number, value: number, width: 2 | 4): Uint8Array {
  const copy = bytes.slice();
  const v = new DataView(copy.buffer);
  if (width === 2) v.setUint16(offset, value, true);
  else v.setUint32(offset, value, true);
  return copy;
}

test('crc32 gives the standard check value, continues across chunks, and the fallback agrees', () => {
  assert.equal(crc32(text('123456789')), 0xcbf43926);
  assert.equal(softwareCrc32(text('123456789')), 0xcbf43926);
  assert.equal(crc32(new Uint8Array(0), 0xcbf43926), 0xcbf43926, 'an empty chunk leaves the CRC unchanged');
  assert.equal(softwareCrc32(new Uint8Array(0), 0xcbf43926), 0xcbf43926);
  for (let seed = 1; seed <= 20; seed++) {
    const data = randomBytes(seed, randomInt(mulberry32(seed), 0, 3000));
    const cut = data.length >> 1;
    assert.equal(softwareCrc32(data), crc32(data), `seed ${seed}`);
    assert.equal(softwareCrc32(data.subarray(cut), softwareCrc32(data.subarray(0, cut))), crc32(data), `seed ${seed}`);
  }
});

test('writeZip → readZipDirectory → readZipEntry round-trips stored, deflated, chunked and empty entries', async () => {
  const bytes = archive();
  const source = new MemoryByteSource(bytes, 'round.zip');
  const entries = await readZipDirectory(source);
  assert.deepEqual(
    entries.map((e) => [e.name, e.method, e.size]),
    FILES.map((f) => [f.name, f.compress ? 8 : 0, joined(f.data).length]),
  );
  const deflated = entries[1]!;
  assert.ok(deflated.compressedSize < deflated.size / 10, 'the repetitive text is compressed');
  for (const [i, f] of FILES.entries()) {
    assert.equal(entries[i]!.crc32, crc32(joined(f.data)), f.name);
    assert.deepEqual(await readZipEntry(source, entries[i]!), joined(f.data), f.name);
    const half = entries[i]!.size >> 1;
    assert.deepEqual(await readZipEntryPrefix(source, entries[i]!, half), joined(f.data).subarray(0, half), f.name);
  }
});

test('writeZip with align puts every entry’s data at a multiple of the alignment', async () => {
  for (const align of [64, 4096]) {
    const source = new MemoryByteSource(archive(FILES, align), `aligned-${align}.zip`);
    for (const entry of await readZipDirectory(source)) {
      assert.equal((await zipEntryDataOffset(source, entry)) % align, 0, `${entry.name} aligned to ${align}`);
      assert.ok((await readZipEntry(source, entry)).length === entry.size);
    }
  }
});

test('readZipEntryRange reads sub-ranges of stored entries and refuses deflated ones and bad ranges', async () => {
  const source = new MemoryByteSource(archive(), 'range.zip');
  const [stored, deflated] = await readZipDirectory(source);
  assert.deepEqual(await readZipEntryRange(source, stored!, 100, 50), joined(FILES[0]!.data).subarray(100, 150));
  assert.deepEqual(await readZipEntryRange(source, stored!, 1000, 0), new Uint8Array(0));
  await rejectsWith(readZipEntryRange(source, deflated!, 0, 1), 'unsupported', 'range.zip', /deflated\.txt/);
  await rejectsWith(readZipEntryRange(source, stored!, 990, 11), 'out-of-bounds', 'range.zip', /stored\.bin/);
  await rejectsWith(readZipEntryRange(source, stored!, -1, 1), 'out-of-bounds', 'range.zip');
});

test('archives written by Python’s zipfile (np.savez, np.savez_compressed, zip64 records) read with valid CRCs', async () => {
  const expected = readExpected<Record<string, { tensors: { name: string }[] }>>('numpy', 'expected.json');
  for (const file of ['savez.npz', 'savez_compressed.npz', 'zip64.npz']) {
    const source = new MemoryByteSource(readFileSync(fixturePath('numpy', file)), file);
    const entries = await readZipDirectory(source);
    assert.deepEqual(
      entries.map((e) => e.name),
      expected[file]!.tensors.map((t) => `${t.name}.npy`),
      file,
    );
    for (const e of entries) {
      const data = await readZipEntry(source, e);
      assert.deepEqual(Array.from(data.subarray(0, 6)), [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59], `${file} ${e.name}`);
    }
  }
});

test('the zip64 end record is what locates the central directory when present', async () => {
  const bytes = new Uint8Array(readFileSync(fixturePath('numpy', 'zip64.npz')));
  const v = new DataView(bytes.buffer);
  const record = Number(v.getBigUint64(bytes.length - 22 - 20 + 8, true));
  assert.equal(v.getUint32(record, true), 0x06064b50, 'the fixture has a zip64 end record');
  // Moving the zip64 record's directory offset breaks the archive even though the 32-bit record is intact.
  const broken = bytes.slice();
  new DataView(broken.buffer).setBigUint64(record + 48, v.getBigUint64(record + 48, true) - 1n, true);
  await rejectsWith(readZipDirectory(new MemoryByteSource(broken, 'zip64-broken.npz')), 'bad-header', 'zip64-broken.npz', /central directory entry 0/);
});

test('an archive comment after the end record is skipped', async () => {
  const bytes = archive();
  const comment = text('made by a test PK\x05\x06 with a signature inside');
  const withComment = concat([patch(bytes, bytes.length - 2, comment.length, 2), comment]);
  const entries = await readZipDirectory(new MemoryByteSource(withComment, 'comment.zip'));
  assert.equal(entries.length, FILES.length);
});

test('writeZip switches to zip64 fields for entries and offsets past 4 GiB, and the reader follows them', async () => {
  const block = new Uint8Array(1 << 26).map((_, i) => (i * 2654435761) >>> 24); // 64 MiB, repeated below
  const big = [...Array.from({ length: 64 }, () => block), Uint8Array.of(42)];
  const chunks = writeZip([
    { name: 'big.bin', data: big },
    { name: 'after.bin', data: text('after the big one') },
  ]);
  const source = new ChunkSource(chunks, 'big.zip');
  const [bigEntry, after] = await readZipDirectory(source);
  assert.equal(bigEntry!.size, 2 ** 32 + 1);
  assert.equal(bigEntry!.compressedSize, 2 ** 32 + 1);
  assert.ok(after!.localHeaderOffset > 2 ** 32);
  assert.deepEqual(await readZipEntryRange(source, bigEntry!, 2 ** 32 - 2, 3), Uint8Array.of(block[block.length - 2]!, block[block.length - 1]!, 42));
  assert.deepEqual(await readZipEntry(source, after!), text('after the big one'));
  await rejectsWith(readZipEntry(source, bigEntry!), 'unsupported', 'big.zip', /big\.bin/);
});

/** A ByteSource over a list of chunks, as writeZip returns them. */
class ChunkSource implements ByteSource {
  readonly size: number;
  private readonly starts: number[] = [];
  constructor(
    private readonly chunks: readonly Uint8Array[],
    readonly name: string,
  ) {
    let at = 0;
    for (const c of chunks) {
      this.starts.push(at);
      at += c.length;
    }
    this.size = at;
  }
  async read(offset: number, length: number): Promise<Uint8Array> {
    assert.ok(offset + length <= this.size);
    const out = new Uint8Array(length);
    this.chunks.forEach((c, i) => {
      const from = Math.max(offset, this.starts[i]!);
      const to = Math.min(offset + length, this.starts[i]! + c.length);
      if (from < to) out.set(c.subarray(from - this.starts[i]!, to - this.starts[i]!), from - offset);
    });
    return out;
  }
  async close(): Promise<void> {}
}

test('malformed archives give WeightFileErrors with the right code, naming the file and the entry', async () => {
  const bytes = archive();
  const { eocd, central } = layout(bytes);
  const open = (b: Uint8Array, name: string): Promise<unknown> => readZipDirectory(new MemoryByteSource(b, name));
  await rejectsWith(open(randomBytes(5, 500), 'noise.zip'), 'bad-header', 'noise.zip', /not a zip/);
  await rejectsWith(open(bytes.subarray(0, bytes.length - 10), 'cut.zip'), 'truncated', 'cut.zip');
  await rejectsWith(open(bytes.subarray(0, 10), 'tiny.zip'), 'truncated', 'tiny.zip');
  await rejectsWith(open(patch(bytes, eocd + 16, eocd - 10, 4), 'cd-past.zip'), 'out-of-bounds', 'cd-past.zip');
  await rejectsWith(open(patch(patch(bytes, eocd + 8, 1000, 2), eocd + 10, 1000, 2), 'count.zip'), 'bad-header', 'count.zip');
  await rejectsWith(open(patch(bytes, eocd + 4, 1, 2), 'disk.zip'), 'unsupported', 'disk.zip');
  await rejectsWith(open(patch(bytes, central[0]! + 42, bytes.length + 5, 4), 'lho.zip'), 'out-of-bounds', 'lho.zip', /stored\.bin/);
  // The second entry claims to start inside the first.
  const firstStart = new DataView(bytes.buffer).getUint32(central[0]! + 42, true);
  await rejectsWith(open(patch(bytes, central[1]! + 42, firstStart + 20, 4), 'overlap.zip'), 'overlap', 'overlap.zip', /stored\.bin.*deflated\.txt/);
  // The last entry's data runs into the central directory.
  const last = central[central.length - 1]!;
  const grown = patch(patch(bytes, last + 20, 200, 4), last + 24, 200, 4);
  await rejectsWith(open(grown, 'into-cd.zip'), 'overlap', 'into-cd.zip', /central directory/);
  const dup = archive([
    { name: 'same', data: text('1') },
    { name: 'samf', data: text('2') },
  ]);
  dup[layout(dup).central[1]! + 46 + 3] = 0x65; // "samf" → "same" in the central directory
  await rejectsWith(open(dup, 'dup.zip'), 'bad-header', 'dup.zip', /"same" appears twice/);
  await rejectsWith(open(patch(bytes, central[0]! + 8, 1, 2), 'encrypted.zip'), 'unsupported', 'encrypted.zip', /encrypted/);
  await rejectsWith(open(patch(bytes, central[0]! + 24, 0xffffffff, 4), 'no-zip64.zip'), 'bad-header', 'no-zip64.zip', /zip64/);
});

test('entries with bad data fail when read: bad CRC, bad local header, unknown method, corrupt deflate', async () => {
  const bytes = archive();
  const { central } = layout(bytes);
  const entries = await readZipDirectory(new MemoryByteSource(bytes, 'ok.zip'));
  const dataAt = await zipEntryDataOffset(new MemoryByteSource(bytes), entries[0]!);
  const read = (b: Uint8Array, name: string, i = 0): Promise<unknown> => {
    const source = new MemoryByteSource(b, name);
    return readZipDirectory(source).then((es) => readZipEntry(source, es[i]!));
  };
  const flipped = bytes.slice();
  flipped[dataAt + 500]! ^= 0x01;
  await rejectsWith(read(flipped, 'crc.zip'), 'bad-header', 'crc.zip', /stored\.bin.*CRC-32/);
  await rejectsWith(read(patch(bytes, entries[0]!.localHeaderOffset, 0x12345678, 4), 'local.zip'), 'bad-header', 'local.zip', /local file header/);
  await rejectsWith(read(patch(bytes, entries[0]!.localHeaderOffset + 30, 0x5858, 2), 'name.zip'), 'bad-header', 'name.zip', /XXored\.bin/);
  await rejectsWith(read(patch(bytes, central[0]! + 10, 12, 2), 'bzip2.zip'), 'unsupported', 'bzip2.zip', /method 12/);
  const deflatedAt = await zipEntryDataOffset(new MemoryByteSource(bytes), entries[1]!);
  const garbage = bytes.slice().fill(0xff, deflatedAt, deflatedAt + 4);
  await rejectsWith(read(garbage, 'deflate.zip', 1), 'bad-header', 'deflate.zip', /deflated\.txt.*corrupt deflate/);
  const shorter = patch(bytes, central[1]! + 24, entries[1]!.size - 1, 4);
  await rejectsWith(read(shorter, 'longer.zip', 1), 'bad-header', 'longer.zip', /inflates to more than/);
  const cut = patch(bytes, central[1]! + 20, entries[1]!.compressedSize - 5, 4);
  await rejectsWith(read(cut, 'short-deflate.zip', 1), 'truncated', 'short-deflate.zip', /deflated\.txt/);
});

test('a deflated entry claiming a huge size fails fast without allocating it', async () => {
  const bytes = archive();
  const { central } = layout(bytes);
  const source = new MemoryByteSource(patch(bytes, central[1]! + 24, 0xc0000000, 4), 'bomb.zip');
  const [, entry] = await readZipDirectory(source);
  const before = process.memoryUsage().arrayBuffers;
  const started = performance.now();
  await rejectsWith(readZipEntry(source, entry!), 'bad-header', 'bomb.zip', /deflated\.txt.*more than deflate can produce/);
  const [honest] = await readZipDirectory(source);
  await rejectsWith(readZipEntry(source, honest!, 999), 'unsupported', 'bomb.zip', /stored\.bin.*999-byte limit/);
  assert.ok(process.memoryUsage().arrayBuffers - before < 64 * 1024 * 1024, 'no large buffer was allocated');
  assert.ok(performance.now() - started < 1000);
  // Within the deflate ratio but inflating to less than declared: caught after inflating what is there.
  const lying = new MemoryByteSource(patch(bytes, central[1]! + 24, entry!.compressedSize * 1000, 4), 'lying.zip');
  const [, liar] = await readZipDirectory(lying);
  await rejectsWith(readZipEntry(lying, liar!), 'bad-header', 'lying.zip', /inflates to 4000 bytes/);
  await rejectsWith(readZipEntryPrefix(lying, liar!, 5000), 'bad-header', 'lying.zip', /only 4000 bytes/);
});
