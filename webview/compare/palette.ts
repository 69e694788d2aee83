/**
 * Curve colours: VS Code's chart colours first (--vscode-charts-*, so they follow the theme), then hues
 * spread by the golden angle for as many runs as there are. Colours are kept as RGB so they can be faded
 * (bands, dimmed curves) with rgba(); `toRgb` resolves a CSS colour (the page does it with a canvas).
 */

export type Rgb = readonly [number, number, number];

export const THEME_CHART_COLOURS = [
  '--vscode-charts-blue',
  '--vscode-charts-orange',
  '--vscode-charts-green',
  '--vscode-charts-purple',
  '--vscode-charts-red',
  '--vscode-charts-yellow',
] as const;

/** Fallbacks when a variable is not set (VS Code's dark theme values). */
const FALLBACK: readonly Rgb[] = [
  [55, 148, 255],
  [209, 134, 22],
  [137, 209, 133],
  [177, 128, 215],
  [241, 76, 76],
  [204, 167, 0],
];

/** HSL (h in degrees, s and l in [0, 1]) to RGB 0–255. */
export function hslToRgb(h: number, s: number, l: number): Rgb {
  const k = (n: number) => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => l - a * Math.max(-1, Math.min(k(n) - 3, 9 - k(n), 1));
  return [Math.round(255 * f(0)), Math.round(255 * f(8)), Math.round(255 * f(4))];
}

export function palette(count: number, readVariable: (name: string) => string, toRgb: (css: string) => Rgb | undefined): Rgb[] {
  const base = THEME_CHART_COLOURS.map((name, i) => {
    const css = readVariable(name).trim();
    return (css && toRgb(css)) || FALLBACK[i]!;
  });
  return Array.from({ length: count }, (_, i) => (i < base.length ? base[i]! : hslToRgb((i * 137.508) % 360, 0.65, 0.55)));
}

export function rgba([r, g, b]: Rgb, alpha = 1): string {
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}
