/**
 * The charts as one PNG: the chart canvases side by side on the editor's background (their own canvases
 * are transparent), each under its title, at the canvases' pixel size. Returns a data:image/png URL.
 */

export interface ChartImage {
  readonly title: string;
  readonly canvas: HTMLCanvasElement;
}

export function composeChartsPng(charts: readonly ChartImage[], look: { background: string; foreground: string; font: string }): string {
  const scale = window.devicePixelRatio || 1;
  const titleHeight = Math.round(28 * scale);
  const gap = Math.round(16 * scale);
  const width = charts.reduce((w, c) => w + c.canvas.width, 0) + gap * (charts.length + 1);
  const height = Math.max(...charts.map((c) => c.canvas.height)) + titleHeight + 2 * gap;
  const out = document.createElement('canvas');
  out.width = width;
  out.height = height;
  const ctx = out.getContext('2d')!;
  ctx.fillStyle = look.background;
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = look.foreground;
  ctx.font = `${Math.round(14 * scale)}px ${look.font}`;
  ctx.textBaseline = 'top';
  let x = gap;
  for (const chart of charts) {
    ctx.fillText(chart.title, x, gap);
    ctx.drawImage(chart.canvas, x, gap + titleHeight);
    x += chart.canvas.width + gap;
  }
  return out.toDataURL('image/png');
}
