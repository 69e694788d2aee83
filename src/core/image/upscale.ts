/**
 * Nearest-neighbour enlargement of a square image by an integer factor, so small images (28×28 digits)
 * stay sharp and pixel-exact when shown large. Pixels are pixel-major with any number of channels.
 */
export function upscaleNearest(pixels: Float32Array, size: number, factor: number, channels = 1): Float32Array {
  if (!Number.isInteger(factor) || factor < 1) throw new Error(`upscaleNearest: the factor must be a positive integer, got ${factor}`);
  if (pixels.length !== size * size * channels) throw new Error(`upscaleNearest: ${pixels.length} values for a ${size}×${size}×${channels} image`);
  const big = size * factor;
  const out = new Float32Array(big * big * channels);
  for (let y = 0; y < big; y++) {
    const row = Math.floor(y / factor) * size;
    for (let x = 0; x < big; x++) {
      const from = (row + Math.floor(x / factor)) * channels;
      const to = (y * big + x) * channels;
      for (let c = 0; c < channels; c++) out[to + c] = pixels[from + c]!;
    }
  }
  return out;
}
