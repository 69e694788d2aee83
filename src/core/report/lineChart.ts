/**
 * A line chart as a standalone inline SVG string (no scripts, no external resources): one polyline per
 * series over shared axes with "nice" ticks, axis labels, a title and a legend under the plot.
 * Non-finite values (NaN, ±Infinity) are skipped — the line breaks there rather than jumping to an edge —
 * and values outside a fixed y range are clamped to the plot box. The x axis is linear, or logarithmic with
 * ticks at given values (sizes); a point may carry a ± error drawn as a whisker. Pure: the same input gives
 * the same text.
 */
import { escapeHtml } from './html';

export interface ChartPoint {
  readonly x: number;
  readonly y: number;
  /** Half-length of a vertical whisker (e.g. one standard deviation). */
  readonly error?: number;
}

export interface ChartSeries {
  readonly name: string;
  /** Any CSS colour, e.g. #1f77b4. */
  readonly color: string;
  readonly points: readonly ChartPoint[];
  readonly dashed?: boolean;
  /** A dot at every point (for sparse series such as one value per epoch). */
  readonly markers?: boolean;
}

export interface ChartOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly width?: number;
  readonly height?: number;
  /** A fixed y range, e.g. [0, 1] for accuracies; by default the data's range, widened to nice ticks. */
  readonly yRange?: readonly [number, number];
  /** Tick label text, e.g. (v) => `${v * 100}%`; by default the tick value with the step's decimals. */
  readonly yFormat?: (value: number) => string;
  /** A logarithmic x axis (positive x only), ticked at `xTicks` (by default every distinct x of the data). */
  readonly xScale?: 'linear' | 'log';
  readonly xTicks?: readonly number[];
  readonly xFormat?: (value: number) => string;
}

/** The rectangle the data is drawn in, in SVG user units. */
export interface PlotBox {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

const MARGIN = { left: 56, right: 16, top: 30, bottom: 44 };
const LEGEND_ROW = 18;
const LEGEND_COLUMNS = 2;

export function legendRows(seriesCount: number): number {
  return Math.ceil(seriesCount / LEGEND_COLUMNS);
}

/** The plot box of a chart of this size with `seriesCount` legend entries under it. */
export function plotBox(width: number, height: number, seriesCount: number): PlotBox {
  const legend = legendRows(seriesCount) * LEGEND_ROW;
  return { left: MARGIN.left, top: MARGIN.top, width: width - MARGIN.left - MARGIN.right, height: height - MARGIN.top - MARGIN.bottom - legend };
}

/** Round tick values (1, 2 or 5 × 10^k apart) covering [min, max], about `target` of them. */
export function niceTicks(min: number, max: number, target = 5): number[] {
  if (!(Number.isFinite(min) && Number.isFinite(max)) || max < min) throw new Error(`niceTicks: bad range [${min}, ${max}]`);
  if (max === min) return [min];
  const raw = (max - min) / Math.max(1, target);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw)!;
  const first = Math.floor(min / step + 1e-9);
  const last = Math.ceil(max / step - 1e-9);
  const ticks: number[] = [];
  for (let k = first; k <= last; k++) ticks.push(Number((k * step).toPrecision(12)));
  return ticks;
}

function decimalsOf(ticks: readonly number[]): number {
  if (ticks.length < 2) return 2;
  const step = Math.abs(ticks[1]! - ticks[0]!);
  return Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
}

/** [lo, hi] of the finite values, widened when empty or a single value. */
function extent(values: readonly number[]): [number, number] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return [0, 1];
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  if (lo === hi) {
    const pad = lo === 0 ? 1 : Math.abs(lo) / 2;
    lo -= pad;
    hi += pad;
  }
  return [lo, hi];
}

const round = (v: number) => Number(v.toFixed(2));
const isFinitePoint = (p: ChartPoint) => Number.isFinite(p.x) && Number.isFinite(p.y);

export function lineChartSvg(series: readonly ChartSeries[], options: ChartOptions): string {
  const width = options.width ?? 560;
  const height = options.height ?? 320;
  const box = plotBox(width, height, series.length);
  const log = options.xScale === 'log';
  const all = series.flatMap((s) => s.points.filter((p) => isFinitePoint(p) && (!log || p.x > 0)));
  const position = (x: number) => (log ? Math.log10(x) : x);

  const xTicks = log ? (options.xTicks ?? [...new Set(all.map((p) => p.x))].sort((a, b) => a - b)) : niceTicks(...extent(all.map((p) => p.x)));
  const [px0, px1] = log ? extent(xTicks.map(position)) : [xTicks[0]!, xTicks[xTicks.length - 1]!];
  const yValues = all.flatMap((p) => (p.error !== undefined && Number.isFinite(p.error) ? [p.y - p.error, p.y + p.error] : [p.y]));
  const yTicks = options.yRange ? niceTicks(options.yRange[0], options.yRange[1]) : niceTicks(...extent(yValues));
  const [y0, y1] = options.yRange ? [options.yRange[0], options.yRange[1]] : [yTicks[0]!, yTicks[yTicks.length - 1]!];
  const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
  const pad = log ? 0.04 : 0;
  const X = (x: number) => round(box.left + (px1 === px0 ? 0.5 : pad + (1 - 2 * pad) * clamp((position(x) - px0) / (px1 - px0), 0, 1)) * box.width);
  const Y = (y: number) => round(box.top + box.height - (y1 === y0 ? 0.5 : clamp((y - y0) / (y1 - y0), 0, 1)) * box.height);
  const yDecimals = decimalsOf(yTicks);
  const xDecimals = decimalsOf(xTicks);
  const xText = options.xFormat ?? ((v: number) => (log ? String(v) : v.toFixed(xDecimals)));
  const yText = options.yFormat ?? ((v: number) => v.toFixed(yDecimals));

  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(options.title)}" font-family="system-ui, sans-serif" font-size="11">`,
    `<title>${escapeHtml(options.title)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="18" text-anchor="middle" font-size="13" font-weight="600">${escapeHtml(options.title)}</text>`,
  );
  // Grid lines and tick labels.
  for (const t of yTicks) {
    const y = Y(t);
    parts.push(`<line x1="${box.left}" y1="${y}" x2="${box.left + box.width}" y2="${y}" stroke="#e5e7eb"/>`);
    parts.push(`<text x="${box.left - 6}" y="${y + 4}" text-anchor="end" fill="#374151">${escapeHtml(yText(t))}</text>`);
  }
  for (const t of xTicks) {
    const x = X(t);
    parts.push(`<line x1="${x}" y1="${box.top}" x2="${x}" y2="${box.top + box.height}" stroke="#f3f4f6"/>`);
    parts.push(`<text x="${x}" y="${box.top + box.height + 15}" text-anchor="middle" fill="#374151">${escapeHtml(xText(t))}</text>`);
  }
  parts.push(`<rect x="${box.left}" y="${box.top}" width="${box.width}" height="${box.height}" fill="none" stroke="#9ca3af"/>`);
  parts.push(`<text x="${box.left + box.width / 2}" y="${box.top + box.height + 32}" text-anchor="middle" fill="#111827">${escapeHtml(options.xLabel)}</text>`);
  const yMid = box.top + box.height / 2;
  parts.push(`<text x="14" y="${yMid}" text-anchor="middle" transform="rotate(-90 14 ${yMid})" fill="#111827">${escapeHtml(options.yLabel)}</text>`);
  if (all.length === 0) parts.push(`<text x="${box.left + box.width / 2}" y="${yMid}" text-anchor="middle" fill="#6b7280">no data</text>`);

  // Series: a path broken at every non-finite point; dots for markers and for isolated points.
  for (const s of series) {
    const segments: ChartPoint[][] = [[]];
    for (const p of s.points) {
      if (isFinitePoint(p) && (!log || p.x > 0)) segments[segments.length - 1]!.push(p);
      else if (segments[segments.length - 1]!.length > 0) segments.push([]);
    }
    const drawn = segments.filter((seg) => seg.length > 0);
    const d = drawn.map((seg) => seg.map((p, i) => `${i === 0 ? 'M' : 'L'}${X(p.x)} ${Y(p.y)}`).join(' ')).join(' ');
    const color = escapeHtml(s.color);
    if (d) {
      parts.push(
        `<path d="${d}" fill="none" stroke="${color}" stroke-width="1.8"${s.dashed ? ' stroke-dasharray="5 3"' : ''} stroke-linejoin="round"><title>${escapeHtml(s.name)}</title></path>`,
      );
    }
    for (const p of drawn.flat()) {
      if (!(p.error !== undefined && Number.isFinite(p.error) && p.error > 0)) continue;
      const [x, top, bottom] = [X(p.x), Y(p.y + p.error), Y(p.y - p.error)];
      parts.push(
        `<path d="M${x} ${top} L${x} ${bottom} M${round(x - 4)} ${top} L${round(x + 4)} ${top} M${round(x - 4)} ${bottom} L${round(x + 4)} ${bottom}" stroke="${color}" stroke-width="1.2" fill="none"/>`,
      );
    }
    for (const seg of drawn) {
      if (!s.markers && seg.length > 1) continue;
      for (const p of seg) parts.push(`<circle cx="${X(p.x)}" cy="${Y(p.y)}" r="2.5" fill="${color}"/>`);
    }
  }

  // Legend under the axis label, LEGEND_COLUMNS entries per row.
  const legendTop = box.top + box.height + MARGIN.bottom;
  const columnWidth = (width - MARGIN.left - MARGIN.right) / LEGEND_COLUMNS;
  series.forEach((s, i) => {
    const x = MARGIN.left + (i % LEGEND_COLUMNS) * columnWidth;
    const y = legendTop + Math.floor(i / LEGEND_COLUMNS) * LEGEND_ROW + 4;
    const color = escapeHtml(s.color);
    parts.push(`<line x1="${x}" y1="${y}" x2="${x + 22}" y2="${y}" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/>`);
    parts.push(`<text x="${x + 28}" y="${y + 4}" fill="#111827">${escapeHtml(s.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}
