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

/** (1, 'tensor') → "1 tensor"; (1185, 'tensor') → "1,185 tensors". */
export function formatCountOf(value: number, singular: string, plural = `${singular}s`): string {
  return `${formatCount(value)} ${value === 1 ? singular : plural}`;
}

/**
 * A metadata value for one line of text: as it is when short; else a JSON array as its length, a JSON object
 * as its keys, anything else cut — each saying how long the whole is.
 */
export function summariseMetadata(value: string, limit = 120): string {
  if (value.length <= limit) return value;
  const whole = `${formatCount(value.length)} characters`;
  try {
    const parsed = JSON.parse(value) as unknown;
    if (Array.isArray(parsed)) return `[${formatCountOf(parsed.length, 'item')}] (${whole})`;
    if (parsed && typeof parsed === 'object') {
      const keys = Object.keys(parsed);
      const shown = keys.join(', ');
      return `{${shown.length <= limit ? shown : `${shown.slice(0, limit)}…`}} (${whole})`;
    }
  } catch {
    // not JSON: cut below
  }
  return `${value.slice(0, limit)}… (${whole})`;
}

export function formatPercent(value: number): string {
  return `${value === 0 || value === 100 ? value : value.toFixed(1)}%`;
}
