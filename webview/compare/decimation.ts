/**
 * Fewer points to draw, the same picture: min/max per pixel bucket (the M4 scheme of Jugel et al., VLDB
 * 2014). The x range is cut into `buckets` equal columns (one per canvas pixel); each column keeps its
 * first, lowest, highest and last point, in x order. A line through those rasterises to the same pixels
 * as the full series, so spikes stay visible (LTTB, by contrast, may drop a one-point spike), and
 * ≤ 4·buckets points are drawn however long the run. Chart.js's own decimation plugin does this too
 * ("min-max") but only on data it parses itself, again on every update; here it runs once per smoothing
 * or resize on our typed arrays, and is tested in Node.
 * x must be non-decreasing (steps, epochs and wall time are); points with a non-finite y are dropped.
 */

export interface Points {
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
}

export interface Point {
  x: number;
  y: number;
}

export function decimate(points: Points, buckets: number): Point[] {
  const { x, y } = points;
  const n = Math.min(x.length, y.length);
  const ok = (i: number) => Number.isFinite(y[i]!) && Number.isFinite(x[i]!);
  let start = 0;
  let end = n - 1;
  while (start < n && !ok(start)) start++;
  while (end >= start && !ok(end)) end--;
  const out: Point[] = [];
  const keep = (i: number) => out.push({ x: x[i]!, y: y[i]! });
  if (end - start + 1 <= 4 * Math.max(1, buckets)) {
    for (let i = start; i <= end; i++) if (ok(i)) keep(i);
    return out;
  }
  const x0 = x[start]!;
  const scale = buckets / (x[end]! - x0 || 1);
  let bucket = -1;
  let first = 0;
  let min = 0;
  let max = 0;
  let last = 0;
  /** The bucket's first, min, max and last point, each once, in index (= x) order. */
  const flush = () => {
    const lo = Math.min(min, max);
    const hi = Math.max(min, max);
    keep(first);
    if (lo !== first) keep(lo);
    if (hi !== lo && hi !== first) keep(hi);
    if (last !== hi && last !== lo && last !== first) keep(last);
  };
  for (let i = start; i <= end; i++) {
    if (!ok(i)) continue;
    const b = Math.min(buckets - 1, Math.floor((x[i]! - x0) * scale));
    if (b !== bucket) {
      if (bucket >= 0) flush();
      bucket = b;
      first = min = max = last = i;
      continue;
    }
    if (y[i]! < y[min]!) min = i;
    if (y[i]! > y[max]!) max = i;
    last = i;
  }
  flush();
  return out;
}
