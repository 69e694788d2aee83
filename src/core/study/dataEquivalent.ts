/**
 * The "data-equivalent" of a result: how many training examples the reference curve (no augmentation)
 * needs to reach the same accuracy, read off the reference's mean accuracies by linear interpolation in
 * log(size) between the two measured sizes that bracket it. Never extrapolated: an accuracy above every
 * reference point is "more than the largest size", one below every point "less than the smallest".
 */
export interface CurvePoint {
  readonly size: number;
  readonly accuracy: number;
}

export type Equivalent =
  { readonly kind: 'size'; readonly size: number } | { readonly kind: 'above'; readonly size: number } | { readonly kind: 'below'; readonly size: number };

/** The reference size whose accuracy equals `accuracy` (the first crossing, smallest sizes first). */
export function dataEquivalent(reference: readonly CurvePoint[], accuracy: number): Equivalent | null {
  const points = reference.filter((p) => Number.isFinite(p.accuracy)).sort((a, b) => a.size - b.size);
  if (points.length === 0 || !Number.isFinite(accuracy)) return null;
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i]!;
    const b = points[i + 1]!;
    const lo = Math.min(a.accuracy, b.accuracy);
    const hi = Math.max(a.accuracy, b.accuracy);
    if (accuracy < lo || accuracy > hi) continue;
    if (accuracy === a.accuracy) return { kind: 'size', size: a.size };
    if (accuracy === b.accuracy) return { kind: 'size', size: b.size };
    const t = (accuracy - a.accuracy) / (b.accuracy - a.accuracy);
    return { kind: 'size', size: Math.exp(Math.log(a.size) + t * (Math.log(b.size) - Math.log(a.size))) };
  }
  if (points.length === 1 && accuracy === points[0]!.accuracy) return { kind: 'size', size: points[0]!.size };
  const best = points.reduce((m, p) => (p.accuracy > m.accuracy ? p : m));
  if (accuracy > best.accuracy) return { kind: 'above', size: points[points.length - 1]!.size };
  return { kind: 'below', size: points[0]!.size };
}
