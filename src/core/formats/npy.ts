/**
 * NumPy .npy files, format versions 1.0, 2.0 and 3.0: the magic "\x93NUMPY", a version, a header that is
 * a Python dict literal (parsed by a small strict parser, never evaluated), then the raw array in C or
 * Fortran order. The header helpers, decoder and encoder here are shared with npz, whose members are
 * .npy files. Opening reads only the header; the one tensor is named after the file.
 */
import { basename } from 'node:path';
import { WeightFileError, type WeightFileErrorCode } from '../errors';
import { DTYPE_BYTES, decodeToFloat32, elementCount, encodeFloat32, type DType } from '../tensor/dtype';
import { decodedChunks, type ReadBytes } from './chunks';
import type { WeightFormat } from './format';

const MAGIC = Uint8Array.of(0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59);
/** numpy pads the magic + header to a multiple of this. */
const ARRAY_ALIGN = 64;
/** numpy leaves room in the header for the first dimension to grow to this many digits. */
const GROWTH_AXIS_MAX_DIGITS = 21;
const MAX_NESTING = 16;

const DESCR_DTYPES: Readonly<Record<string, DType>> = { f8: 'F64', f4: 'F32', f2: 'F16', i8: 'I64', i4: 'I32', i2: 'I16', i1: 'I8', u1: 'U8', b1: 'BOOL' };

export interface NpyHeader {
  readonly dtype: DType;
  /** Logical (row-major) shape. */
  readonly shape: readonly number[];
  readonly fortranOrder: boolean;
  readonly littleEndian: boolean;
  /** Where the array data starts (magic + preamble + header). */
  readonly dataOffset: number;
  /** Bytes of array data the dtype and shape need. */
  readonly dataBytes: number;
}

/** `label` names the array inside a container (e.g. an npz member) in messages; '' for a plain .npy. */
function npyError(code: WeightFileErrorCode, file: string, label: string, detail: string): WeightFileError {
  return new WeightFileError(code, file, label ? `${label}: ${detail}` : detail);
}

function readPreamble(bytes: Uint8Array, file: string, label: string): { major: number; headerStart: number; dataOffset: number } {
  if (MAGIC.some((b, i) => i < bytes.length && bytes[i] !== b)) {
    throw npyError('bad-header', file, label, 'not an npy array (it does not start with "\\x93NUMPY")');
  }
  if (bytes.length < 8) throw npyError('truncated', file, label, `the npy data ends after ${bytes.length} bytes, inside its magic string`);
  const [major, minor] = [bytes[6]!, bytes[7]!];
  if (major < 1 || major > 3 || minor !== 0) {
    throw npyError('unsupported', file, label, `npy format version ${major}.${minor} is not supported (1.0, 2.0 and 3.0 are)`);
  }
  const headerStart = major === 1 ? 10 : 12;
  if (bytes.length < headerStart) throw npyError('truncated', file, label, `the npy data ends after ${bytes.length} bytes, inside its header length`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? v.getUint16(8, true) : v.getUint32(8, true);
  return { major, headerStart, dataOffset: headerStart + headerLength };
}

/** Where the data starts, from the first 10 (version 1.0) or 12 (2.0, 3.0) bytes. */
export function npyHeaderEnd(prefix: Uint8Array, file: string, label = ''): number {
  return readPreamble(prefix, file, label).dataOffset;
}

/** Parses the header from bytes that start at the magic string and hold at least the whole header. */
export function parseNpyHeader(bytes: Uint8Array, file: string, label = ''): NpyHeader {
  const { major, headerStart, dataOffset } = readPreamble(bytes, file, label);
  if (bytes.length < dataOffset) {
    throw npyError('truncated', file, label, `the header ends at byte ${dataOffset} but there are only ${bytes.length} bytes`);
  }
  const raw = Buffer.from(bytes.buffer, bytes.byteOffset + headerStart, dataOffset - headerStart);
  const text = raw.toString(major === 3 ? 'utf8' : 'latin1');
  let dict: PyValue;
  try {
    dict = parsePyLiteral(text, major < 3);
  } catch (e) {
    throw npyError('bad-header', file, label, `cannot parse the header ${JSON.stringify(text.trim())}: ${(e as Error).message}`);
  }
  const fail = (code: WeightFileErrorCode, detail: string): never => {
    throw npyError(code, file, label, detail);
  };
  if (!(dict instanceof Map)) return fail('bad-header', `the header is not a dict: ${JSON.stringify(text.trim())}`);
  const keys = [...dict.keys()].sort();
  if (keys.join() !== 'descr,fortran_order,shape') {
    fail('bad-header', `the header has keys ${keys.map((k) => `'${k}'`).join(', ') || 'none'}; expected 'descr', 'fortran_order' and 'shape'`);
  }
  const { dtype, littleEndian } = dtypeOfDescr(dict.get('descr')!, fail);
  const fortranOrder = dict.get('fortran_order');
  if (typeof fortranOrder !== 'boolean') return fail('bad-header', `'fortran_order' must be True or False`);
  const shape = shapeOf(dict.get('shape')!, fail);
  const count = elementCount(shape);
  const dataBytes = count * DTYPE_BYTES[dtype];
  if (!Number.isSafeInteger(dataBytes)) fail('bad-header', `shape (${shape.join(', ')}) is too large`);
  return { dtype, shape, fortranOrder, littleEndian, dataOffset, dataBytes };
}

function dtypeOfDescr(descr: PyValue, fail: (code: WeightFileErrorCode, detail: string) => never): { dtype: DType; littleEndian: boolean } {
  if (Array.isArray(descr)) return fail('unsupported', 'structured arrays (record dtypes) are not supported');
  if (typeof descr !== 'string') return fail('bad-header', `'descr' must be a string`);
  if (/^[<>|=]?O\d*$/.test(descr)) {
    return fail('unsupported', `object arrays ('${descr}', pickled Python objects) are not supported; save a numeric array`);
  }
  const match = /^([<>|=]?)([a-z]\d+)$/.exec(descr);
  const dtype = match ? DESCR_DTYPES[match[2]!] : undefined;
  if (!match || !dtype || (match[1] === '|' && DTYPE_BYTES[dtype] > 1)) {
    return fail('unknown-dtype', `unsupported element type '${descr}' (supported: float64/32/16, int64/32/16/8, uint8, bool)`);
  }
  // '=' is the writer's native order; numpy itself always writes '<' or '>', and hosts are little-endian.
  return { dtype, littleEndian: match[1] !== '>' };
}

function shapeOf(value: PyValue, fail: (code: WeightFileErrorCode, detail: string) => never): number[] {
  if (!(value instanceof PyTuple)) return fail('bad-header', `'shape' must be a tuple`);
  return value.items.map((d) => {
    if (typeof d !== 'bigint') return fail('bad-header', `shape dimension ${String(d)} is not an integer`);
    if (d < 0n) return fail('bad-header', `shape dimension ${d} is negative`);
    if (d > BigInt(Number.MAX_SAFE_INTEGER)) return fail('bad-header', `shape dimension ${d} is too large`);
    return Number(d);
  });
}

/** The array data must be exactly as long as the shape needs. */
export function checkNpyDataSize(header: NpyHeader, available: number, file: string, label = ''): void {
  if (available !== header.dataBytes) {
    throw npyError(
      'shape-mismatch',
      file,
      label,
      `shape (${header.shape.join(', ')}) of ${header.dtype} needs ${header.dataBytes} data bytes but there are ${available}`,
    );
  }
}

/** Decodes the array data (exactly `header.dataBytes` bytes) to row-major float32. */
export function decodeNpyData(header: NpyHeader, data: Uint8Array): Float32Array {
  const values = decodeToFloat32(data, header.dtype, elementCount(header.shape), header.littleEndian);
  return header.fortranOrder && header.shape.length > 1 ? fortranToRowMajor(values, header.shape) : values;
}

/**
 * The array data in row-major chunks (chunks.ts), `read` reading bytes of the data; null for a
 * Fortran-order array of rank ≥ 2, whose row-major order is not the order of its bytes.
 */
export function npyDataChunks(
  header: NpyHeader,
  read: ReadBytes,
  chunkElements: number,
  onBytes?: (bytes: Uint8Array) => void,
): AsyncIterable<Float32Array> | null {
  if (header.fortranOrder && header.shape.length > 1) return null;
  return decodedChunks(read, { dtype: header.dtype, count: elementCount(header.shape), littleEndian: header.littleEndian }, chunkElements, onBytes);
}

/** Reorders column-major values to row-major, moving bit patterns (NaN payloads survive). */
function fortranToRowMajor(values: Float32Array, shape: readonly number[]): Float32Array {
  const src = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const out = new Uint32Array(values.length);
  const strides = shape.map((_, k) => elementCount(shape.slice(0, k)));
  const index = shape.map(() => 0);
  let from = 0;
  for (let i = 0; i < out.length; i++) {
    out[i] = src[from]!;
    for (let k = shape.length - 1; k >= 0; k--) {
      index[k]!++;
      from += strides[k]!;
      if (index[k]! < shape[k]!) break;
      from -= index[k]! * strides[k]!;
      index[k] = 0;
    }
  }
  return new Float32Array(out.buffer);
}

/** Encodes a row-major array as numpy's np.save would: version 1.0 (2.0 for huge headers), '<f4' or '<f2'. */
export function encodeNpy(data: Float32Array, shape: readonly number[], dtype: 'F32' | 'F16' = 'F32'): Uint8Array[] {
  if (elementCount(shape) !== data.length) throw new RangeError(`shape (${shape.join(', ')}) does not hold ${data.length} values`);
  const dims = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let dict = `{'descr': '${dtype === 'F32' ? '<f4' : '<f2'}', 'fortran_order': False, 'shape': ${dims}, }`;
  if (shape.length > 0) dict += ' '.repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - String(shape[0]).length));
  const textLength = dict.length + 1; // + '\n'
  const major = 10 + textLength + ARRAY_ALIGN <= 0xffff ? 1 : 2;
  const headerStart = major === 1 ? 10 : 12;
  const headerLength = textLength + ARRAY_ALIGN - ((headerStart + textLength) % ARRAY_ALIGN);
  const header = new Uint8Array(headerStart + headerLength).fill(0x20);
  header.set([...MAGIC, major, 0]);
  const v = new DataView(header.buffer);
  if (major === 1) v.setUint16(8, headerLength, true);
  else v.setUint32(8, headerLength, true);
  header.set(Buffer.from(dict, 'latin1'), headerStart);
  header[header.length - 1] = 0x0a;
  return [header, encodeFloat32(data, dtype)];
}

export const npyFormat: WeightFormat = {
  name: 'npy',
  extensions: ['.npy'],
  sniff: (head) => head.length >= MAGIC.length && MAGIC.every((b, i) => head[i] === b),

  async open(source) {
    const file = source.name;
    const dataOffset = npyHeaderEnd(await source.read(0, Math.min(source.size, 12)), file);
    if (dataOffset > source.size) {
      throw new WeightFileError(
        'truncated',
        file,
        `the header length says the header ends at byte ${dataOffset}, past the end of the file (${source.size} bytes)`,
      );
    }
    const header = parseNpyHeader(await source.read(0, dataOffset), file);
    checkNpyDataSize(header, source.size - dataOffset, file);
    const info = { name: basename(file).replace(/\.npy$/i, ''), dtype: header.dtype, shape: header.shape };
    return {
      file,
      format: 'npy',
      metadata: {},
      tensors: [info],
      async readTensor(name) {
        if (name !== info.name) throw new WeightFileError('no-such-tensor', file, `no tensor "${name}" (an .npy file holds one array, "${info.name}")`);
        return decodeNpyData(header, await source.read(dataOffset, header.dataBytes));
      },
      readTensorChunks(name, chunkElements) {
        if (name !== info.name) throw new WeightFileError('no-such-tensor', file, `no tensor "${name}" (an .npy file holds one array, "${info.name}")`);
        return npyDataChunks(header, (offset, length) => source.read(dataOffset + offset, length), chunkElements);
      },
      close: () => source.close(),
    };
  },

  encode(set, file, options = {}) {
    if (set.tensors.length !== 1) {
      throw new WeightFileError(
        'invalid-value',
        file,
        `an .npy file holds exactly one array but there are ${set.tensors.length} tensors; use .npz or .safetensors`,
      );
    }
    const t = set.tensors[0]!;
    return encodeNpy(t.data, t.shape, options.dtype ?? 'F32');
  },
};

/** The Python literals an npy header uses. Ints are bigints so that 3 and 3.0 stay distinct. */
type PyValue = string | bigint | number | boolean | null | PyValue[] | PyTuple | Map<string, PyValue>;

class PyTuple {
  constructor(readonly items: PyValue[]) {}
}

const STRING = /'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"/y;
const NUMBER = /([-+]?\d+)(\.\d*)?([eE][-+]?\d+)?(L?)/y;
const KEYWORD = /(True|False|None)\b/y;
const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\', "'": "'", '"': '"', n: '\n', t: '\t', r: '\r', '0': '\0' };

/**
 * Parses a Python literal made of dicts with string keys, tuples, lists, strings, ints, floats, True,
 * False and None. `allowLongSuffix` accepts Python 2's "3L" ints, which old 1.0/2.0 headers contain.
 */
function parsePyLiteral(text: string, allowLongSuffix: boolean): PyValue {
  let pos = 0;
  const error = (what: string): never => {
    throw new SyntaxError(`${what} at character ${pos}`);
  };
  const skipSpace = (): void => {
    while (pos < text.length && ' \t\r\n'.includes(text[pos]!)) pos++;
  };
  const match = (re: RegExp): RegExpExecArray | null => {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (m) pos = re.lastIndex;
    return m;
  };
  /** Comma-separated values up to `close`; reports whether there was a trailing comma. */
  const items = (close: string, depth: number): { values: PyValue[]; comma: boolean } => {
    const values: PyValue[] = [];
    let comma = false;
    for (;;) {
      skipSpace();
      if (text[pos] === close) break;
      if (values.length > 0 && !comma) error(`expected ',' or '${close}'`);
      values.push(value(depth + 1));
      skipSpace();
      comma = text[pos] === ',';
      if (comma) pos++;
    }
    pos++;
    return { values, comma };
  };
  const value = (depth: number): PyValue => {
    if (depth > MAX_NESTING) error('too deeply nested');
    skipSpace();
    const c = text[pos];
    if (c === '{') {
      pos++;
      const dict = new Map<string, PyValue>();
      for (;;) {
        skipSpace();
        if (text[pos] === '}') break;
        if (dict.size > 0) {
          if (text[pos] !== ',') error(`expected ',' or '}'`);
          pos++;
          skipSpace();
          if (text[pos] === '}') break;
        }
        const key = value(depth + 1);
        if (typeof key !== 'string') error('dict keys must be strings');
        if (dict.has(key as string)) error(`duplicate key '${key as string}'`);
        skipSpace();
        if (text[pos] !== ':') error(`expected ':'`);
        pos++;
        dict.set(key as string, value(depth + 1));
      }
      pos++;
      return dict;
    }
    if (c === '(') {
      pos++;
      const { values, comma } = items(')', depth);
      return values.length === 1 && !comma ? values[0]! : new PyTuple(values);
    }
    if (c === '[') {
      pos++;
      return items(']', depth).values;
    }
    const str = match(STRING);
    if (str) {
      return (str[1] ?? str[2]!).replace(/\\(.)/g, (_, e: string) => ESCAPES[e] ?? error(`unsupported escape '\\${e}'`));
    }
    const keyword = match(KEYWORD);
    if (keyword) return keyword[1] === 'True' ? true : keyword[1] === 'False' ? false : null;
    const num = match(NUMBER);
    if (num) {
      const [, int, fraction, exponent, long] = num;
      if (long && (!allowLongSuffix || fraction || exponent)) error(`unexpected 'L'`);
      return fraction || exponent ? Number(num[0]) : BigInt(int!);
    }
    return error(pos >= text.length ? 'unexpected end' : `unexpected '${text[pos]}'`);
  };
  const result = value(0);
  skipSpace();
  if (pos < text.length) error('unexpected text after the literal');
  return result;
}
