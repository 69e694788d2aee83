/**
 * One chart.js line chart of curves (curves.ts): decimated to the plot's pixel width (decimation.ts) each
 * time the curves or the size change, drawn without animation from pre-parsed {x, y} points. Train curves
 * solid, validation dashed; a raw (unsmoothed) curve thin and faint behind its smoothed line, left out of
 * the tooltip; a group's band is filled between its lower and upper curves. Clicking a curve reports its
 * owner (a run id or group key); clicking empty space reports undefined. Under the canvas, a visually
 * hidden list names every dataset drawn (for screen readers, and what the browser tests read: each item's
 * data-role, data-split and data-last-x/y, the last point drawn); the figure's data-datasets holds their
 * count and data-timing what the last draw cost (the bench reads it).
 */
import {
  Chart,
  Filler,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Ticks,
  Tooltip,
  type ActiveElement,
  type ChartDataset,
  type ChartEvent,
  type Scale,
  type Tick,
} from 'chart.js';
import { el } from '../shared/dom';
import type { Curve } from './curves';
import { decimate, type Point } from './decimation';
import { rgba, type Rgb } from './palette';

Chart.register(LineController, LineElement, PointElement, LinearScale, Filler, Tooltip);

/**
 * Decimation buckets are 2 CSS pixels wide: ≤ 4 points per 2 px, so 50 runs × 2 splits stay under ~1,000
 * points a curve. chart.js makes an element per point, which is what costs (≈ 1 µs each); a 1-pixel
 * bucket doubled the draw time for no difference one can see at a 1.5 px line width.
 */
const PIXELS_PER_BUCKET = 2;

export interface ChartLook {
  readonly foreground: string;
  readonly grid: string;
  readonly font: string;
}

export interface ChartView {
  readonly curves: readonly Curve[];
  readonly colours: readonly Rgb[];
  /** The highlighted owner: its curves thicker, every other faded. */
  readonly highlight: string | undefined;
  readonly xTitle: string;
  readonly percent: boolean;
}

export class CurveChart {
  readonly figure: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  private readonly list: HTMLUListElement;
  private readonly chart: Chart<'line', Point[]>;
  private view: ChartView | undefined;
  private drawnWidth = 0;
  /** Milliseconds the last update took (decimation + chart.js layout and draw). */
  lastDrawMs = 0;

  constructor(
    readonly title: string,
    look: ChartLook,
    private readonly onPick: (owner: string | undefined) => void,
  ) {
    this.figure = el('figure', 'chart');
    this.figure.dataset.chart = title.toLowerCase();
    const caption = el('figcaption', 'chart-title', title);
    const box = el('div', 'canvas-box');
    this.canvas = el('canvas');
    this.canvas.setAttribute('role', 'img');
    box.append(this.canvas);
    this.list = el('ul', 'dataset-list visually-hidden');
    this.figure.append(caption, box, this.list);
    this.chart = new Chart(this.canvas, {
      type: 'line',
      data: { datasets: [] },
      options: {
        animation: false,
        parsing: false,
        normalized: true,
        responsive: true,
        maintainAspectRatio: false,
        spanGaps: true,
        events: ['click', 'mousemove', 'mouseout'],
        interaction: { mode: 'nearest', intersect: false },
        elements: { point: { radius: 0, hoverRadius: 3 }, line: { tension: 0 } },
        font: { family: look.font },
        color: look.foreground,
        scales: {
          x: { type: 'linear', grid: { color: look.grid }, ticks: { color: look.foreground }, title: { display: true, color: look.foreground, text: '' } },
          y: {
            type: 'linear',
            grid: { color: look.grid },
            ticks: {
              color: look.foreground,
              callback: (value: number | string, index: number, ticks: Tick[]) =>
                this.view?.percent
                  ? `${Math.round(100 * Number(value))}%`
                  : Ticks.formatters.numeric.call(this.chart.scales.y as Scale, Number(value), index, ticks),
            },
          },
        },
        plugins: {
          // The Study view registers chart.js's Legend for its own chart (registration is global): here the
          // run list gives the colours and the panel's key the line styles (legend.ts), so none per chart.
          legend: { display: false },
          tooltip: {
            filter: (item) => this.view?.curves[item.datasetIndex]?.role === 'line',
            callbacks: { label: (item) => `${item.dataset.label ?? ''}: ${this.formatY(item.parsed.y ?? Number.NaN)}` },
          },
        },
        onClick: (_event: ChartEvent, elements: ActiveElement[]) => {
          const curve = elements.length ? this.view?.curves[elements[0]!.datasetIndex] : undefined;
          this.onPick(curve?.owner);
        },
        onResize: () => {
          if (this.view && Math.round(this.chart.chartArea?.width ?? 0) !== this.drawnWidth) queueMicrotask(() => this.show(this.view!));
        },
      },
    });
  }

  private formatY(y: number): string {
    return this.view?.percent ? `${(100 * y).toFixed(2)}%` : y.toPrecision(4);
  }

  /** Replaces what the chart shows and draws it now. */
  show(view: ChartView): void {
    const t0 = performance.now();
    this.view = view;
    const width = Math.max(100, Math.round(this.chart.chartArea?.width ?? this.canvas.clientWidth));
    this.drawnWidth = width;
    let decimateMs = 0;
    const datasets: ChartDataset<'line', Point[]>[] = view.curves.map((curve) => {
      const colour = view.colours[curve.colour % view.colours.length]!;
      const dimmed = view.highlight !== undefined && curve.owner !== view.highlight;
      const d0 = performance.now();
      const data = decimate(curve, Math.ceil(width / PIXELS_PER_BUCKET));
      decimateMs += performance.now() - d0;
      if (curve.role === 'lower' || curve.role === 'upper') {
        return {
          label: curve.label,
          data,
          borderWidth: 0,
          pointRadius: 0,
          pointHoverRadius: 0,
          borderColor: 'transparent',
          backgroundColor: rgba(colour, dimmed ? 0.05 : 0.2),
          fill: curve.role === 'upper' ? '-1' : false,
        };
      }
      if (curve.role === 'raw') {
        // TensorBoard's look: the recorded values in the line's colour, thin and faint, drawn behind it.
        return {
          label: curve.label,
          data,
          borderColor: rgba(colour, dimmed ? 0.06 : 0.3),
          borderWidth: 1,
          borderDash: curve.split === 'val' ? [6, 3] : [],
          pointRadius: 0,
          pointHoverRadius: 0,
          fill: false,
          order: 1,
        };
      }
      return {
        label: curve.label,
        data,
        borderColor: rgba(colour, dimmed ? 0.2 : 1),
        backgroundColor: rgba(colour, 1),
        borderWidth: curve.owner === view.highlight ? 3 : 1.5,
        borderDash: curve.split === 'val' ? [6, 3] : [],
        pointRadius: 0,
        fill: false,
        order: curve.owner === view.highlight ? -1 : 0,
      };
    });
    const scales = this.chart.options.scales!;
    scales.x!.title = { ...scales.x!.title, display: true, text: view.xTitle } as never;
    this.chart.data.datasets = datasets;
    const u0 = performance.now();
    this.chart.update('none');
    this.figure.dataset.timing = `decimate ${decimateMs.toFixed(0)} ms, chart.js ${(performance.now() - u0).toFixed(0)} ms`;
    this.canvas.setAttribute('aria-label', `${this.title} over ${view.xTitle}: ${view.curves.filter((c) => c.role === 'line').length} curves`);
    this.list.replaceChildren(...datasets.map((d, i) => this.listItem(d, view.curves[i]!)));
    this.figure.dataset.datasets = String(datasets.length);
    this.lastDrawMs = performance.now() - t0;
  }

  /** A dataset's entry in the hidden list: its name and size, and (as data-*) its role and last point drawn. */
  private listItem(dataset: ChartDataset<'line', Point[]>, curve: Curve): HTMLLIElement {
    const item = el('li', undefined, `${dataset.label} (${dataset.data.length} points drawn)`);
    item.dataset.role = curve.role;
    item.dataset.split = curve.split;
    const last = dataset.data[dataset.data.length - 1];
    if (last) {
      item.dataset.lastX = String(last.x);
      item.dataset.lastY = String(last.y);
    }
    return item;
  }

  destroy(): void {
    this.chart.destroy();
  }
}
