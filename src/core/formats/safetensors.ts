/**
 * safetensors (huggingface/safetensors): an 8-byte little-endian header length N, N bytes of JSON
 * `{ "__metadata__": {str: str}, name: { "dtype", "shape", "data_offsets": [begin, end] } }`, then the
 * data buffer; offsets are relative to the buffer. We read every dtype below, write F32 and F16, and
 * check the header against the file before trusting it: offsets inside the buffer, byte counts equal to
 * shape × dtype size, no two tensors sharing bytes.
 */
import { WeightFileError } from '../errors';
import type { ByteSource } from '../io/byteSource';
import { type DType, DTYPE_BYTES, decodeToFloat32, elementCount, encodeFloat32, isDType } from '../tensor/dtype';
import type { Metadata, WeightSet } from '../weights/weightSet';
import { decodedChunks } from './chunks';
import type { TensorInfo, WeightFileReader, WeightFormat, WriteOptions } from './format';

/** The reference implementation refuses headers above 100 MB; so do we, before allocating. */
const MAX_HEADER_BYTES = 100_000_000;
const METADATA_KEY = '__metadata__';

interface Entry extends TensorInfo {
  readonly begin: number;
  readonly end: number;
}

class SafetensorsReader implements WeightFileReader {
  readonly format = 'safetensors' as const;
  private readonly byName: ReadonlyMap<string, Entry>;

  constructor(
    private readonly source: ByteSource,
    private readonly dataStart: number,
    readonly tensors: readonly Entry[],
    readonly metadata: Metadata,
  ) {
    this.byName = new Map(tensors.map((t) => [t.name, t]));
  }

  get file(): string {
    return this.source.name;
  }

  async readTensor(name: string): Promise<Float32Array> {
    const entry = this.byName.get(name);
    if (!entry) throw new WeightFileError('no-such-tensor', this.file, `no tensor named "${name}"`);
    const bytes = await this.source.read(this.dataStart + entry.begin, entry.end - entry.begin);
    return decodeToFloat32(bytes, entry.dtype, elementCount(entry.shape));
  }

  readTensorChunks(name: string, chunkElements: number): AsyncIterable<Float32Array> {
    const entry = this.byName.get(name);
    if (!entry) throw new WeightFileError('no-such-tensor', this.file, `no tensor named "${name}"`);
    const at = this.dataStart + entry.begin;
    return decodedChunks(
      (offset, length) => this.source.read(at + offset, length),
      { dtype: entry.dtype, count: elementCount(entry.shape), littleEndian: true },
      chunkElements,
    );
  }

  close(): Promise<void> {
    return this.source.close();
  }
}

async function open(source: ByteSource): Promise<WeightFileReader> {
  const file = source.name;
  if (source.size < 8) throw new WeightFileError('truncated', file, `only ${source.size} bytes: no safetensors header length`);
  const headerLength = new DataView((await source.read(0, 8)).buffer).getBigUint64(0, true);
  if (headerLength > BigInt(MAX_HEADER_BYTES)) {
    throw new WeightFileError('bad-header', file, `header length ${headerLength} exceeds the ${MAX_HEADER_BYTES}-byte limit`);
  }
  const n = Number(headerLength);
  if (8 + n > source.size) {
    throw new WeightFileError('truncated', file, `header length ${n} runs past the end of the file (${source.size} bytes)`);
  }
  const header = parseHeaderJson(await source.read(8, n), file);
  const dataStart = 8 + n;
  const metadata = parseMetadata(header[METADATA_KEY], file);
  const entries = Object.entries(header)
    .filter(([name]) => name !== METADATA_KEY)
    .map(([name, value]) => parseEntry(name, value, file));
  checkLayout(entries, source.size - dataStart, file);
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  return new SafetensorsReader(source, dataStart, entries, metadata);
}

function parseHeaderJson(bytes: Uint8Array, file: string): Record<string, unknown> {
  let text: string;
  let value: unknown;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    value = JSON.parse(text);
  } catch (e) {
    throw new WeightFileError('bad-header', file, `the header is not valid UTF-8 JSON (${(e as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new WeightFileError('bad-header', file, 'the header is not a JSON object');
  }
  return value as Record<string, unknown>;
}

function parseMetadata(value: unknown, file: string): Metadata {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new WeightFileError('bad-header', file, `"${METADATA_KEY}" must be an object of strings`);
  }
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw new WeightFileError('bad-header', file, `metadata "${k}" is not a string`);
  }
  return { ...(value as Record<string, string>) };
}

function parseEntry(name: string, value: unknown, file: string): Entry {
  const where = `tensor "${name}"`;
  if (typeof value !== 'object' || value === null) throw new WeightFileError('bad-header', file, `${where}: entry is not an object`);
  const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
  if (typeof dtype !== 'string') throw new WeightFileError('bad-header', file, `${where}: missing dtype`);
  if (!isDType(dtype)) throw new WeightFileError('unknown-dtype', file, `${where}: unknown or unsupported dtype "${dtype}"`);
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new WeightFileError('bad-header', file, `${where}: shape must be a list of non-negative integers`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
    throw new WeightFileError('bad-header', file, `${where}: data_offsets must be [begin, end] non-negative integers`);
  }
  const [begin, end] = offsets as [number, number];
  if (end < begin) throw new WeightFileError('bad-header', file, `${where}: data_offsets end ${end} is before begin ${begin}`);
  const expected = elementCount(shape) * DTYPE_BYTES[dtype];
  if (end - begin !== expected) {
    throw new WeightFileError(
      'shape-mismatch',
      file,
      `${where}: shape [${shape.join(', ')}] of ${dtype} needs ${expected} bytes but data_offsets span ${end - begin}`,
    );
  }
  return { name, dtype: dtype as DType, shape: shape as number[], begin, end };
}

function checkLayout(entries: readonly Entry[], bufferSize: number, file: string): void {
  for (const e of entries) {
    if (e.end > bufferSize) {
      throw new WeightFileError(
        'out-of-bounds',
        file,
        `tensor "${e.name}": data_offsets [${e.begin}, ${e.end}] run past the data buffer (${bufferSize} bytes)`,
      );
    }
  }
  const sorted = entries.filter((e) => e.end > e.begin).sort((a, b) => a.begin - b.begin);
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1]!;
    const current = sorted[i]!;
    if (current.begin < previous.end) {
      throw new WeightFileError(
        'overlap',
        file,
        `tensors "${previous.name}" and "${current.name}" share bytes ${current.begin}..${Math.min(previous.end, current.end)}`,
      );
    }
  }
}

function encode(set: WeightSet, file: string, options: WriteOptions = {}): Uint8Array[] {
  const dtype = options.dtype ?? 'F32';
  const header: Record<string, unknown> = {};
  if (Object.keys(set.metadata).length > 0) header[METADATA_KEY] = set.metadata;
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const t of set.tensors) {
    if (t.name === METADATA_KEY) throw new WeightFileError('invalid-value', file, `"${METADATA_KEY}" cannot be a tensor name`);
    const bytes = encodeFloat32(t.data, dtype);
    header[t.name] = { dtype, shape: t.shape, data_offsets: [offset, offset + bytes.byteLength] };
    chunks.push(bytes);
    offset += bytes.byteLength;
  }
  // Pad the JSON with spaces so the data buffer starts 8-byte aligned, as the reference writer does.
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.byteLength / 8) * 8;
  if (padded !== json.byteLength) {
    const withSpaces = new Uint8Array(padded).fill(0x20);
    withSpaces.set(json);
    json = withSpaces;
  }
  const prefix = new Uint8Array(8);
  new DataView(prefix.buffer).setBigUint64(0, BigInt(json.byteLength), true);
  return [prefix, json, ...chunks];
}

/** First 8 bytes a plausible little-endian length, followed by '{'. */
function sniff(head: Uint8Array): boolean {
  if (head.byteLength < 9) return false;
  const n = new DataView(head.buffer, head.byteOffset, 8).getBigUint64(0, true);
  return n >= 2n && n <= BigInt(MAX_HEADER_BYTES) && head[8] === 0x7b;
}

export const safetensorsFormat: WeightFormat = { name: 'safetensors', extensions: ['.safetensors'], sniff, open, encode };
