/** Summaries over seeds for the benchmark reports: mean, sample standard deviation (n − 1), percentages. */
export const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
export const std = (xs: readonly number[]): number => (xs.length < 2 ? 0 : Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1)));
/** A fraction as percent with two decimals, e.g. 0.3947 → "39.47". */
export const pct = (x: number): string => (100 * x).toFixed(2);
