import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bfloat16ToFloat, decodeToFloat32, floatToHalf, halfToFloat } from '../../src/core/tensor/dtype';

test('every finite half survives half → float → half unchanged', () => {
  for (let h = 0; h < 0x10000; h++) {
    const exponent = (h >> 10) & 0x1f;
    if (exponent === 0x1f && h & 0x3ff) continue; // NaN payloads are not preserved, only NaN-ness
    assert.equal(floatToHalf(halfToFloat(h)), h, `half 0x${h.toString(16)}`);
  }
  assert.ok(Number.isNaN(halfToFloat(floatToHalf(NaN))));
});

test('float → half rounds to nearest, ties to even (checked at every midpoint between positive halves)', () => {
  for (let h = 0; h < 0x7bff; h++) {
    const lo = halfToFloat(h);
    const hi = halfToFloat(h + 1);
    const mid = (lo + hi) / 2; // exact in float64; also exact in float32 for halves
    if (Math.fround(mid) !== mid) continue;
    const even = h % 2 === 0 ? h : h + 1;
    assert.equal(floatToHalf(mid), even, `midpoint between 0x${h.toString(16)} and 0x${(h + 1).toString(16)}`);
    assert.equal(floatToHalf(Math.fround(lo + (hi - lo) * 0.25)), h);
    assert.equal(floatToHalf(Math.fround(lo + (hi - lo) * 0.75)), h + 1);
  }
});

test('bfloat16 is the top half of a float32', () => {
  const f = new Float32Array([1.5, -3.25, 1e30, -1e-30]);
  const u = new Uint32Array(f.buffer);
  const truncated = new Float32Array(new Uint32Array(Array.from(u, (x) => x & 0xffff0000)).buffer);
  for (let i = 0; i < f.length; i++) assert.equal(bfloat16ToFloat(u[i]! >>> 16), truncated[i]);
  assert.equal(bfloat16ToFloat(0x3fc0), 1.5);
});

test('decoding honours endianness and refuses short buffers', () => {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setFloat32(0, 1.25, false);
  new DataView(bytes.buffer).setInt32(4, -7, false);
  assert.equal(decodeToFloat32(bytes.subarray(0, 4), 'F32', 1, false)[0], 1.25);
  assert.equal(decodeToFloat32(bytes.subarray(4), 'I32', 1, false)[0], -7);
  assert.throws(() => decodeToFloat32(bytes, 'F64', 2), RangeError);
});
