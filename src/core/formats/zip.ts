/**
 * A minimal zip reader and writer for npz and PyTorch archives. Reading touches only the end of the file
 * (end-of-central-directory record, zip64 records, central directory) and then the entries asked for;
 * every inconsistency is a WeightFileError naming the file and the entry. Only stored (0) and deflated
 * (8) entries are read, and no length from the file is allocated before it has been checked.
 */
import * as zlib from 'node:zlib';
import { Inflate, deflateSync, inflateSync } from 'fflate';
import { WeightFileError, type WeightFileErrorCode } from '../errors';
import type { ByteSource } from '../io/byteSource';
import { concatBytes } from '../io/bytes';

export interface ZipEntry {
  readonly name: string;
  /** 0 stored, 8 deflated. */
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly crc32: number;
  readonly localHeaderOffset: number;
}

const LOCAL_SIG = 0x04034b50;
const CENTRAL_SIG = 0x02014b50;
const EOCD_SIG = 0x06054b50;
const ZIP64_EOCD_SIG = 0x06064b50;
const ZIP64_LOCATOR_SIG = 0x07064b50;
const LOCAL_HEADER_SIZE = 30;
const CENTRAL_HEADER_SIZE = 46;
const EOCD_SIZE = 22;
const ZIP64_EOCD_SIZE = 56;
const ZIP64_LOCATOR_SIZE = 20;
const MAX16 = 0xffff;
const MAX32 = 0xffffffff;
/** Deflate cannot expand more than 1032:1 (a 258-byte match per two bits). */
const MAX_DEFLATE_RATIO = 1032;
const DEFAULT_MAX_SIZE = 4 * 1024 ** 3;
/** DOS date field for 1980-01-01 (and time 00:00), so written archives are reproducible. */
const DOS_DATE_1980 = (0 << 9) | (1 << 5) | 1;
/** Compressed bytes fed per step when inflating only the start of an entry. */
const PREFIX_STEP = 4096;

const utf8Decoder = new TextDecoder('utf-8');
const utf8Encoder = new TextEncoder();

function fail(code: WeightFileErrorCode, source: ByteSource, detail: string): never {
  throw new WeightFileError(code, source.name, detail);
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function getUint64(v: DataView, offset: number, source: ByteSource, what: string): number {
  const value = v.getBigUint64(offset, true);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) fail('out-of-bounds', source, `${what} ${value} is beyond any file size`);
  return Number(value);
}

/** Reads the central directory. Entries come back in directory order. */
export async function readZipDirectory(source: ByteSource): Promise<ZipEntry[]> {
  const { entryCount, cdOffset, cdSize, cdLimit } = await readEndRecords(source);
  if (cdOffset + cdSize > cdLimit) {
    fail('out-of-bounds', source, `the central directory (bytes ${cdOffset}..${cdOffset + cdSize}) runs past its end record at byte ${cdLimit}`);
  }
  if (entryCount * CENTRAL_HEADER_SIZE > cdSize) {
    fail('bad-header', source, `the end record lists ${entryCount} entries but the central directory has only ${cdSize} bytes`);
  }
  const cd = await source.read(cdOffset, cdSize);
  const v = view(cd);
  const entries: ZipEntry[] = [];
  const names = new Set<string>();
  let pos = 0;
  for (let i = 0; i < entryCount; i++) {
    if (pos + CENTRAL_HEADER_SIZE > cdSize || v.getUint32(pos, true) !== CENTRAL_SIG) {
      fail('bad-header', source, `central directory entry ${i} at byte ${cdOffset + pos} is missing or damaged`);
    }
    const nameLength = v.getUint16(pos + 28, true);
    const extraLength = v.getUint16(pos + 30, true);
    const commentLength = v.getUint16(pos + 32, true);
    const end = pos + CENTRAL_HEADER_SIZE + nameLength + extraLength + commentLength;
    if (end > cdSize) fail('bad-header', source, `central directory entry ${i} runs past the end of the directory`);
    const nameStart = pos + CENTRAL_HEADER_SIZE;
    const name = utf8Decoder.decode(cd.subarray(nameStart, nameStart + nameLength));
    if (v.getUint16(pos + 8, true) & 1) fail('unsupported', source, `entry "${name}" is encrypted`);
    if (names.has(name)) fail('bad-header', source, `entry name "${name}" appears twice in the central directory`);
    names.add(name);
    const fields = { size: v.getUint32(pos + 24, true), compressedSize: v.getUint32(pos + 20, true), localHeaderOffset: v.getUint32(pos + 42, true) };
    applyZip64Extra(source, name, fields, cd.subarray(nameStart + nameLength, nameStart + nameLength + extraLength));
    entries.push({ name, method: v.getUint16(pos + 10, true), crc32: v.getUint32(pos + 16, true), ...fields });
    pos = end;
  }
  checkEntryRanges(source, entries, cdOffset);
  return entries;
}

async function readEndRecords(source: ByteSource): Promise<{ entryCount: number; cdOffset: number; cdSize: number; cdLimit: number }> {
  if (source.size < EOCD_SIZE) fail('truncated', source, `${source.size} bytes is too short for a zip archive`);
  const tailStart = Math.max(0, source.size - EOCD_SIZE - MAX16);
  const tail = await source.read(tailStart, source.size - tailStart);
  const tv = view(tail);
  let at = -1;
  for (let i = tail.length - EOCD_SIZE; i >= 0 && at < 0; i--) {
    if (tv.getUint32(i, true) === EOCD_SIG && i + EOCD_SIZE + tv.getUint16(i + 20, true) === tail.length) at = i;
  }
  if (at < 0) {
    const looksLikeZip = view(await source.read(0, 4)).getUint32(0, true) === LOCAL_SIG;
    fail(
      looksLikeZip ? 'truncated' : 'bad-header',
      source,
      looksLikeZip ? 'the zip archive has no end record: the file is truncated' : 'not a zip archive (no end-of-central-directory record)',
    );
  }
  const eocdOffset = tailStart + at;
  if (tv.getUint16(at + 4, true) !== 0 || tv.getUint16(at + 6, true) !== 0 || tv.getUint16(at + 8, true) !== tv.getUint16(at + 10, true)) {
    fail('unsupported', source, 'multi-part (spanned) zip archives are not supported');
  }
  const plain = { entryCount: tv.getUint16(at + 10, true), cdSize: tv.getUint32(at + 12, true), cdOffset: tv.getUint32(at + 16, true), cdLimit: eocdOffset };
  if (eocdOffset < ZIP64_LOCATOR_SIZE) return plain;
  const locator = view(await source.read(eocdOffset - ZIP64_LOCATOR_SIZE, ZIP64_LOCATOR_SIZE));
  if (locator.getUint32(0, true) !== ZIP64_LOCATOR_SIG) return plain;
  const recordOffset = getUint64(locator, 8, source, 'zip64 end record offset');
  if (recordOffset + ZIP64_EOCD_SIZE > eocdOffset - ZIP64_LOCATOR_SIZE) {
    fail('out-of-bounds', source, `the zip64 end record at byte ${recordOffset} lies outside the archive`);
  }
  const record = view(await source.read(recordOffset, ZIP64_EOCD_SIZE));
  if (record.getUint32(0, true) !== ZIP64_EOCD_SIG) fail('bad-header', source, `no zip64 end record at byte ${recordOffset}`);
  if (record.getUint32(16, true) !== 0 || record.getUint32(20, true) !== 0) {
    fail('unsupported', source, 'multi-part (spanned) zip archives are not supported');
  }
  return {
    entryCount: getUint64(record, 32, source, 'zip64 entry count'),
    cdSize: getUint64(record, 40, source, 'zip64 central directory size'),
    cdOffset: getUint64(record, 48, source, 'zip64 central directory offset'),
    cdLimit: recordOffset,
  };
}

/** Replaces 0xFFFFFFFF fields by their 64-bit values from the zip64 extra field (id 1), in spec order. */
function applyZip64Extra(
  source: ByteSource,
  name: string,
  fields: { size: number; compressedSize: number; localHeaderOffset: number },
  extra: Uint8Array,
): void {
  const wanted = (['size', 'compressedSize', 'localHeaderOffset'] as const).filter((k) => fields[k] === MAX32);
  if (wanted.length === 0) return;
  const v = view(extra);
  for (let pos = 0; pos + 4 <= extra.length; pos += 4 + v.getUint16(pos + 2, true)) {
    if (v.getUint16(pos, true) !== 1) continue;
    const length = v.getUint16(pos + 2, true);
    if (length < wanted.length * 8 || pos + 4 + length > extra.length) {
      fail('bad-header', source, `entry "${name}": its zip64 extra field is too short`);
    }
    wanted.forEach((k, i) => (fields[k] = getUint64(v, pos + 4 + i * 8, source, `entry "${name}" ${k}`)));
    return;
  }
  fail('bad-header', source, `entry "${name}" has 32-bit overflow markers but no zip64 extra field`);
}

/**
 * Every entry's local header and data must lie before the central directory and not overlap another
 * entry. The local extra field is unknown here, so each range is a lower bound: 30 + name + data bytes.
 */
function checkEntryRanges(source: ByteSource, entries: readonly ZipEntry[], cdOffset: number): void {
  const ranges = entries
    .map((e) => ({
      name: e.name,
      start: e.localHeaderOffset,
      end: e.localHeaderOffset + LOCAL_HEADER_SIZE + utf8Encoder.encode(e.name).length + e.compressedSize,
    }))
    .sort((a, b) => a.start - b.start);
  ranges.forEach((r, i) => {
    if (r.end > source.size) {
      fail('out-of-bounds', source, `entry "${r.name}" (bytes ${r.start}..${r.end}) runs past the end of the file (${source.size} bytes)`);
    }
    if (r.end > cdOffset) fail('overlap', source, `entry "${r.name}" (bytes ${r.start}..${r.end}) overlaps the central directory at byte ${cdOffset}`);
    const next = ranges[i + 1];
    if (next && r.end > next.start) {
      fail('overlap', source, `entries "${r.name}" (bytes ${r.start}..${r.end}) and "${next.name}" (from byte ${next.start}) overlap`);
    }
  });
}

/** Where the entry's (possibly compressed) data starts, from its local header. */
export async function zipEntryDataOffset(source: ByteSource, entry: ZipEntry): Promise<number> {
  const at = entry.localHeaderOffset;
  if (at + LOCAL_HEADER_SIZE > source.size) fail('out-of-bounds', source, `entry "${entry.name}": local header at byte ${at} is past the end of the file`);
  const header = view(await source.read(at, LOCAL_HEADER_SIZE));
  if (header.getUint32(0, true) !== LOCAL_SIG) fail('bad-header', source, `entry "${entry.name}": no local file header at byte ${at}`);
  const nameLength = header.getUint16(26, true);
  const dataOffset = at + LOCAL_HEADER_SIZE + nameLength + header.getUint16(28, true);
  if (dataOffset + entry.compressedSize > source.size) {
    fail(
      'out-of-bounds',
      source,
      `entry "${entry.name}": data (bytes ${dataOffset}..${dataOffset + entry.compressedSize}) runs past the end of the file (${source.size} bytes)`,
    );
  }
  const localName = utf8Decoder.decode(await source.read(at + LOCAL_HEADER_SIZE, nameLength));
  if (localName !== entry.name) fail('bad-header', source, `entry "${entry.name}": its local header names it "${localName}"`);
  return dataOffset;
}

function checkMethod(source: ByteSource, entry: ZipEntry): void {
  if (entry.method !== 0 && entry.method !== 8) {
    fail('unsupported', source, `entry "${entry.name}" uses compression method ${entry.method}; only stored (0) and deflated (8) are supported`);
  }
  if (entry.method === 0 && entry.size !== entry.compressedSize) {
    fail('bad-header', source, `stored entry "${entry.name}" has size ${entry.size} but ${entry.compressedSize} stored bytes`);
  }
  if (entry.method === 8 && entry.size > entry.compressedSize * MAX_DEFLATE_RATIO) {
    fail('bad-header', source, `entry "${entry.name}" claims ${entry.size} bytes from ${entry.compressedSize} deflated bytes, more than deflate can produce`);
  }
}

function inflateError(source: ByteSource, entry: ZipEntry, e: unknown): never {
  const eof = (e as { code?: unknown }).code === 0;
  fail(eof ? 'truncated' : 'bad-header', source, `entry "${entry.name}": corrupt deflate data (${(e as Error).message})`);
}

/** Reads and decompresses a whole entry and verifies its CRC-32. */
export async function readZipEntry(source: ByteSource, entry: ZipEntry, maxSize = DEFAULT_MAX_SIZE): Promise<Uint8Array> {
  checkMethod(source, entry);
  if (entry.size > maxSize) fail('unsupported', source, `entry "${entry.name}" is ${entry.size} bytes, more than the ${maxSize}-byte limit`);
  const raw = await source.read(await zipEntryDataOffset(source, entry), entry.compressedSize);
  let data = raw;
  if (entry.method === 8) {
    // One spare byte shows an entry that inflates to more than it declares.
    try {
      data = inflateSync(raw, { out: new Uint8Array(entry.size + 1) });
    } catch (e) {
      inflateError(source, entry, e);
    }
    if (data.length !== entry.size) {
      const actual = data.length > entry.size ? 'more than the' : `${data.length} bytes but declares`;
      fail('bad-header', source, `entry "${entry.name}" inflates to ${actual} ${entry.size} bytes`);
    }
  }
  checkZipCrc(source, entry, crc32(data));
  return data;
}

/** Throws when `crc`, the CRC-32 of all of an entry's (uncompressed) bytes, is not the one recorded. */
export function checkZipCrc(source: ByteSource, entry: ZipEntry, crc: number): void {
  if (crc !== entry.crc32) {
    fail('bad-header', source, `entry "${entry.name}" is corrupt: CRC-32 ${hex(crc)} does not match the recorded ${hex(entry.crc32)}`);
  }
}

/** Reads bytes [offset, offset + length) of a stored entry without reading the rest (no CRC check). */
export async function readZipEntryRange(source: ByteSource, entry: ZipEntry, offset: number, length: number): Promise<Uint8Array> {
  if (entry.method !== 0) fail('unsupported', source, `entry "${entry.name}" is compressed; byte ranges can only be read from stored entries`);
  checkMethod(source, entry);
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > entry.size) {
    fail('out-of-bounds', source, `entry "${entry.name}": bytes ${offset}..${offset + length} are outside its ${entry.size} bytes`);
  }
  return source.read((await zipEntryDataOffset(source, entry)) + offset, length);
}

/**
 * Reads the first `length` bytes of an entry. Deflated entries are inflated incrementally, so only about
 * as much as needed is decompressed (no CRC check: the entry is not read to its end).
 */
export async function readZipEntryPrefix(source: ByteSource, entry: ZipEntry, length: number): Promise<Uint8Array> {
  if (entry.method === 0) return readZipEntryRange(source, entry, 0, length);
  checkMethod(source, entry);
  if (!Number.isSafeInteger(length) || length < 0 || length > entry.size) {
    fail('out-of-bounds', source, `entry "${entry.name}": cannot read ${length} bytes of its ${entry.size}`);
  }
  const out = new Uint8Array(length);
  let filled = 0;
  const inflater = new Inflate((chunk) => {
    out.set(chunk.subarray(0, length - filled), filled);
    filled += Math.min(chunk.length, length - filled);
  });
  const start = await zipEntryDataOffset(source, entry);
  for (let done = 0; filled < length && done < entry.compressedSize; done += PREFIX_STEP) {
    const step = Math.min(PREFIX_STEP, entry.compressedSize - done);
    const chunk = await source.read(start + done, step);
    try {
      inflater.push(chunk, done + step === entry.compressedSize);
    } catch (e) {
      inflateError(source, entry, e);
    }
  }
  if (filled < length) fail('bad-header', source, `entry "${entry.name}" inflates to only ${filled} bytes but declares ${entry.size}`);
  return out;
}

export interface ZipFileInput {
  readonly name: string;
  readonly data: Uint8Array | readonly Uint8Array[];
  /** Deflate this entry (default: stored). */
  readonly compress?: boolean;
}

/**
 * Writes a zip archive as chunks (the data of stored entries is not copied). With `align`, each entry's
 * data starts at a multiple of `align`, padded by an extra field in the local header, as PyTorch does.
 * Zip64 fields are written only where a size, offset or count needs them.
 */
export function writeZip(files: ReadonlyArray<ZipFileInput>, options: { align?: number } = {}): Uint8Array[] {
  const align = options.align ?? 1;
  if (!Number.isInteger(align) || align < 1 || align > 0x8000) throw new RangeError(`zip alignment must be 1..32768, got ${align}`);
  const chunks: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  const emit = (chunk: Uint8Array): void => {
    chunks.push(chunk);
    offset += chunk.byteLength;
  };
  for (const file of files) {
    const name = utf8Encoder.encode(file.name);
    if (name.length > MAX16) throw new RangeError(`zip entry name is ${name.length} bytes, more than 65535`);
    const parts = file.data instanceof Uint8Array ? [file.data] : file.data;
    const size = parts.reduce((n, p) => n + p.byteLength, 0);
    const crc = parts.reduce((c, p) => crc32(p, c), 0);
    const payload = file.compress ? [deflateSync(concatBytes(parts))] : parts;
    const compressedSize = file.compress ? payload[0]!.byteLength : size;
    const localOffset = offset;
    const sizes64 = size >= MAX32 || compressedSize >= MAX32;
    let extra = sizes64 ? zip64Extra([size, compressedSize]) : new Uint8Array(0);
    const dataStart = localOffset + LOCAL_HEADER_SIZE + name.length + extra.length;
    if (dataStart % align !== 0) extra = concatBytes([extra, paddingExtra((align - ((dataStart + 4) % align)) % align)]);
    // eslint-disable-next-line no-control-regex -- \x00-\x7f is ASCII: anything else needs the UTF-8 flag
    const flags = /[^\x00-\x7f]/.test(file.name) ? 0x800 : 0;
    const method = file.compress ? 8 : 0;
    const local = new Uint8Array(LOCAL_HEADER_SIZE + name.length + extra.length);
    const lv = view(local);
    lv.setUint32(0, LOCAL_SIG, true);
    lv.setUint16(4, sizes64 ? 45 : 20, true);
    lv.setUint16(6, flags, true);
    lv.setUint16(8, method, true);
    lv.setUint16(12, DOS_DATE_1980, true);
    lv.setUint32(14, crc, true);
    lv.setUint32(18, sizes64 ? MAX32 : compressedSize, true);
    lv.setUint32(22, sizes64 ? MAX32 : size, true);
    lv.setUint16(26, name.length, true);
    lv.setUint16(28, extra.length, true);
    local.set(name, LOCAL_HEADER_SIZE);
    local.set(extra, LOCAL_HEADER_SIZE + name.length);
    emit(local);
    payload.forEach(emit);

    const big = [size, compressedSize, localOffset].filter((n) => n >= MAX32);
    const centralExtra = big.length ? zip64Extra(big) : new Uint8Array(0);
    const header = new Uint8Array(CENTRAL_HEADER_SIZE + name.length + centralExtra.length);
    const cv = view(header);
    cv.setUint32(0, CENTRAL_SIG, true);
    cv.setUint16(4, big.length ? 45 : 20, true);
    cv.setUint16(6, big.length ? 45 : 20, true);
    cv.setUint16(8, flags, true);
    cv.setUint16(10, method, true);
    cv.setUint16(14, DOS_DATE_1980, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, Math.min(compressedSize, MAX32), true);
    cv.setUint32(24, Math.min(size, MAX32), true);
    cv.setUint16(28, name.length, true);
    cv.setUint16(30, centralExtra.length, true);
    cv.setUint32(42, Math.min(localOffset, MAX32), true);
    header.set(name, CENTRAL_HEADER_SIZE);
    header.set(centralExtra, CENTRAL_HEADER_SIZE + name.length);
    central.push(header);
  }
  const cdOffset = offset;
  central.forEach(emit);
  const cdSize = offset - cdOffset;
  const count = files.length;
  if (count >= MAX16 || cdOffset >= MAX32 || cdSize >= MAX32) {
    const record = new Uint8Array(ZIP64_EOCD_SIZE + ZIP64_LOCATOR_SIZE);
    const rv = view(record);
    rv.setUint32(0, ZIP64_EOCD_SIG, true);
    rv.setBigUint64(4, BigInt(ZIP64_EOCD_SIZE - 12), true);
    rv.setUint16(12, 45, true);
    rv.setUint16(14, 45, true);
    rv.setBigUint64(24, BigInt(count), true);
    rv.setBigUint64(32, BigInt(count), true);
    rv.setBigUint64(40, BigInt(cdSize), true);
    rv.setBigUint64(48, BigInt(cdOffset), true);
    rv.setUint32(ZIP64_EOCD_SIZE, ZIP64_LOCATOR_SIG, true);
    rv.setBigUint64(ZIP64_EOCD_SIZE + 8, BigInt(offset), true);
    rv.setUint32(ZIP64_EOCD_SIZE + 16, 1, true);
    emit(record);
  }
  const end = new Uint8Array(EOCD_SIZE);
  const ev = view(end);
  ev.setUint32(0, EOCD_SIG, true);
  ev.setUint16(8, Math.min(count, MAX16), true);
  ev.setUint16(10, Math.min(count, MAX16), true);
  ev.setUint32(12, Math.min(cdSize, MAX32), true);
  ev.setUint32(16, Math.min(cdOffset, MAX32), true);
  emit(end);
  return chunks;
}

function zip64Extra(values: readonly number[]): Uint8Array {
  const out = new Uint8Array(4 + values.length * 8);
  const v = view(out);
  v.setUint16(0, 1, true);
  v.setUint16(2, values.length * 8, true);
  values.forEach((n, i) => v.setBigUint64(4 + i * 8, BigInt(n), true));
  return out;
}

/** An extra field of `length` filler bytes (id 'FB', filled with 'Z', as PyTorch writes). */
function paddingExtra(length: number): Uint8Array {
  const out = new Uint8Array(4 + length).fill(0x5a);
  view(out).setUint16(0, 0x4246, true);
  view(out).setUint16(2, length, true);
  return out;
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}

/** CRC-32 tables for slicing-by-8. */
const CRC_TABLE = (() => {
  const t = new Int32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    for (let k = 1; k < 8; k++) t[k * 256 + n] = (t[(k - 1) * 256 + n]! >>> 8) ^ t[t[(k - 1) * 256 + n]! & 0xff]!;
  }
  return t;
})();

/** node:zlib has a native CRC-32 from Node 20.15; older versions use the table-driven one below. */
const nativeCrc32 = (zlib as Partial<typeof zlib>).crc32;

/** CRC-32 (zip, zlib) of `data`, continuing from `crc` when given. */
export function crc32(data: Uint8Array, crc = 0): number {
  if (data.length === 0) return crc; // node:zlib's crc32 returns 0 here, whatever `crc` was
  return nativeCrc32 ? nativeCrc32(data, crc) : softwareCrc32(data, crc);
}

/** Slicing-by-8 CRC-32, the fallback for Node < 20.15 (exported for tests). */
export function softwareCrc32(data: Uint8Array, crc = 0): number {
  const t = CRC_TABLE;
  let c = ~crc;
  let i = 0;
  for (const n8 = data.length - 8; i <= n8; i += 8) {
    const a = c ^ (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24));
    c =
      t[1792 + (a & 0xff)]! ^
      t[1536 + ((a >>> 8) & 0xff)]! ^
      t[1280 + ((a >>> 16) & 0xff)]! ^
      t[1024 + (a >>> 24)]! ^
      t[768 + data[i + 4]!]! ^
      t[512 + data[i + 5]!]! ^
      t[256 + data[i + 6]!]! ^
      t[data[i + 7]!]!;
  }
  for (; i < data.length; i++) c = t[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}
