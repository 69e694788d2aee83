/**
 * How numbers and shapes are shown to people — one definition for the CLI table and the webviews, so
 * both print the same thing for the same file.
 */

/** Compact number: up to `digits` significant digits, exponent notation for tiny or huge magnitudes. */
export function formatNumber(value: number | null, digits = 6): string {
  if (value === null) return '—';
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Inf' : '-Inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-4 && magnitude < 10 ** digits) {
    return Number(value.toPrecision(digits)).toString();
  }
  return value.toExponential(digits - 1).replace(/\.?0+e/, 'e');
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** 1234567 → "1,234,567". */
export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

export function formatPercent(value: number): string {
  return `${value === 0 || value === 100 ? value : value.toFixed(1)}%`;
}
