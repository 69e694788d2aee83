/**
 * Colour scales for heatmaps. Weights are signed, so the default is diverging: blue for negative, a light
 * neutral at 0, red for positive, symmetric around 0 so equal magnitudes get equal intensity. Magnitudes
 * (norms, |differences|) use a sequential scale (viridis, readable in every theme and for colour-blind users).
 * Values outside the range are clamped; NaN and ±Inf get NON_FINITE_COLOUR, which neither scale produces.
 */

export type Rgb = readonly [number, number, number];

export interface ColourScale {
  readonly kind: 'diverging' | 'sequential';
  /** The range the colours span (for the legend). */
  readonly min: number;
  readonly max: number;
  colour(value: number): Rgb;
}

/** Magenta: not part of either palette, so a NaN/Inf cell stands out. */
export const NON_FINITE_COLOUR: Rgb = [255, 0, 255];

/** RdBu (ColorBrewer), from most negative to most positive. */
const DIVERGING: readonly Rgb[] = [
  [5, 48, 97],
  [33, 102, 172],
  [67, 147, 195],
  [146, 197, 222],
  [209, 229, 240],
  [247, 247, 247],
  [253, 219, 199],
  [244, 165, 130],
  [214, 96, 77],
  [178, 24, 43],
  [103, 0, 31],
];

/** Viridis, sampled at 9 points. */
const SEQUENTIAL: readonly Rgb[] = [
  [68, 1, 84],
  [71, 44, 122],
  [59, 81, 139],
  [44, 113, 142],
  [33, 144, 141],
  [39, 173, 129],
  [92, 200, 99],
  [170, 220, 50],
  [253, 231, 37],
];

/** Linear interpolation in `palette` at t ∈ [0, 1]. */
function samplePalette(palette: readonly Rgb[], t: number): Rgb {
  const x = Math.min(1, Math.max(0, t)) * (palette.length - 1);
  const i = Math.min(palette.length - 2, Math.floor(x));
  const f = x - i;
  const a = palette[i]!;
  const b = palette[i + 1]!;
  return [Math.round(a[0] + (b[0] - a[0]) * f), Math.round(a[1] + (b[1] - a[1]) * f), Math.round(a[2] + (b[2] - a[2]) * f)];
}

/** The smallest and largest finite values (both 0 when there are none). */
export function finiteRange(values: ArrayLike<number>): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? { min, max } : { min: 0, max: 0 };
}

/** Symmetric around 0: spans [-L, L] with L = max(|min|, |max|) (L = 1 when everything is 0). */
export function divergingScale(min: number, max: number): ColourScale {
  const limit = Math.max(Math.abs(min), Math.abs(max)) || 1;
  return {
    kind: 'diverging',
    min: -limit,
    max: limit,
    colour: (v) => (Number.isFinite(v) ? samplePalette(DIVERGING, (v + limit) / (2 * limit)) : NON_FINITE_COLOUR),
  };
}

/** Spans [min, max] (a constant input maps to the palette's middle). */
export function sequentialScale(min: number, max: number): ColourScale {
  const span = max - min;
  return {
    kind: 'sequential',
    min,
    max,
    colour: (v) => (Number.isFinite(v) ? samplePalette(SEQUENTIAL, span > 0 ? (v - min) / span : 0.5) : NON_FINITE_COLOUR),
  };
}
