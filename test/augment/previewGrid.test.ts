/** The preview grid: each cell's pixels land where cellOrigin says, and captions are drawn under them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GLYPH_HEIGHT, textWidth } from '../../src/core/augment/bitmapFont';
import { cellOrigin, composeGrid } from '../../src/core/augment/previewGrid';
import { Rng } from '../../src/core/random/rng';

test('composeGrid places every cell at cellOrigin and writes each caption (and only it) below its cell', () => {
  const rng = new Rng(1);
  for (const [size, channels] of [
    [28, 1],
    [84, 3],
  ] as const) {
    const captions = ['orig', '3.2e-7', '1.0e+0', 'nan'];
    const cells = captions.map((caption) => ({ pixels: Float32Array.from({ length: size * size * channels }, () => rng.next()), caption }));
    const { pixels, layout } = composeGrid(cells, size, channels);
    assert.equal(pixels.length, layout.width * layout.height * channels);
    cells.forEach((cell, k) => {
      const { x, y } = cellOrigin(layout, k);
      for (let r = 0; r < size; r++) {
        const row = pixels.subarray(((y + r) * layout.width + x) * channels, ((y + r) * layout.width + x + size) * channels);
        assert.deepEqual(row, cell.pixels.subarray(r * size * channels, (r + 1) * size * channels), `cell ${k} row ${r}`);
      }
      // The caption band under the cell: lit pixels exist, and only within the caption's width.
      const top = y + size + layout.margin;
      const left = layout.margin + k * (layout.cellWidth + layout.margin);
      const captionLeft = left + Math.floor((layout.cellWidth - textWidth(cell.caption, layout.scale)) / 2);
      let lit = 0;
      for (let r = top; r < top + GLYPH_HEIGHT * layout.scale; r++) {
        for (let c = left; c < left + layout.cellWidth; c++) {
          if (pixels[(r * layout.width + c) * channels] === 1) {
            lit++;
            assert.ok(c >= captionLeft && c < captionLeft + textWidth(cell.caption, layout.scale), `cell ${k}: lit pixel outside its caption`);
          }
        }
      }
      assert.ok(lit > 0, `cell ${k}: caption "${cell.caption}" drew nothing`);
    });
  }
  assert.throws(() => composeGrid([{ pixels: new Float32Array(3), caption: '' }], 2, 1), /cell 0 has 3 values, expected 4/);
});
