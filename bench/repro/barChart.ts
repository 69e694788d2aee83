/**
 * A bar chart with error bars as a PNG (for docs/repro.md): one bar per condition at its mean, a
 * whisker of ± one standard deviation, the value above and the name below, on a white background.
 */
import { drawText, textWidth } from '../../src/core/augment/bitmapFont';
import { encodePng } from '../../src/core/image/codec';

export interface Bar {
  readonly label: string;
  readonly mean: number;
  readonly std: number;
}

const WIDTH = 900;
const HEIGHT = 420;
const MARGIN = { left: 70, right: 20, top: 50, bottom: 70 };

export function barChartPng(title: string, bars: readonly Bar[], yMin: number, yMax: number): Uint8Array {
  const image = new Float32Array(WIDTH * HEIGHT * 3).fill(1);
  const fill = (x0: number, y0: number, x1: number, y1: number, rgb: readonly number[]) => {
    for (let y = Math.max(0, Math.round(y0)); y < Math.min(HEIGHT, Math.round(y1)); y++) {
      for (let x = Math.max(0, Math.round(x0)); x < Math.min(WIDTH, Math.round(x1)); x++) for (let c = 0; c < 3; c++) image[(y * WIDTH + x) * 3 + c] = rgb[c]!;
    }
  };
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const yOf = (v: number) => MARGIN.top + plotH * (1 - (Math.min(yMax, Math.max(yMin, v)) - yMin) / (yMax - yMin));
  drawText(image, WIDTH, 3, title, MARGIN.left, 15, 3, 0);
  // Grid lines every 5 percentage points, labelled.
  const stepValue = (yMax - yMin) / 6 > 0.05 ? 0.1 : 0.05;
  for (let v = Math.ceil(yMin / stepValue) * stepValue; v <= yMax + 1e-9; v += stepValue) {
    const y = yOf(v);
    fill(MARGIN.left, y, WIDTH - MARGIN.right, y + 1, [0.85, 0.85, 0.85]);
    const text = `${(100 * v).toFixed(0)}%`;
    drawText(image, WIDTH, 3, text, MARGIN.left - 8 - textWidth(text, 2), y - 5, 2, 0.3);
  }
  fill(MARGIN.left, MARGIN.top, MARGIN.left + 1, MARGIN.top + plotH, [0, 0, 0]);
  fill(MARGIN.left, MARGIN.top + plotH, WIDTH - MARGIN.right, MARGIN.top + plotH + 1, [0, 0, 0]);
  const slot = plotW / bars.length;
  bars.forEach((bar, i) => {
    const x0 = MARGIN.left + i * slot + slot * 0.2;
    const x1 = x0 + slot * 0.6;
    fill(x0, yOf(bar.mean), x1, MARGIN.top + plotH, [0.27, 0.47, 0.75]);
    const cx = (x0 + x1) / 2;
    fill(cx - 1, yOf(bar.mean + bar.std), cx + 1, yOf(bar.mean - bar.std), [0, 0, 0]);
    fill(cx - 8, yOf(bar.mean + bar.std), cx + 8, yOf(bar.mean + bar.std) + 2, [0, 0, 0]);
    fill(cx - 8, yOf(bar.mean - bar.std) - 1, cx + 8, yOf(bar.mean - bar.std) + 1, [0, 0, 0]);
    const value = `${(100 * bar.mean).toFixed(1)}`;
    drawText(image, WIDTH, 3, value, cx - textWidth(value, 2) / 2, yOf(bar.mean + bar.std) - 16, 2, 0);
    const scale = textWidth(bar.label, 2) <= slot - 4 ? 2 : 1;
    drawText(image, WIDTH, 3, bar.label, cx - textWidth(bar.label, scale) / 2, MARGIN.top + plotH + 12, scale, 0);
  });
  return encodePng(image, WIDTH, HEIGHT, 3);
}
