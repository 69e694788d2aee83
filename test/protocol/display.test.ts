import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatNumber } from '../../src/protocol/display';
import { mulberry32, randomFloat32Array } from '../helpers/random';

test('formatNumber keeps 6 significant digits over every magnitude and names the special values', () => {
  const values = randomFloat32Array(mulberry32(11), 2000);
  for (const v of values) {
    const text = formatNumber(v);
    if (Number.isNaN(v)) assert.equal(text, 'NaN');
    else if (!Number.isFinite(v)) assert.equal(text, v > 0 ? 'Inf' : '-Inf');
    else {
      const back = Number(text);
      assert.ok(Math.abs(back - v) <= 5e-6 * Math.abs(v), `${v} shown as ${text}`);
      assert.ok(text.replace(/^-|e.*$|\./g, '').replace(/^0+/, '').length <= 6, `${v} shown as ${text}`);
    }
  }
  assert.equal(formatNumber(null), '—');
});
