// CSV export (webview/compare/csv.ts): RFC 4180 quoting, read back by a small independent parser, and
// the formula guard for text cells.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvField, toCsv } from '../../webview/compare/csv';

/** A minimal RFC 4180 reader (quoted fields, doubled quotes, CRLF rows). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

test('fields with commas, quotes and line breaks survive a round trip', () => {
  const rows = [
    ['run', 'augment'],
    ['a,b', '[{"name":"rotate","p":0.5}]'],
    ['line\nbreak', 'x\r\ny'],
    ['plain', ''],
  ];
  assert.deepEqual(parseCsv(toCsv(rows)), rows);
});

test('numbers are written in full, missing values as empty fields', () => {
  assert.equal(toCsv([[0.26, -1.5e-7, null, undefined, Number.NaN, true]]), '0.26,-1.5e-7,,,,true\r\n');
});

test('text a spreadsheet would run as a formula gets a leading apostrophe; negative numbers do not', () => {
  for (const evil of ['=HYPERLINK("http://x")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd']) assert.equal(parseCsv(toCsv([[evil]]))[0]![0], `'${evil}`);
  assert.equal(csvField(-2), '-2');
  assert.equal(csvField('run-2'), 'run-2');
});
