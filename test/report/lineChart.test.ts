/**
 * The SVG line chart: data lands inside the plot box (range ends on its edges, fixed ranges clamped),
 * larger values are drawn higher, non-finite values break the line instead of being drawn, text is
 * escaped, and the ticks are round numbers covering the data.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineChartSvg, niceTicks, plotBox, type ChartSeries } from '../../src/core/report/lineChart';

const WIDTH = 500;
const HEIGHT = 300;

/** The [x, y] pairs of every <path d="…"> in the SVG, per path, per segment (one per M). */
function pathSegments(svg: string): number[][][][] {
  return [...svg.matchAll(/<path d="([^"]*)"/g)].map((m) =>
    m[1]!
      .split('M')
      .filter((s) => s.trim() !== '')
      .map((segment) => segment.split('L').map((pair) => pair.trim().split(/\s+/).map(Number))),
  );
}

const series = (name: string, ys: number[], xs = ys.map((_, i) => i)): ChartSeries => ({
  name,
  color: '#123456',
  points: ys.map((y, i) => ({ x: xs[i]!, y })),
});

test('points map into the plot box; the data range ends on its edges; higher values are drawn higher', () => {
  const svg = lineChartSvg([series('a', [0, 0.3, 0.7, 1], [0, 2, 6, 10]), series('b', [0.5, 0.5], [4, 8])], {
    title: 't',
    xLabel: 'x',
    yLabel: 'y',
    width: WIDTH,
    height: HEIGHT,
  });
  const box = plotBox(WIDTH, HEIGHT, 2);
  const paths = pathSegments(svg);
  assert.equal(paths.length, 2);
  for (const [x, y] of paths.flat(2)) {
    assert.ok(x! >= box.left - 1e-9 && x! <= box.left + box.width + 1e-9, `x ${x} outside [${box.left}, ${box.left + box.width}]`);
    assert.ok(y! >= box.top - 1e-9 && y! <= box.top + box.height + 1e-9, `y ${y} outside [${box.top}, ${box.top + box.height}]`);
  }
  const a = paths[0]![0]!;
  // x from 0 to 10 and y from 0 to 1 are exactly the tick ranges: the corners of the box.
  assert.deepEqual(a[0], [box.left, box.top + box.height]);
  assert.deepEqual(a[3], [box.left + box.width, box.top]);
  const ys = a.map((p) => p[1]!);
  for (let i = 1; i < ys.length; i++) assert.ok(ys[i]! < ys[i - 1]!, 'SVG y decreases as the value grows');
  // x = 6 of [0, 10] is 60% across.
  assert.ok(Math.abs(a[2]![0]! - (box.left + 0.6 * box.width)) < 0.01);
});

test('a fixed y range clamps values outside it to the box edge', () => {
  const svg = lineChartSvg([series('acc', [-0.5, 0.5, 1.5])], { title: 't', xLabel: 'x', yLabel: 'y', width: WIDTH, height: HEIGHT, yRange: [0, 1] });
  const box = plotBox(WIDTH, HEIGHT, 1);
  const [p0, p1, p2] = pathSegments(svg)[0]![0]!;
  assert.equal(p0![1], box.top + box.height);
  assert.ok(Math.abs(p1![1]! - (box.top + box.height / 2)) < 0.01);
  assert.equal(p2![1], box.top);
});

test('NaN and infinite values are skipped: the line breaks there, nothing is drawn at NaN', () => {
  const svg = lineChartSvg([series('loss', [1, Number.NaN, 3, 4, Number.POSITIVE_INFINITY, 2])], { title: 't', xLabel: 'x', yLabel: 'y' });
  assert.doesNotMatch(svg, /NaN|Infinity/);
  const segments = pathSegments(svg)[0]!;
  assert.deepEqual(
    segments.map((s) => s.length),
    [1, 2, 1],
    'segments [1], [3, 4], [2]',
  );
  // Isolated points get a dot so they stay visible.
  assert.equal([...svg.matchAll(/<circle /g)].length, 2);
});

test('a series with no finite value draws no line but keeps its legend entry; no data at all says so', () => {
  const svg = lineChartSvg([series('empty', [Number.NaN, Number.NaN])], { title: 't', xLabel: 'x', yLabel: 'y' });
  assert.equal(pathSegments(svg).length, 0);
  assert.match(svg, />empty</);
  assert.match(svg, />no data</);
});

test('titles, labels and series names are escaped', () => {
  const svg = lineChartSvg([{ ...series('<b>run & "x"</b>', [1, 2]), color: '"red"' }], { title: '<script>alert(1)</script>', xLabel: 'a<b', yLabel: "it's" });
  assert.doesNotMatch(svg, /<script|<b>|"red"/);
  assert.match(svg, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(svg, /&lt;b&gt;run &amp; &quot;x&quot;&lt;\/b&gt;/);
  assert.match(svg, /it&#39;s/);
});

test('niceTicks: round steps of 1, 2 or 5 × 10^k that cover the range', () => {
  assert.deepEqual(niceTicks(0, 1), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assert.deepEqual(niceTicks(1, 10), [0, 2, 4, 6, 8, 10]);
  for (const [lo, hi] of [
    [0.13, 0.87],
    [2.19, 2.31],
    [-3, 117],
    [1e-4, 3e-4],
  ] as const) {
    const ticks = niceTicks(lo, hi);
    assert.ok(ticks[0]! <= lo && ticks[ticks.length - 1]! >= hi, `${ticks} covers [${lo}, ${hi}]`);
    assert.ok(ticks.length >= 3 && ticks.length <= 12, `${ticks.length} ticks`);
    const step = ticks[1]! - ticks[0]!;
    const mantissa = step / 10 ** Math.floor(Math.log10(step));
    assert.ok(
      [1, 2, 5, 10].some((m) => Math.abs(mantissa - m) < 1e-6),
      `step ${step}`,
    );
  }
  assert.throws(() => niceTicks(1, 0), /bad range/);
});
