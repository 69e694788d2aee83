/**
 * The selected tensor's panel: its histogram (chart.js), the heatmap of the tensor as a matrix (shared
 * heatmap: diverging colour scale with legend, hover shows [row, col] = value, in source indices when
 * the host shrank the matrix), and its per-row and per-column L2 norms. Before a tensor is chosen it says
 * how to choose one, so the space beside the table is there from the start and nothing moves on a click.
 */
import type { Chart } from 'chart.js';
import type { WireTensorValues } from '../../src/protocol';
import { formatCount, formatShape } from '../../src/protocol/display';
import { decodeFloat32 } from '../../src/protocol/wire';
import { el } from '../shared/dom';
import { drawHeatmap } from '../shared/heatmap';
import { histogramChart, normsChart } from './charts';
import { tensorName } from './tensorName';

/** The heatmap's largest side; smaller when the panel is narrower (its legend needs room beside it). */
const HEATMAP_MAX_SIZE = 360;
const HEATMAP_LEGEND_WIDTH = 100;

export class TensorDetail {
  readonly element = el('section', 'tensor-detail');
  private charts: Chart[] = [];

  constructor() {
    this.element.setAttribute('aria-label', 'Selected tensor');
    this.element.append(el('p', 'status detail-hint', 'Click a tensor to see its histogram, heatmap and norms.'));
  }

  showLoading(name: string): void {
    this.reset(name);
    this.element.append(el('p', 'status', 'Reading the tensor…'));
  }

  showContent(name: string, content: HTMLElement): void {
    this.reset(name);
    this.element.append(content);
  }

  show(values: WireTensorValues): void {
    this.reset(values.name);
    const { matrix, norms } = values;
    const shrunk = matrix.blockRows > 1 || matrix.blockCols > 1;
    this.element.append(
      el(
        'p',
        'detail-summary',
        `${formatShape(values.shape)} · ${formatCount(values.stats.params)} values` +
          (shrunk ? ` · heatmap of ${matrix.sourceRows}×${matrix.sourceCols} averaged over ${matrix.blockRows}×${matrix.blockCols} blocks` : ''),
      ),
    );
    if (values.stats.params === 0) {
      this.element.append(el('p', 'status empty-tensor', 'This tensor holds no values: nothing to plot.'));
      return;
    }
    const histogram = histogramChart(values.histogram);
    const heat = el('div', 'heatmap-area');
    const cells = decodeFloat32(matrix.values);
    // The shared readout names cells of the drawn matrix; when shrunk, name the source rows and columns instead.
    let readout: Element | null = null;
    const root = drawHeatmap(
      heat,
      { rows: matrix.rows, cols: matrix.cols, values: cells },
      {
        title: `Values as a ${matrix.sourceRows}×${matrix.sourceCols} matrix`,
        maxSize: this.heatmapSize(),
        onHover: (cell) => {
          if (!cell || !shrunk || !readout) return;
          const r = cell.row * matrix.blockRows;
          const c = cell.col * matrix.blockCols;
          const rows = `${r}–${Math.min(matrix.sourceRows, r + matrix.blockRows) - 1}`;
          const cols = `${c}–${Math.min(matrix.sourceCols, c + matrix.blockCols) - 1}`;
          readout.textContent = `[${rows}, ${cols}] mean = ${Number.isFinite(cell.value) ? Number(cell.value.toPrecision(4)) : cell.value}`;
        },
      },
    );
    readout = root.querySelector('.heatmap-readout');
    const normCharts = el('div', 'norms-area');
    this.charts.push(histogram.chart);
    if (matrix.sourceRows > 1) {
      const rows = normsChart('Row L2 norms', decodeFloat32(norms.rows), norms.rowBlock);
      normCharts.append(rows.root);
      this.charts.push(rows.chart);
    }
    if (matrix.sourceCols > 1) {
      const cols = normsChart('Column L2 norms', decodeFloat32(norms.cols), norms.colBlock);
      normCharts.append(cols.root);
      this.charts.push(cols.chart);
    }
    const grid = el('div', 'detail-grid');
    grid.append(histogram.root, heat, normCharts);
    this.element.append(grid);
  }

  /** The heatmap's side: as wide as the panel allows beside its legend, and under a third of the window's height. */
  private heatmapSize(): number {
    return Math.max(96, Math.min(HEATMAP_MAX_SIZE, this.element.clientWidth - HEATMAP_LEGEND_WIDTH, Math.round(window.innerHeight / 3)));
  }

  private reset(name: string): void {
    this.destroyCharts();
    const title = el('h2', 'detail-title');
    title.append(tensorName(name));
    this.element.replaceChildren(title);
  }

  private destroyCharts(): void {
    for (const chart of this.charts) chart.destroy();
    this.charts = [];
  }
}
