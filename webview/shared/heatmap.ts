/**
 * A matrix as a heatmap: one canvas pixel per cell (scaled up by CSS to at most `maxSize` CSS pixels, and
 * to at least `minSize` on each side),
 * a colour legend with the scale's range, and a readout that shows `[row, col] = value` under the pointer.
 * Vectors (biases) are drawn as one row. The canvas carries data-rows / data-cols for tests and tools.
 */
import { divergingScale, finiteRange, type ColourScale } from './colourScale';
import { el } from './dom';

export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  /** Row-major, rows × cols values. */
  readonly values: ArrayLike<number>;
}

export interface HeatmapOptions {
  readonly title?: string;
  /** Default: diverging around 0 over the finite range of the values. */
  readonly scale?: ColourScale;
  /** Largest side of the drawn matrix in CSS pixels (default 320). */
  readonly maxSize?: number;
  /**
   * Smallest side of the drawn matrix in CSS pixels (default 0): a thin matrix (a 32×2 layer, a 1×32 row)
   * has its short side stretched to this, its cells made oblong rather than a few pixels wide.
   */
  readonly minSize?: number;
  /** Called with the cell under the pointer (undefined when it leaves). */
  readonly onHover?: (cell: { row: number; col: number; value: number } | undefined) => void;
  /** How to print values in the legend and readout (default: 4 significant digits). */
  readonly format?: (value: number) => string;
}

const defaultFormat = (v: number): string => (Number.isFinite(v) ? Number(v.toPrecision(4)).toString() : String(v));

export function drawHeatmap(container: HTMLElement, matrix: Matrix, options: HeatmapOptions = {}): HTMLElement {
  const { rows, cols, values } = matrix;
  if (!(rows > 0 && cols > 0) || values.length !== rows * cols) {
    throw new RangeError(`drawHeatmap: ${values.length} values for a ${rows}×${cols} matrix`);
  }
  const format = options.format ?? defaultFormat;
  const range = finiteRange(values);
  const scale = options.scale ?? divergingScale(range.min, range.max);

  const root = el('figure', 'heatmap');
  if (options.title) root.append(el('figcaption', 'heatmap-title', options.title));
  const body = el('div', 'heatmap-body');
  const canvas = el('canvas', 'heatmap-canvas');
  canvas.width = cols;
  canvas.height = rows;
  canvas.dataset.rows = String(rows);
  canvas.dataset.cols = String(cols);
  const { width, height } = drawnSize(rows, cols, options.maxSize ?? 320, options.minSize ?? 0);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const context = canvas.getContext('2d');
  if (context) {
    const image = context.createImageData(cols, rows);
    for (let i = 0; i < rows * cols; i++) {
      const [r, g, b] = scale.colour(values[i]!);
      image.data[i * 4] = r;
      image.data[i * 4 + 1] = g;
      image.data[i * 4 + 2] = b;
      image.data[i * 4 + 3] = 255;
    }
    context.putImageData(image, 0, 0);
  }
  body.append(canvas, legend(scale, format, height));
  const readout = el('div', 'heatmap-readout', ' ');
  readout.setAttribute('aria-live', 'polite');
  root.append(body, readout);

  canvas.addEventListener('mousemove', (event) => {
    const box = canvas.getBoundingClientRect();
    const col = Math.min(cols - 1, Math.max(0, Math.floor(((event.clientX - box.left) / box.width) * cols)));
    const row = Math.min(rows - 1, Math.max(0, Math.floor(((event.clientY - box.top) / box.height) * rows)));
    const value = values[row * cols + col]!;
    readout.textContent = `[${row}, ${col}] = ${format(value)}`;
    options.onHover?.({ row, col, value });
  });
  canvas.addEventListener('mouseleave', () => {
    readout.textContent = ' ';
    options.onHover?.(undefined);
  });
  container.append(root);
  return root;
}

/**
 * The CSS size of a rows × cols heatmap: square cells of a whole number of pixels (at most 16) while the
 * longer side fits `maxSize` (else exactly `maxSize`), then each side at least `minSize`.
 */
export function drawnSize(rows: number, cols: number, maxSize: number, minSize: number): { width: number; height: number } {
  const long = Math.max(rows, cols);
  const cell = Math.max(1, Math.min(16, Math.floor(maxSize / long))) || 1;
  const zoom = long * cell > maxSize ? maxSize / long : cell;
  return { width: Math.max(1, minSize, Math.round(cols * zoom)), height: Math.max(1, minSize, Math.round(rows * zoom)) };
}

/** A vertical colour bar from max (top) to min (bottom), labelled at both ends and at 0 when diverging. */
function legend(scale: ColourScale, format: (v: number) => string, height: number): HTMLElement {
  const root = el('div', 'heatmap-legend');
  const bar = el('canvas', 'heatmap-legend-bar');
  const steps = 64;
  bar.width = 1;
  bar.height = steps;
  bar.style.width = '12px';
  bar.style.height = `${Math.max(48, height)}px`;
  const context = bar.getContext('2d');
  if (context) {
    const image = context.createImageData(1, steps);
    for (let i = 0; i < steps; i++) {
      const v = scale.max - ((scale.max - scale.min) * i) / (steps - 1);
      const [r, g, b] = scale.colour(v);
      image.data.set([r, g, b, 255], i * 4);
    }
    context.putImageData(image, 0, 0);
  }
  const labels = el('div', 'heatmap-legend-labels');
  labels.append(el('span', undefined, format(scale.max)));
  if (scale.kind === 'diverging') labels.append(el('span', undefined, '0'));
  labels.append(el('span', undefined, format(scale.min)));
  root.append(bar, labels);
  return root;
}
