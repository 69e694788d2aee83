/**
 * The image of `wslab preview`: square renderings side by side on black, each with a caption (the
 * function-preservation error) in the bitmap font underneath. Pixels are pixel-major in [0, 1].
 */
import { drawText, GLYPH_HEIGHT, textWidth } from './bitmapFont';

export interface GridCell {
  /** size × size × channels, pixel-major. */
  readonly pixels: Float32Array;
  readonly caption: string;
}

export interface GridLayout {
  readonly size: number;
  /** Caption scale of the 3×5 font. */
  readonly scale: number;
  readonly margin: number;
  /** Wide enough for the image and the longest caption. */
  readonly cellWidth: number;
  readonly width: number;
  readonly height: number;
}

export function gridLayout(captions: readonly string[], size: number): GridLayout {
  const scale = Math.max(1, Math.floor(size / 40));
  const margin = 2 * scale;
  const cellWidth = Math.max(size, ...captions.map((c) => textWidth(c, scale)));
  return {
    size,
    scale,
    margin,
    cellWidth,
    width: margin + captions.length * (cellWidth + margin),
    height: margin + size + margin + GLYPH_HEIGHT * scale + margin,
  };
}

/** The top-left pixel of cell k's image. */
export function cellOrigin(layout: GridLayout, k: number): { x: number; y: number } {
  return { x: layout.margin + k * (layout.cellWidth + layout.margin) + Math.floor((layout.cellWidth - layout.size) / 2), y: layout.margin };
}

export function composeGrid(cells: readonly GridCell[], size: number, channels: number): { pixels: Float32Array; layout: GridLayout } {
  const layout = gridLayout(
    cells.map((c) => c.caption),
    size,
  );
  const { width, height, margin, scale, cellWidth } = layout;
  const pixels = new Float32Array(width * height * channels);
  cells.forEach((cell, k) => {
    if (cell.pixels.length !== size * size * channels)
      throw new Error(`composeGrid: cell ${k} has ${cell.pixels.length} values, expected ${size * size * channels}`);
    const { x, y } = cellOrigin(layout, k);
    for (let r = 0; r < size; r++) pixels.set(cell.pixels.subarray(r * size * channels, (r + 1) * size * channels), ((y + r) * width + x) * channels);
    const textLeft = margin + k * (cellWidth + margin) + Math.floor((cellWidth - textWidth(cell.caption, scale)) / 2);
    drawText(pixels, width, channels, cell.caption, textLeft, y + size + margin, scale);
  });
  return { pixels, layout };
}
