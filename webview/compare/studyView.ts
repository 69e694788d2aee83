/**
 * The Study view of the comparison panel: a study's test accuracy against training-set size (log x), one
 * curve per condition with ± std whiskers, the table of every point with each condition's data-equivalent,
 * and how far the study has got. Clicking a point (on the chart, or its table cell, which is a button for
 * the keyboard) asks the host to show that point's runs. Names come from the host's study.json and are
 * untrusted: text goes in through textContent only. A visually hidden list names every point drawn (for
 * screen readers, and what the browser tests read); the figure's data-points holds where each point was
 * drawn, in CSS pixels of the canvas (the browser tests click there).
 */
import {
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  Tooltip,
  type ActiveElement,
  type ChartDataset,
  type ChartEvent,
  type Plugin,
} from 'chart.js';
import type { StudyWire } from '../../src/protocol/compare';
import { formatCount } from '../../src/protocol/display';
import { clear, el } from '../shared/dom';
import type { ChartLook } from './charts';
import { rgba, type Rgb } from './palette';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Tooltip, Legend);

interface StudyPoint {
  readonly x: number;
  readonly y: number;
  readonly std: number | null;
  readonly runs: number;
}

const pct = (v: number | null, digits = 1) => (v === null ? '–' : `${(100 * v).toFixed(digits)}`);

/** Whiskers of ± std at every point, in the dataset's colour. */
const whiskers: Plugin<'line'> = {
  id: 'studyWhiskers',
  afterDatasetsDraw(chart) {
    const { ctx } = chart;
    const y = chart.scales.y!;
    chart.data.datasets.forEach((dataset, i) => {
      const meta = chart.getDatasetMeta(i);
      if (meta.hidden) return;
      ctx.save();
      ctx.strokeStyle = String(dataset.borderColor);
      ctx.lineWidth = 1.2;
      (dataset.data as unknown as StudyPoint[]).forEach((p, j) => {
        const element = meta.data[j];
        if (!element || p.std === null || !(p.std > 0)) return;
        const x = element.x;
        const top = y.getPixelForValue(p.y + p.std);
        const bottom = y.getPixelForValue(p.y - p.std);
        ctx.beginPath();
        ctx.moveTo(x, top);
        ctx.lineTo(x, bottom);
        ctx.moveTo(x - 4, top);
        ctx.lineTo(x + 4, top);
        ctx.moveTo(x - 4, bottom);
        ctx.lineTo(x + 4, bottom);
        ctx.stroke();
      });
      ctx.restore();
    });
  },
};

export class StudyView {
  readonly section: HTMLElement;
  private readonly heading: HTMLHeadingElement;
  private readonly status: HTMLParagraphElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly figure: HTMLElement;
  private readonly list: HTMLUListElement;
  private readonly tableArea: HTMLElement;
  private readonly chart: Chart<'line', StudyPoint[]>;
  private study: StudyWire | null = null;

  constructor(
    look: ChartLook,
    /** `count` distinct curve colours. */
    private readonly colours: (count: number) => readonly Rgb[],
    private readonly onOpenPoint: (curve: string, size: number) => void,
  ) {
    this.section = el('section', 'study');
    this.heading = el('h2', 'study-title', 'Study');
    this.status = el('p', 'study-status');
    this.status.setAttribute('role', 'status');
    const figure = (this.figure = el('figure', 'chart study-chart'));
    const box = el('div', 'canvas-box');
    this.canvas = el('canvas');
    this.canvas.setAttribute('role', 'img');
    box.append(this.canvas);
    this.list = el('ul', 'dataset-list visually-hidden');
    figure.append(el('figcaption', 'chart-title', 'Test accuracy against training-set size'), box, this.list);
    this.tableArea = el('div', 'study-table-area');
    this.section.append(
      this.heading,
      this.status,
      figure,
      this.tableArea,
      el(
        'p',
        'note',
        'Click a point, or its cell in the table, to open its runs. Whiskers: ± one standard deviation over seeds. Data-equivalent: the size without augmentation (the first condition) that reaches the same mean accuracy, interpolated in log(size), never extrapolated.',
      ),
    );
    this.chart = new Chart(this.canvas, {
      type: 'line',
      data: { datasets: [] },
      plugins: [whiskers],
      options: {
        animation: false,
        parsing: false,
        responsive: true,
        maintainAspectRatio: false,
        events: ['click', 'mousemove', 'mouseout'],
        interaction: { mode: 'nearest', intersect: true },
        elements: { point: { radius: 4, hoverRadius: 6 }, line: { tension: 0 } },
        font: { family: look.font },
        color: look.foreground,
        scales: {
          x: {
            type: 'logarithmic',
            grid: { color: look.grid },
            ticks: { color: look.foreground, callback: (value) => (this.study?.sizes.includes(Number(value)) ? formatCount(Number(value)) : '') },
            // A margin of a quarter of a size step on either side, so the end points are not on the frame.
            afterDataLimits: (scale) => {
              if (!this.study?.sizes.length) return;
              scale.min = Math.min(...this.study.sizes) / 1.25;
              scale.max = Math.max(...this.study.sizes) * 1.25;
            },
            afterBuildTicks: (scale) => {
              if (this.study) scale.ticks = this.study.sizes.map((value) => ({ value }));
            },
            title: { display: true, color: look.foreground, text: 'training INRs (log scale)' },
          },
          y: {
            type: 'linear',
            grid: { color: look.grid },
            ticks: { color: look.foreground, callback: (value) => `${Math.round(100 * Number(value))}%` },
            title: { display: true, color: look.foreground, text: 'test accuracy' },
          },
        },
        plugins: {
          legend: { display: true, position: 'bottom', labels: { color: look.foreground, usePointStyle: true } },
          tooltip: {
            callbacks: {
              label: (item) => {
                const p = item.raw as StudyPoint;
                return `${item.dataset.label ?? ''} at ${formatCount(p.x)}: ${pct(p.y, 2)}% ± ${pct(p.std, 2)} (${p.runs} seed${p.runs === 1 ? '' : 's'})`;
              },
            },
          },
        },
        onResize: () => queueMicrotask(() => this.recordPoints()),
        onClick: (_event: ChartEvent, elements: ActiveElement[]) => {
          const hit = elements[0];
          const curve = hit ? this.study?.curves[hit.datasetIndex] : undefined;
          const point = curve ? (this.chart.data.datasets[hit!.datasetIndex]!.data[hit!.index] as StudyPoint | undefined) : undefined;
          if (curve && point) this.onOpenPoint(curve.key, point.x);
        },
      },
    });
  }

  /** Shows a study (null: none, or unreadable). */
  show(study: StudyWire | null): void {
    this.study = study;
    this.section.dataset.curves = String(study?.curves.length ?? 0);
    if (!study) {
      this.heading.textContent = 'Study';
      this.status.textContent = 'No study results yet.';
      this.chart.data.datasets = [];
      this.chart.update('none');
      clear(this.tableArea);
      this.list.replaceChildren();
      return;
    }
    this.heading.textContent = `Study ${study.name}`;
    const progress = study.complete ? `complete: ${study.runsFinished} runs` : `${study.runsFinished} of ${study.runsTotal} runs finished (live)`;
    this.status.textContent = `${progress} · ${study.metric}, mean ± std over ${study.seeds} seed${study.seeds === 1 ? '' : 's'}${study.failed ? ` · ${study.failed} failed` : ''}`;
    const colours = this.colours(study.curves.length);
    const datasets: ChartDataset<'line', StudyPoint[]>[] = study.curves.map((curve, i) => {
      const colour = rgba(colours[i]!);
      return {
        label: curve.label,
        data: curve.points.filter((p) => p.mean !== null).map((p) => ({ x: p.size, y: p.mean!, std: p.std, runs: p.runs })),
        borderColor: colour,
        backgroundColor: colour,
        borderWidth: 2,
      };
    });
    this.chart.data.datasets = datasets;
    this.chart.update('none');
    this.recordPoints();
    this.canvas.setAttribute('aria-label', `Test accuracy against training-set size: ${datasets.length} curves`);
    this.list.replaceChildren(
      ...study.curves.flatMap((c) =>
        c.points
          .filter((p) => p.mean !== null)
          .map((p) => el('li', undefined, `${c.label} at ${formatCount(p.size)}: ${pct(p.mean, 2)}% ± ${pct(p.std, 2)} (${p.runs} runs)`)),
      ),
    );
    this.renderTable(study);
  }

  /** Where each point is drawn (data-points), for tests that click one. */
  private recordPoints(): void {
    const points = (this.study?.curves ?? []).flatMap((curve, i) => {
      const meta = this.chart.getDatasetMeta(i);
      return (this.chart.data.datasets[i]?.data ?? []).map((p, j) => ({
        curve: curve.key,
        size: p.x,
        x: Math.round(meta.data[j]?.x ?? NaN),
        y: Math.round(meta.data[j]?.y ?? NaN),
      }));
    });
    this.figure.dataset.points = JSON.stringify(points);
  }

  private renderTable(study: StudyWire): void {
    clear(this.tableArea);
    const t = el('table', 'study-table');
    const head = el('tr');
    head.append(el('th', undefined, 'curve'), ...study.sizes.map((s) => el('th', 'num', formatCount(s))));
    t.append(el('thead'), el('tbody'));
    t.tHead!.append(head);
    for (const curve of study.curves) {
      const row = el('tr');
      row.append(el('th', undefined, curve.label));
      for (const size of study.sizes) {
        const p = curve.points.find((x) => x.size === size);
        const cell = el('td', 'num');
        if (p && p.mean !== null) {
          const open = el('button', 'study-point', `${pct(p.mean)} ± ${pct(p.std)}`);
          open.type = 'button';
          open.title = `Open the ${p.runs} run${p.runs === 1 ? '' : 's'} of ${curve.label} at ${formatCount(size)}`;
          open.dataset.curve = curve.key;
          open.dataset.size = String(size);
          open.addEventListener('click', () => this.onOpenPoint(curve.key, size));
          cell.append(open);
          const equivalent = curve.equivalents[String(size)];
          cell.append(el('div', 'detail', `${p.runs}/${study.seeds} seeds${curve.reference && equivalent ? ` · worth ${equivalent}` : ''}`));
        } else cell.textContent = '–';
        row.append(cell);
      }
      t.tBodies[0]!.append(row);
    }
    this.tableArea.append(t);
  }

  destroy(): void {
    this.chart.destroy();
  }
}
