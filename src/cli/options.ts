/** Parsing of numeric command-line options, with errors that name the option. */
import { DEFAULT_SIREN } from '../core/inr/spec';
import { UsageError } from './command';

export function integerOption(name: string, text: string, min = Number.MIN_SAFE_INTEGER): number {
  const value = Number(text);
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(value) || value < min) {
    throw new UsageError(`--${name} must be an integer${min > Number.MIN_SAFE_INTEGER ? ` ≥ ${min}` : ''}, got "${text}"`);
  }
  return value;
}

/** Layer widths written "32,32" (--hidden). */
export function widthsOption(name: string, text: string): number[] {
  const widths = text.split(',').map((w) => w.trim());
  if (widths.length === 0 || widths.length > 16 || widths.some((w) => !/^\d+$/.test(w) || Number(w) < 1 || Number(w) > 4096)) {
    throw new UsageError(`--${name} must be 1 to 16 layer widths between 1 and 4096 separated by commas (e.g. 32,32), got "${text}"`);
  }
  return widths.map(Number);
}

export function numberOption(name: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new UsageError(`--${name} must be a number, got "${text}"`);
  return value;
}

/** --w0 and --offset (render, preview): the SIREN settings of a weight file that does not record them. */
export const SIREN_FILE_OPTIONS = {
  w0: { type: 'string', default: String(DEFAULT_SIREN.w0), value: 'W0', help: 'The SIREN frequency of a weight file that does not record it.' },
  offset: { type: 'string', default: String(DEFAULT_SIREN.outputOffset), value: 'C', help: 'The output offset of a weight file that does not record it.' },
} as const;

/** The values of SIREN_FILE_OPTIONS, checked, as loadInr takes them. */
export function sirenFileDefaults(values: { readonly w0: string; readonly offset: string }): { w0: number; outputOffset: number } {
  return { w0: numberOption('w0', values.w0), outputOffset: numberOption('offset', values.offset) };
}
