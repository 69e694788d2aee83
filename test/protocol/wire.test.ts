// Float32 arrays in messages: bit-exact round trips and clear errors for text that is not one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeFloat32, encodeFloat32 } from '../../src/protocol/wire';

test('encode → decode keeps every bit, including NaN, -0, ±Inf and subnormals, for sizes past one chunk', () => {
  const values = new Float32Array(70_001);
  for (let i = 0; i < values.length; i++) values[i] = Math.sin(i) * 10 ** ((i % 20) - 10);
  values.set([NaN, -0, Infinity, -Infinity, 1e-45], 0);
  const back = decodeFloat32(encodeFloat32(values));
  assert.deepEqual(new Uint8Array(back.buffer), new Uint8Array(values.buffer));
});

test('a view into a larger buffer encodes only its own elements', () => {
  const all = new Float32Array([1, 2, 3, 4, 5]);
  assert.deepEqual([...decodeFloat32(encodeFloat32(all.subarray(1, 3)))], [2, 3]);
});

test('text that is not base64 of whole float32 values is refused with a TypeError', () => {
  assert.throws(() => decodeFloat32('not base64!'), TypeError);
  assert.throws(() => decodeFloat32(btoa('abc')), /3 bytes is not a whole number of float32 values/);
  assert.throws(() => decodeFloat32(42 as unknown as string), TypeError);
});
