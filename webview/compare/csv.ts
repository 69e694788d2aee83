/**
 * CSV text (RFC 4180): fields with a comma, quote or line break are quoted, quotes doubled, lines end in
 * CRLF. Numbers are written in full (String(x)); null/undefined/NaN become empty fields. A text field that
 * a spreadsheet would run as a formula (starting with = + - @, tab or CR) gets a leading apostrophe, since
 * run names and config values come from files anyone may have written.
 */

export type CsvCell = string | number | boolean | null | undefined;

export function csvField(value: CsvCell): string {
  if (value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value))) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(rows: readonly (readonly CsvCell[])[]): string {
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}
