/**
 * The reconstruction figure of a report: for the first INR of each class, the source image and the INR
 * rendered on the pixel grid it was fitted to (so what is shown is what its PSNR measures), both
 * enlarged by nearest neighbour; the sources are captioned with their class, the INRs with their PSNR.
 */
import { composeGrid, type GridCell } from '../augment/previewGrid';
import type { ImageSource } from '../dataset/imageSource';
import { loadInr } from '../dataset/loadInr';
import type { ManifestItem } from '../dataset/manifest';
import { encodePng } from '../image/codec';
import { upscaleNearest } from '../image/upscale';
import { renderSiren } from '../inr/render';
import { pixelGrid } from '../inr/spec';

export interface ReconstructionGrid {
  /** One row of source images, as a PNG. */
  readonly sources: Uint8Array;
  /** The INRs of the same items rendered, as a PNG. */
  readonly inrs: Uint8Array;
  /** The items shown, left to right. */
  readonly items: readonly ManifestItem[];
}

/** The first item of each class, in class order (classes without an item are left out). */
export function firstOfEachClass(items: readonly ManifestItem[], classes: number): ManifestItem[] {
  const chosen: ManifestItem[] = [];
  for (let label = 0; label < classes; label++) {
    const item = items.find((i) => i.label === label);
    if (item) chosen.push(item);
  }
  return chosen;
}

export async function reconstructionGrid(dir: string, source: ImageSource, items: readonly ManifestItem[], scale: number): Promise<ReconstructionGrid> {
  if (source.height !== source.width) throw new Error(`reconstructionGrid: square images only, ${source.name} is ${source.width}×${source.height}`);
  if (items.length === 0) throw new Error(`reconstructionGrid: no items to show from ${dir}`);
  const size = source.height;
  const channels = source.channels;
  const grid = pixelGrid(size);
  const sourceCells: GridCell[] = [];
  const inrCells: GridCell[] = [];
  for (const item of items) {
    const image = await source.image(item.index);
    sourceCells.push({ pixels: upscaleNearest(image.pixels, size, scale, channels), caption: source.classes[item.label] ?? String(item.label) });
    const inr = await loadInr(`${dir}#${item.id}`);
    inrCells.push({ pixels: upscaleNearest(renderSiren(inr.spec, inr.layers, grid), size, scale, channels), caption: item.psnr.toFixed(1) });
  }
  const encode = (cells: readonly GridCell[]) => {
    const { pixels, layout } = composeGrid(cells, size * scale, channels);
    return encodePng(pixels, layout.width, layout.height, channels as 1 | 3);
  };
  return { sources: encode(sourceCells), inrs: encode(inrCells), items };
}
