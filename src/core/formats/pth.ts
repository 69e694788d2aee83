/**
 * PyTorch .pt/.pth files as torch.save writes them since 1.6: a zip archive holding
 * `<archive>/data.pkl` (the pickled object), `<archive>/data/<key>` (raw storage bytes),
 * `<archive>/version` and, since torch 2, `<archive>/byteorder`.
 *
 * data.pkl runs in the restricted unpickler with only the globals a state dict needs, so a file whose
 * pickle would call os.system is refused, never executed. A file that is not a zip (the legacy format, a
 * bare pickle of any protocol) is refused too, after its pickles are scanned so that a forbidden global
 * in any of them is named. Each tensor is a view of a storage (offset, size, stride), checked against
 * the storage when the file is opened and read lazily: only the bytes the view touches are read, then
 * gathered into row-major order (a broadcast view is expanded up to 2^24 elements). Nested dicts are
 * flattened with '.', other values become metadata strings, and a bare tensor is named after the file.
 *
 * Writing produces what torch.load(weights_only=True) accepts: a protocol-2 OrderedDict of
 * _rebuild_tensor_v2 calls, stored entries aligned to 64 bytes, and our metadata in an extra entry
 * `<archive>/wslab_metadata.json`, which torch ignores, so state-dict loaders see only tensors.
 */
import { basename, extname } from 'node:path';
import { WeightFileError, isWeightFileError } from '../errors';
import type { ByteSource } from '../io/byteSource';
import { type DType, DTYPE_BYTES, decodeToFloat32, elementCount, encodeFloat32 } from '../tensor/dtype';
import type { Metadata, WeightSet } from '../weights/weightSet';
import type { TensorInfo, WeightFileReader, WeightFormat, WriteOptions } from './format';
import { type GlobalBuilder, type PickleValue, PickleGlobal, typeName, unpickle, unpicklePrefix } from './pickle';
import { decodedChunks } from './chunks';
import { PickleWriter } from './pickleWriter';
import { type ZipEntry, readZipDirectory, readZipEntry, readZipEntryRange, writeZip } from './zip';

/** data.pkl is a few hundred bytes per tensor; anything beyond this is not a state dict. */
const MAX_PICKLE_BYTES = 256 * 1024 ** 2;
const MAX_SMALL_ENTRY_BYTES = 16 * 1024 ** 2;
/** Nesting and size limits for walking the unpickled object (which may share or even contain itself). */
const MAX_DEPTH = 64;
const MAX_VALUES = 1_000_000;
/** Longest tensor one readTensor call returns. */
const MAX_READ_ELEMENTS = 2 ** 31 - 1;
/**
 * Most elements a view may have beyond the storage elements it spans (a broadcast, stride-0 view: torch
 * saves `x.expand(…)` as its small storage): its size is not bounded by the file, so a few bytes could
 * otherwise claim a tensor of gigabytes that reading would allocate and fill.
 */
const MAX_EXPANDED_ELEMENTS = 2 ** 24;
const METADATA_ENTRY = 'wslab_metadata.json';
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
/** torch.save's legacy (pre-1.6) format starts with a pickle of this number. */
const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;
/** A file that is not a zip is scanned for pickles from this many bytes at first. */
const SCAN_WINDOW_BYTES = 1024 ** 2;
/** The legacy format has five pickles (magic number, protocol, system info, object, storage keys). */
const MAX_SCANNED_PICKLES = 8;

/** Storage types by global name; null: a real torch storage type we cannot decode. */
const STORAGE_DTYPES: Readonly<Record<string, DType | null>> = {
  'torch.DoubleStorage': 'F64',
  'torch.FloatStorage': 'F32',
  'torch.HalfStorage': 'F16',
  'torch.BFloat16Storage': 'BF16',
  'torch.LongStorage': 'I64',
  'torch.IntStorage': 'I32',
  'torch.ShortStorage': 'I16',
  'torch.CharStorage': 'I8',
  'torch.ByteStorage': 'U8',
  'torch.BoolStorage': 'BOOL',
  'torch.ComplexFloatStorage': null,
  'torch.ComplexDoubleStorage': null,
  'torch.QInt8Storage': null,
  'torch.QUInt8Storage': null,
  'torch.QInt32Storage': null,
  'torch.QUInt4x2Storage': null,
  'torch.QUInt2x4Storage': null,
};

/** A storage a persistent id refers to: `numel` elements of `dtype` in the archive entry `entry`. */
class Storage {
  constructor(
    readonly key: string,
    readonly dtype: DType,
    readonly numel: number,
    readonly entry: ZipEntry,
  ) {}
}

/** A tensor as torch rebuilds it: a strided view of a storage. Element `last` is the furthest it touches. */
class TensorView {
  constructor(
    readonly storage: Storage,
    readonly offset: number,
    readonly shape: readonly number[],
    readonly stride: readonly number[],
    readonly last: number,
  ) {}
}

class PthReader implements WeightFileReader {
  readonly format = 'pth' as const;
  readonly tensors: readonly TensorInfo[];

  constructor(
    private readonly source: ByteSource,
    private readonly views: ReadonlyMap<string, TensorView>,
    readonly metadata: Metadata,
    private readonly littleEndian: boolean,
  ) {
    this.tensors = [...views].map(([name, v]) => ({ name, dtype: v.storage.dtype, shape: v.shape }));
  }

  get file(): string {
    return this.source.name;
  }

  async readTensor(name: string): Promise<Float32Array> {
    const view = this.views.get(name);
    if (!view) throw new WeightFileError('no-such-tensor', this.file, `no tensor named "${name}"`);
    const count = elementCount(view.shape);
    if (count === 0) return new Float32Array(0);
    if (count > MAX_READ_ELEMENTS) {
      throw new WeightFileError('unsupported', this.file, `tensor "${name}" has ${count} elements; at most ${MAX_READ_ELEMENTS} can be read at once`);
    }
    const { dtype, entry } = view.storage;
    const size = DTYPE_BYTES[dtype];
    const spanCount = view.last - view.offset + 1;
    if (count > spanCount && count > MAX_EXPANDED_ELEMENTS) {
      throw new WeightFileError(
        'unsupported',
        this.file,
        `tensor "${name}" is a broadcast view of ${count} elements over ${spanCount} stored ones; at most ${MAX_EXPANDED_ELEMENTS} elements are expanded`,
      );
    }
    const bytes =
      entry.method === 0
        ? await readZipEntryRange(this.source, entry, view.offset * size, spanCount * size)
        : (await readZipEntry(this.source, entry)).subarray(view.offset * size, (view.last + 1) * size);
    const span = decodeToFloat32(bytes, dtype, spanCount, this.littleEndian);
    return isRowMajor(view.shape, view.stride) ? span : gather(span, view.shape, view.stride, count);
  }

  /**
   * Only a stored storage viewed row-major without gaps (or a view of no elements) is read in chunks
   * (no CRC check, like readTensor's range read of a stored entry).
   */
  readTensorChunks(name: string, chunkElements: number): AsyncIterable<Float32Array> | null {
    const view = this.views.get(name);
    if (!view) throw new WeightFileError('no-such-tensor', this.file, `no tensor named "${name}"`);
    const count = elementCount(view.shape);
    const { dtype, entry } = view.storage;
    const contiguous = entry.method === 0 && isRowMajor(view.shape, view.stride) && view.last - view.offset + 1 === count;
    if (count > 0 && !contiguous) return null;
    const at = view.offset * DTYPE_BYTES[dtype];
    return decodedChunks(
      (offset, length) => readZipEntryRange(this.source, entry, at + offset, length),
      { dtype, count, littleEndian: this.littleEndian },
      chunkElements,
    );
  }

  close(): Promise<void> {
    return this.source.close();
  }
}

/** True when a view with these strides walks its elements in row-major order without gaps. */
function isRowMajor(shape: readonly number[], stride: readonly number[]): boolean {
  let expected = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (shape[d] !== 1 && stride[d] !== expected) return false;
    expected *= shape[d]!;
  }
  return true;
}

/** Copies a strided view (strides relative to span[0]) into row-major order, odometer style. */
function gather(span: Float32Array, shape: readonly number[], stride: readonly number[], count: number): Float32Array {
  const out = new Float32Array(count);
  const index = new Array<number>(shape.length).fill(0);
  let at = 0;
  for (let i = 0; i < count; i++) {
    out[i] = span[at]!;
    for (let d = shape.length - 1; d >= 0; d--) {
      index[d]!++;
      at += stride[d]!;
      if (index[d]! < shape[d]!) break;
      at -= stride[d]! * shape[d]!;
      index[d] = 0;
    }
  }
  return out;
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

/** A pickle's first opcode is PROTO 2–5 (what torch.save writes, zip or legacy). */
function looksLikePickle(head: Uint8Array): boolean {
  return head[0] === 0x80 && head[1]! >= 2 && head[1]! <= 5;
}

async function open(source: ByteSource): Promise<WeightFileReader> {
  const file = source.name;
  const head = await source.read(0, Math.min(source.size, 64));
  if (!startsWith(head, ZIP_MAGIC)) await refuseNonZip(source);
  const entries = await readZipDirectory(source);
  const pickleEntry = entries.find((e) => /^[^/]+\/data\.pkl$/.test(e.name));
  if (!pickleEntry) {
    throw new WeightFileError('unknown-format', file, 'a zip archive without <archive>/data.pkl, so not a torch.save file');
  }
  const prefix = pickleEntry.name.slice(0, -'data.pkl'.length);
  const byName = new Map(entries.map((e) => [e.name, e]));
  const littleEndian = await readByteOrder(source, byName.get(`${prefix}byteorder`));
  const savedMetadata = await readSavedMetadata(source, byName.get(`${prefix}${METADATA_ENTRY}`));

  const storages = new Map<string, Storage>();
  const root = unpickle(await readZipEntry(source, pickleEntry, MAX_PICKLE_BYTES), {
    file,
    globals: stateDictGlobals(file),
    persistentLoad: (pid) => loadStorage(pid, file, prefix, byName, storages),
  });
  const { views, metadata } = collectStateDict(root, file);
  return new PthReader(source, views, { ...metadata, ...savedMetadata }, littleEndian);
}

/**
 * A file that is not a zip. torch.load would unpickle it pickle after pickle (its legacy format is
 * several pickles, then raw storages), so the pickles at its start are scanned — any protocol, never run
 * — and a forbidden global in any of them is reported by name. Otherwise the legacy format gets advice,
 * and anything else is not a PyTorch file. The scan reads 1 MiB, and more only while a pickle runs past it.
 */
async function refuseNonZip(source: ByteSource): Promise<never> {
  const file = source.name;
  const limit = Math.min(source.size, MAX_PICKLE_BYTES);
  let length = Math.min(limit, SCAN_WINDOW_BYTES);
  let bytes = await source.read(0, length);
  let scan = scanPickles(bytes, file);
  while (scan.ranPastEnd && length < limit) {
    length = Math.min(limit, length * 16);
    bytes = await source.read(0, length);
    scan = scanPickles(bytes, file);
  }
  if (scan.values[0] === LEGACY_MAGIC) {
    throw new WeightFileError('unsupported', file, 'legacy (pre-1.6) torch.save format; re-save it with torch >= 1.6');
  }
  if (scan.values.length > 0 || looksLikePickle(bytes)) {
    throw new WeightFileError('unknown-format', file, 'a bare pickle, not a torch.save zip archive');
  }
  throw new WeightFileError('unknown-format', file, 'not a PyTorch file: neither a zip archive nor a pickle');
}

/**
 * The values of the pickles one after another at the start of `bytes`, up to the first that does not
 * decode (`ranPastEnd` when it needed bytes past the end); a forbidden global in any of them throws.
 */
function scanPickles(bytes: Uint8Array, file: string): { values: PickleValue[]; ranPastEnd: boolean } {
  const values: PickleValue[] = [];
  const globals = stateDictGlobals(file);
  for (let at = 0; at < bytes.length && values.length < MAX_SCANNED_PICKLES;) {
    try {
      const { value, length } = unpicklePrefix(bytes.subarray(at), { file, globals });
      values.push(value);
      at += length;
    } catch (e) {
      if (isWeightFileError(e) && e.code === 'forbidden-global') throw e;
      return { values, ranPastEnd: isWeightFileError(e) && e.code === 'truncated' };
    }
  }
  return { values, ranPastEnd: false };
}

async function readByteOrder(source: ByteSource, entry: ZipEntry | undefined): Promise<boolean> {
  if (!entry) return true;
  const text = new TextDecoder().decode(await readZipEntry(source, entry, 16)).trim();
  if (text !== 'little' && text !== 'big') {
    throw new WeightFileError('bad-header', source.name, `${entry.name} says "${text}"; expected "little" or "big"`);
  }
  return text === 'little';
}

async function readSavedMetadata(source: ByteSource, entry: ZipEntry | undefined): Promise<Metadata> {
  if (!entry) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(await readZipEntry(source, entry, MAX_SMALL_ENTRY_BYTES)));
  } catch (e) {
    if (isWeightFileError(e)) throw e;
    throw new WeightFileError('bad-header', source.name, `${entry.name} is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || Object.values(parsed).some((v) => typeof v !== 'string')) {
    throw new WeightFileError('bad-header', source.name, `${entry.name} must be a JSON object of strings`);
  }
  return parsed as Metadata;
}

/** The globals a state dict may name: the dict type, tensor and parameter rebuilders, storage types. */
function stateDictGlobals(file: string): Map<string, GlobalBuilder | null> {
  const rebuildTensor: GlobalBuilder = (args) => rebuildView(args, file);
  const rebuildParameter =
    (arity: number): GlobalBuilder =>
    (args) => {
      const data = args[0];
      if (args.length !== arity || !(data instanceof TensorView)) {
        throw new WeightFileError('bad-header', file, `a parameter must be rebuilt from ${arity} arguments, the first a tensor`);
      }
      return data;
    };
  const globals = new Map<string, GlobalBuilder | null>([
    ['collections.OrderedDict', (args) => orderedDict(args, file)],
    ['torch._utils._rebuild_tensor_v2', rebuildTensor],
    ['torch._utils._rebuild_parameter', rebuildParameter(3)],
    ['torch._utils._rebuild_parameter_with_state', rebuildParameter(4)],
    ['torch._utils._rebuild_tensor', rebuildTensor],
  ]);
  for (const name of Object.keys(STORAGE_DTYPES)) globals.set(name, null);
  return globals;
}

function orderedDict(args: readonly PickleValue[], file: string): Map<PickleValue, PickleValue> {
  if (args.length !== 0) throw new WeightFileError('unsupported', file, 'OrderedDict is called with arguments; only OrderedDict() is supported');
  return new Map();
}

/** _rebuild_tensor(storage, offset, size, stride) and _v2 (…, requires_grad, hooks[, metadata]). */
function rebuildView(args: readonly PickleValue[], file: string): TensorView {
  const [storage, offset, size, stride] = args;
  if (args.length < 4 || args.length > 7 || !(storage instanceof Storage)) {
    throw new WeightFileError('bad-header', file, 'a tensor must be rebuilt from (storage, offset, size, stride, …)');
  }
  const shape = intTuple(size, 'size', file);
  const strides = intTuple(stride, 'stride', file);
  const start = nonNegativeInt(offset!, 'storage offset', file);
  const described = `a view of storage "${storage.key}" (offset ${start}, size [${shape.join(', ')}], stride [${strides.join(', ')}])`;
  if (shape.length !== strides.length) throw new WeightFileError('bad-header', file, `${described} has ${shape.length} sizes but ${strides.length} strides`);
  const last = shape.reduce((at, n, d) => at + (n - 1) * strides[d]!, start);
  if (!shape.includes(0) && (!Number.isSafeInteger(last) || last >= storage.numel)) {
    throw new WeightFileError('out-of-bounds', file, `${described} reaches element ${last}, but the storage has ${storage.numel} elements`);
  }
  return new TensorView(storage, start, shape, strides, last);
}

function intTuple(value: PickleValue | undefined, what: string, file: string): number[] {
  if (!Array.isArray(value)) throw new WeightFileError('bad-header', file, `a tensor ${what} must be a tuple, got ${describeValue(value ?? null)}`);
  return (value as PickleValue[]).map((n) => nonNegativeInt(n, what, file));
}

function nonNegativeInt(value: PickleValue, what: string, file: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new WeightFileError('bad-header', file, `a tensor ${what} must be a non-negative integer, got ${describeValue(value)}`);
  }
  return value;
}

/** Resolves a persistent id ('storage', storage type, key, location, numel) to a Storage. */
function loadStorage(pid: PickleValue, file: string, prefix: string, entries: ReadonlyMap<string, ZipEntry>, storages: Map<string, Storage>): Storage {
  if (!Array.isArray(pid) || pid.length !== 5 || pid[0] !== 'storage') {
    throw new WeightFileError('bad-header', file, `unexpected persistent id ${describeValue(pid)}; expected ('storage', type, key, location, numel)`);
  }
  const [, type, key, , numel] = pid as PickleValue[];
  if (!(type instanceof PickleGlobal) || typeof key !== 'string' || typeof numel !== 'number' || !Number.isSafeInteger(numel) || numel < 0) {
    throw new WeightFileError('bad-header', file, `malformed storage id ${describeValue(pid)}`);
  }
  const dtype = STORAGE_DTYPES[type.qualifiedName];
  if (!dtype) throw new WeightFileError('unknown-dtype', file, `storage "${key}" has type ${type.qualifiedName}, which cannot be read`);
  const cached = storages.get(`${dtype}:${key}`);
  if (cached) return cached;
  const entry = entries.get(`${prefix}data/${key}`);
  if (!entry) throw new WeightFileError('bad-header', file, `the pickle refers to storage "${key}", but the archive has no entry ${prefix}data/${key}`);
  const bytes = numel * DTYPE_BYTES[dtype];
  if (entry.size < bytes) {
    throw new WeightFileError(
      'truncated',
      file,
      `storage "${key}" should hold ${numel} ${dtype} values (${bytes} bytes), but ${entry.name} has ${entry.size} bytes`,
    );
  }
  const storage = new Storage(key, dtype, numel, entry);
  storages.set(`${dtype}:${key}`, storage);
  return storage;
}

/**
 * Walks the unpickled object: dicts (and lists holding tensors or dicts) are flattened with '.', tensors
 * collected in order, other values kept as metadata strings. A bare tensor is named after the file.
 */
function collectStateDict(root: PickleValue, file: string): { views: Map<string, TensorView>; metadata: Metadata } {
  const views = new Map<string, TensorView>();
  const metadata = new Map<string, string>(); // a Map, so a key like "__proto__" is kept as data
  if (root instanceof TensorView) {
    views.set(basename(file, extname(file)), root);
    return { views, metadata: {} };
  }
  if (!(root instanceof Map)) {
    throw new WeightFileError('unsupported', file, `the file holds a ${describeValue(root)}, not a state dict or a tensor`);
  }
  const pending: Array<{ name: string; value: PickleValue; depth: number }> = [];
  let seen = 0;
  const pushChildren = (prefix: string, value: Map<PickleValue, PickleValue> | readonly PickleValue[], depth: number): void => {
    if (depth > MAX_DEPTH) throw new WeightFileError('unsupported', file, `"${prefix}" is nested more than ${MAX_DEPTH} levels deep`);
    const children = value instanceof Map ? [...value] : value.map((v, i) => [i, v] as const);
    seen += children.length;
    if (seen > MAX_VALUES) throw new WeightFileError('unsupported', file, `the state dict has more than ${MAX_VALUES} values`);
    for (let i = children.length - 1; i >= 0; i--) {
      const [key, child] = children[i]!;
      const keyText = describeValue(key);
      pending.push({ name: prefix ? `${prefix}.${keyText}` : keyText, value: child, depth });
    }
  };
  pushChildren('', root, 1);
  while (pending.length > 0) {
    const { name, value, depth } = pending.pop()!;
    if (value instanceof TensorView) {
      if (views.has(name)) throw new WeightFileError('bad-header', file, `two tensors are named "${name}"`);
      views.set(name, value);
    } else if (value instanceof Map || (Array.isArray(value) && value.some((v) => v instanceof TensorView || v instanceof Map))) {
      pushChildren(name, value, depth + 1);
    } else {
      metadata.set(name, describeValue(value));
    }
  }
  return { views, metadata: Object.fromEntries(metadata) };
}

/** A short text for a non-tensor value: scalars as Python prints them, lists of scalars, else the type. */
function describeValue(value: PickleValue): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return Number.isNaN(value) ? 'nan' : value === Infinity ? 'inf' : value === -Infinity ? '-inf' : String(value);
  if (typeof value === 'bigint' || typeof value === 'string') return String(value);
  if (value instanceof PickleGlobal) return value.qualifiedName;
  if (Array.isArray(value) && value.length <= 64 && value.every((v) => v === null || typeof v !== 'object')) {
    const items = value.map((v) => (typeof v === 'string' ? JSON.stringify(v) : describeValue(v)));
    return Object.isFrozen(value) ? `(${items.join(', ')})` : `[${items.join(', ')}]`;
  }
  return `<${typeName(value)}>`;
}

/** Row-major strides, as torch computes them (a zero-size dimension counts as 1). */
function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let step = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = step;
    step *= Math.max(shape[d]!, 1);
  }
  return strides;
}

/** The archive folder name torch would use: the file's base name, in [A-Za-z0-9_]. */
function archiveName(file: string): string {
  return basename(file, extname(file)).replace(/[^A-Za-z0-9_]/g, '_') || 'archive';
}

function encode(set: WeightSet, file: string, options: WriteOptions = {}): Uint8Array[] {
  const dtype = options.dtype ?? 'F32';
  const archive = archiveName(file);
  const pickle = new PickleWriter(2).global('collections', 'OrderedDict').emptyTuple().reduce().mark();
  set.tensors.forEach((t, i) => {
    pickle.string(t.name).global('torch._utils', '_rebuild_tensor_v2').mark();
    pickle
      .mark()
      .string('storage')
      .global('torch', dtype === 'F16' ? 'HalfStorage' : 'FloatStorage');
    pickle.string(String(i)).string('cpu').int(t.data.length).tupleFromMark().binPersId();
    pickle.int(0).intTuple(t.shape).intTuple(contiguousStrides(t.shape)).bool(false);
    pickle.global('collections', 'OrderedDict').emptyTuple().reduce(); // backward hooks
    pickle.tupleFromMark().reduce();
  });
  const text = new TextEncoder();
  const files: Array<{ name: string; data: Uint8Array }> = [
    { name: `${archive}/data.pkl`, data: pickle.setItems().stop() },
    { name: `${archive}/byteorder`, data: text.encode('little') },
    ...set.tensors.map((t, i) => ({ name: `${archive}/data/${i}`, data: encodeFloat32(t.data, dtype) })),
  ];
  if (Object.keys(set.metadata).length > 0) {
    files.push({ name: `${archive}/${METADATA_ENTRY}`, data: text.encode(JSON.stringify(set.metadata)) });
  }
  files.push({ name: `${archive}/version`, data: text.encode('3\n') });
  return writeZip(files, { align: 64 });
}

export const pthFormat: WeightFormat = {
  name: 'pth',
  extensions: ['.pt', '.pth'],
  sniff: (head) => startsWith(head, ZIP_MAGIC) || looksLikePickle(head),
  open,
  encode,
};
