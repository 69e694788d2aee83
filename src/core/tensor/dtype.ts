/**
 * Element types as they appear in weight files (safetensors names), their sizes, and conversion of raw
 * little- or big-endian bytes into float32 for analysis. Weights are analysed as float32 everywhere.
 */
export type DType = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

export const DTYPE_BYTES: Readonly<Record<DType, number>> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };

export function isDType(value: string): value is DType {
  return Object.prototype.hasOwnProperty.call(DTYPE_BYTES, value);
}

/** Number of elements of a shape; the empty shape is a scalar with one element. */
export function elementCount(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

const f32Scratch = new Float32Array(1);
const u32Scratch = new Uint32Array(f32Scratch.buffer);

/** IEEE 754 half → float32 (exact: every half is a float32). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const mantissa = h & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** float32 → IEEE 754 half, rounding to nearest even; overflow gives ±Infinity, NaN stays NaN. */
export function floatToHalf(value: number): number {
  f32Scratch[0] = value;
  const x = u32Scratch[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  let mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    let m = mantissa >>> shift;
    const rest = mantissa & ((1 << shift) - 1);
    if (rest > half || (rest === half && m & 1)) m += 1;
    return sign | m;
  }
  const m = mantissa >>> 13;
  const rest = mantissa & 0x1fff;
  let h = sign | (e << 10) | m;
  if (rest > 0x1000 || (rest === 0x1000 && m & 1)) h += 1; // carry into the exponent is correct rounding
  return h;
}

/** bfloat16 → float32 (exact: the top 16 bits of a float32). */
export function bfloat16ToFloat(b: number): number {
  u32Scratch[0] = b << 16;
  return f32Scratch[0]!;
}

/**
 * Decodes `count` elements of `dtype` from `bytes` into float32. 64-bit integers beyond 2^53 lose
 * precision, which is acceptable for analysis; the original dtype is kept alongside.
 */
export function decodeToFloat32(bytes: Uint8Array, dtype: DType, count: number, littleEndian = true): Float32Array {
  const size = DTYPE_BYTES[dtype];
  if (bytes.byteLength < count * size) {
    throw new RangeError(`need ${count * size} bytes for ${count} ${dtype} values, have ${bytes.byteLength}`);
  }
  if (dtype === 'F32' && littleEndian) {
    const copy = new Uint8Array(count * 4);
    copy.set(bytes.subarray(0, count * 4));
    return new Float32Array(copy.buffer);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(count);
  const le = littleEndian;
  switch (dtype) {
    case 'F64':
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(i * 8, le);
      break;
    case 'F32':
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, le);
      break;
    case 'F16':
      for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(i * 2, le));
      break;
    case 'BF16':
      for (let i = 0; i < count; i++) out[i] = bfloat16ToFloat(view.getUint16(i * 2, le));
      break;
    case 'I64':
      for (let i = 0; i < count; i++) out[i] = Number(view.getBigInt64(i * 8, le));
      break;
    case 'I32':
      for (let i = 0; i < count; i++) out[i] = view.getInt32(i * 4, le);
      break;
    case 'I16':
      for (let i = 0; i < count; i++) out[i] = view.getInt16(i * 2, le);
      break;
    case 'I8':
      for (let i = 0; i < count; i++) out[i] = view.getInt8(i);
      break;
    case 'U8':
      for (let i = 0; i < count; i++) out[i] = view.getUint8(i);
      break;
    case 'BOOL':
      for (let i = 0; i < count; i++) out[i] = view.getUint8(i) !== 0 ? 1 : 0;
      break;
  }
  return out;
}

/** Encodes float32 values as little-endian F32 or F16 bytes (the dtypes we write). */
export function encodeFloat32(values: Float32Array, dtype: 'F32' | 'F16'): Uint8Array {
  if (dtype === 'F32') {
    return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  }
  const out = new Uint8Array(values.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setUint16(i * 2, floatToHalf(values[i]!), true);
  return out;
}
