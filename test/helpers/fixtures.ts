/** Access to the committed fixtures and the expected values their producer scripts recorded. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURES = join(__dirname, '..', 'fixtures');

export function fixturePath(...parts: string[]): string {
  return join(FIXTURES, ...parts);
}

export function readExpected<T = unknown>(...parts: string[]): T {
  return JSON.parse(readFileSync(fixturePath(...parts), 'utf8')) as T;
}

/** Expected values as the Python scripts write them: numbers, or "nan" / "inf" / "-inf". */
export type ExpectedValue = number | 'nan' | 'inf' | '-inf';

export function expectedNumbers(values: readonly ExpectedValue[]): number[] {
  return values.map((v) => (v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v));
}
