/**
 * The tensor's histogram and its row/column norm curves as chart.js charts, drawn without animation in
 * the theme's colours (--vscode-charts-*, the foreground, the panel border) so light, dark and
 * high-contrast themes stay readable. Each canvas carries what it plots in data-* attributes (bins,
 * total count, points) for tests and tools.
 */
import { BarController, BarElement, CategoryScale, Chart, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import type { Histogram } from '../../src/protocol';
import { formatCount, formatNumber } from '../../src/protocol/display';
import { el } from '../shared/dom';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Tooltip);

interface Look {
  readonly foreground: string;
  readonly grid: string;
  readonly font: string;
  readonly bar: string;
  readonly line: string;
}

function look(): Look {
  const style = getComputedStyle(document.body);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    foreground: read('--vscode-foreground', '#cccccc'),
    grid: read('--vscode-panel-border', 'rgba(128, 128, 128, 0.35)'),
    font: read('--vscode-font-family', 'sans-serif'),
    bar: read('--vscode-charts-blue', '#3794ff'),
    line: read('--vscode-charts-orange', '#d18616'),
  };
}

function figure(kind: string, title: string): { root: HTMLElement; canvas: HTMLCanvasElement } {
  const root = el('figure', `chart ${kind}`);
  root.append(el('figcaption', 'chart-title', title));
  const box = el('div', 'chart-box');
  const canvas = el('canvas');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', title);
  box.append(canvas);
  root.append(box);
  return { root, canvas };
}

/** What both charts share: no animation, sized by their box, themed axes with a zero-based y axis. */
function baseOptions(colours: ReturnType<typeof look>) {
  return {
    animation: false as const,
    responsive: true,
    maintainAspectRatio: false,
    font: { family: colours.font },
    color: colours.foreground,
    scales: {
      x: { grid: { display: false }, ticks: { color: colours.foreground, maxRotation: 0, autoSkip: true, maxTicksLimit: 8 } },
      y: { beginAtZero: true, grid: { color: colours.grid }, ticks: { color: colours.foreground } },
    },
  };
}

/** Bin centres, printed compactly, as the x labels. */
export function binCentres(h: Histogram): number[] {
  const width = (h.max - h.min) / h.counts.length;
  return h.counts.map((_, i) => h.min + (i + 0.5) * width);
}

/** The histogram as a bar chart; returns the figure and the chart (destroy it when replaced). */
export function histogramChart(h: Histogram): { root: HTMLElement; chart: Chart } {
  const total = h.counts.reduce((a, b) => a + b, 0);
  const { root, canvas } = figure(
    'histogram',
    `Histogram (${h.counts.length} bins, ${formatCount(total)} finite values${h.nonFinite ? `, ${formatCount(h.nonFinite)} NaN/Inf left out` : ''})`,
  );
  canvas.dataset.bins = String(h.counts.length);
  canvas.dataset.total = String(total);
  const colours = look();
  const chart = new Chart(canvas, {
    type: 'bar',
    data: {
      labels: binCentres(h).map((c) => formatNumber(c, 3)),
      datasets: [{ label: 'values', data: [...h.counts], backgroundColor: colours.bar, borderWidth: 0, barPercentage: 1, categoryPercentage: 1 }],
    },
    options: {
      ...baseOptions(colours),
      plugins: { tooltip: { callbacks: { title: (items) => `≈ ${items[0]?.label ?? ''}`, label: (item) => `${formatCount(item.parsed.y ?? 0)} values` } } },
    },
  });
  return { root, chart };
}

/** L2 norms along one axis as a line; `block` > 1 when each point averages a block of rows/columns. */
export function normsChart(title: string, norms: Float32Array, block: number): { root: HTMLElement; chart: Chart } {
  const suffix = block > 1 ? ` (mean over blocks of ${block})` : '';
  const { root, canvas } = figure('norms', `${title}${suffix}`);
  canvas.dataset.points = String(norms.length);
  const colours = look();
  const chart = new Chart(canvas, {
    type: 'line',
    data: {
      labels: Array.from(norms, (_, i) => String(i * block)),
      datasets: [
        {
          label: title,
          data: Array.from(norms),
          borderColor: colours.line,
          backgroundColor: colours.line,
          pointRadius: norms.length > 64 ? 0 : 2,
          borderWidth: 1.5,
        },
      ],
    },
    options: {
      ...baseOptions(colours),
      plugins: {
        tooltip: { callbacks: { title: (items) => `index ${items[0]?.label ?? ''}`, label: (item) => formatNumber(item.parsed.y ?? Number.NaN, 4) } },
      },
    },
  });
  return { root, chart };
}
