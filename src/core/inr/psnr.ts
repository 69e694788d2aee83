/**
 * Peak signal-to-noise ratio for signals in [0, 1] (peak 1): PSNR = 10·log10(1 / MSE) dB, so
 * MSE = 10^(−PSNR/10). MSE 0 gives +∞ dB.
 */

export function psnrFromMse(mse: number): number {
  return 10 * Math.log10(1 / mse);
}

/** The MSE at which a fit reaches `psnr` dB: PSNR ≥ p ⇔ MSE ≤ mseFromPsnr(p). */
export function mseFromPsnr(psnr: number): number {
  return 10 ** (-psnr / 10);
}

/** Mean of (a − b)² over all elements, in float64. */
export function meanSquaredError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`MSE of arrays of different lengths (${a.length} and ${b.length})`);
  if (a.length === 0) throw new Error('MSE of empty arrays');
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i]! - b[i]!) ** 2;
  return sum / a.length;
}

export function psnr(image: ArrayLike<number>, reference: ArrayLike<number>): number {
  return psnrFromMse(meanSquaredError(image, reference));
}
