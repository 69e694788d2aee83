// The heatmap colour scales: symmetric around 0, monotone in the right direction, clamped, NaN/Inf marked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { divergingScale, finiteRange, NON_FINITE_COLOUR, sequentialScale } from '../../webview/shared/colourScale';

const brightness = ([r, g, b]: readonly number[]): number => r! + g! + b!;

test('finiteRange ignores NaN and ±Inf and is 0..0 when nothing is finite', () => {
  assert.deepEqual(finiteRange([3, NaN, -2, Infinity, 0.5, -Infinity]), { min: -2, max: 3 });
  assert.deepEqual(finiteRange([NaN, Infinity]), { min: 0, max: 0 });
});

test('the diverging scale is symmetric: ±v get mirrored colours, 0 is the light neutral middle', () => {
  const scale = divergingScale(-0.5, 2);
  assert.equal(scale.min, -2);
  assert.equal(scale.max, 2);
  const zero = scale.colour(0);
  for (const v of [0.3, 1, 2]) {
    const pos = scale.colour(v);
    const neg = scale.colour(-v);
    assert.ok(pos[0] > pos[2], `+${v} is red-ish: ${pos}`);
    assert.ok(neg[2] > neg[0], `-${v} is blue-ish: ${neg}`);
    assert.ok(brightness(zero) > brightness(pos) && brightness(zero) > brightness(neg), 'the neutral middle is the lightest');
  }
  // Larger magnitudes are darker on both sides.
  assert.ok(brightness(scale.colour(2)) < brightness(scale.colour(0.5)));
  assert.ok(brightness(scale.colour(-2)) < brightness(scale.colour(-0.5)));
  // Clamped beyond the range.
  assert.deepEqual(scale.colour(50), scale.colour(2));
});

test('the sequential scale grows in brightness from min to max; non-finite values get the marker colour', () => {
  const scale = sequentialScale(10, 20);
  let previous = -1;
  for (let v = 10; v <= 20; v += 1) {
    const b = brightness(scale.colour(v));
    assert.ok(b > previous, `brightness at ${v}`);
    previous = b;
  }
  assert.deepEqual(scale.colour(NaN), NON_FINITE_COLOUR);
  assert.deepEqual(divergingScale(-1, 1).colour(-Infinity), NON_FINITE_COLOUR);
  // A constant matrix still draws (the palette's middle), it does not divide by zero.
  assert.ok(
    sequentialScale(3, 3)
      .colour(3)
      .every((c) => Number.isFinite(c)),
  );
});
