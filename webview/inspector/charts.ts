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

/** About how many x labels the charts show (chart.js skips the rest). */
const X_TICKS = 8;

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
      x: { grid: { display: false }, ticks: { color: colours.foreground, maxRotation: 0, autoSkip: true, maxTicksLimit: X_TICKS } },
      y: { beginAtZero: true, grid: { color: colours.grid }, ticks: { color: colours.foreground } },
    },
  };
}

/** The centre of each bin (where its bar stands). */
export function binCentres(h: Histogram): number[] {
  const width = (h.max - h.min) / h.counts.length;
  return h.counts.map((_, i) => h.min + (i + 0.5) * width);
}

/**
 * Bin centres as x labels, rounded to the decimal place of the spacing between the labels shown (about an
 * eighth of the range): "-0.012", "0.004", … rather than "-0.0123457". Very small or very large spacings
 * use exponent notation with as many significant digits as that spacing needs.
 */
export function binLabels(h: Histogram): string[] {
  const centres = binCentres(h);
  const step = (h.max - h.min) / X_TICKS;
  if (!(step > 0) || !Number.isFinite(step)) return centres.map((c) => formatNumber(c, 3));
  const place = Math.floor(Math.log10(step));
  const magnitude = Math.max(Math.abs(h.min), Math.abs(h.max));
  if (place < -4 || magnitude >= 1e6) {
    const digits = Math.min(6, Math.max(1, Math.floor(Math.log10(magnitude)) - place + 1));
    return centres.map((c) => formatNumber(c, digits));
  }
  const decimals = Math.max(0, -place);
  // Adding 0 turns -0 into 0, so a centre that rounds to zero reads "0.00", not "-0.00".
  return centres.map((c) => (Number(c.toFixed(decimals)) + 0).toFixed(decimals));
}

/** The histogram as a bar chart; returns the figure and the chart (destroy it when replaced). */
export function histogramChart(h: Histogram): { root: HTMLElement; chart: Chart } {
  const total = h.counts.reduce((a, b) => a + b, 0);
  const { root, canvas } = figure(
    'histogram',
    `Histogram (${h.counts.length} bins, ${formatCount(total)} finite values${h.nonFinite ? `, ${formatCount(h.nonFinite)} NaN/Inf left out` : ''})`,
  );
  canvas.dataset.bins = String(h.counts.length);
  const centres = binCentres(h);
  canvas.dataset.total = String(total);
  const colours = look();
  const chart = new Chart(canvas, {
    type: 'bar',
    data: {
      labels: binLabels(h),
      datasets: [{ label: 'values', data: [...h.counts], backgroundColor: colours.bar, borderWidth: 0, barPercentage: 1, categoryPercentage: 1 }],
    },
    options: {
      ...baseOptions(colours),
      plugins: {
        tooltip: {
          callbacks: {
            title: (items) => `≈ ${formatNumber(centres[items[0]?.dataIndex ?? 0] ?? Number.NaN, 4)}`,
            label: (item) => `${formatCount(item.parsed.y ?? 0)} values`,
          },
        },
      },
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
