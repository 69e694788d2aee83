/**
 * Big numeric arrays in messages: a Float32Array travels as the base64 of its little-endian bytes, which is
 * about 4× smaller than a JSON array of numbers and keeps every bit (NaN payloads, -0). Runs in Node and in
 * the browser (btoa/atob exist in both), so the host and the webviews share it.
 */

const CHUNK = 0x8000;

function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary);
}

function isLittleEndian(): boolean {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
}

export function encodeFloat32(values: Float32Array): string {
  if (!isLittleEndian()) throw new Error('encodeFloat32: big-endian platforms are not supported');
  return bytesToBase64(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
}

/** Throws a TypeError naming the problem when `text` is not base64 of a whole number of float32 values. */
export function decodeFloat32(text: string): Float32Array {
  if (typeof text !== 'string') throw new TypeError('decodeFloat32: expected a base64 string');
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    throw new TypeError('decodeFloat32: not valid base64');
  }
  if (binary.length % 4 !== 0) throw new TypeError(`decodeFloat32: ${binary.length} bytes is not a whole number of float32 values`);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new Float32Array(bytes.buffer);
}
