/**
 * Seeded randomness for tests: mulberry32 (a 32-bit generator with a full period, plenty for test data)
 * and helpers for random shapes and float32 values that include the awkward ones (NaN, ±Inf, −0,
 * subnormals). The seed is printed by the caller on failure so a case can be replayed.
 */
export type Rng = () => number;

export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomInt(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

/** A shape of 0–4 dims (0 dims = scalar), sometimes with a zero-size dimension. */
export function randomShape(rng: Rng, maxDim = 5): number[] {
  const rank = randomInt(rng, 0, 4);
  return Array.from({ length: rank }, () => (rng() < 0.05 ? 0 : randomInt(rng, 1, maxDim)));
}

const SPECIAL = [NaN, Infinity, -Infinity, -0, 1.4e-45, -1.1754942e-38, 3.4028235e38];

/** Mostly normal values, with a few special ones mixed in. */
export function randomFloat32Array(rng: Rng, length: number): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    out[i] = rng() < 0.05 ? SPECIAL[randomInt(rng, 0, SPECIAL.length - 1)]! : (rng() - 0.5) * 10 ** randomInt(rng, -6, 6);
  }
  return out;
}

/** Bit patterns, so NaN payloads and −0 compare exactly. */
export function bits(values: Float32Array): Uint32Array {
  return new Uint32Array(values.buffer, values.byteOffset, values.length);
}
