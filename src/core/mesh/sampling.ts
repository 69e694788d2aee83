/**
 * Where a 3-D INR is fitted: points near the surface (a triangle drawn in proportion to its area, a
 * uniform point on it, then a Gaussian offset of each given scale, so the fit sees the zero level set
 * sharply) and points uniform in the cube [−1, 1]³ (so it knows the far field). Seeded: the same rng
 * gives the same points.
 */
import type { Rng } from '../random/rng';
import type { Mesh } from './mesh';

export interface SampleCounts {
  /** Points per offset scale near the surface. */
  readonly nearSurface: number;
  /** Standard deviations of the offsets, in INR coordinates. */
  readonly sigmas: readonly number[];
  readonly uniform: number;
}

export const DEFAULT_SAMPLES: SampleCounts = { nearSurface: 2048, sigmas: [0.01, 0.05], uniform: 2048 };

/** Points (x, y, z each): every scale's near-surface points, then the uniform ones. */
export function samplePoints(mesh: Mesh, rng: Rng, counts: SampleCounts = DEFAULT_SAMPLES): Float32Array {
  const { vertices: v, triangles } = mesh;
  const areas = new Float64Array(triangles.length / 3);
  let total = 0;
  for (let t = 0; t < areas.length; t++) {
    const [a, b, c] = [0, 1, 2].map((k) => triangles[t * 3 + k]! * 3) as [number, number, number];
    const u = [0, 1, 2].map((k) => v[b + k]! - v[a + k]!);
    const w = [0, 1, 2].map((k) => v[c + k]! - v[a + k]!);
    const cross = [u[1]! * w[2]! - u[2]! * w[1]!, u[2]! * w[0]! - u[0]! * w[2]!, u[0]! * w[1]! - u[1]! * w[0]!];
    total += Math.hypot(cross[0]!, cross[1]!, cross[2]!) / 2;
    areas[t] = total; // cumulative
  }
  const out = new Float32Array(3 * (counts.nearSurface * counts.sigmas.length + counts.uniform));
  let at = 0;
  for (const sigma of counts.sigmas) {
    for (let i = 0; i < counts.nearSurface; i++) {
      const target = rng.uniform(0, total);
      let lo = 0;
      let hi = areas.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (areas[mid]! < target) lo = mid + 1;
        else hi = mid;
      }
      let r1 = rng.uniform(0, 1);
      let r2 = rng.uniform(0, 1);
      if (r1 + r2 > 1) [r1, r2] = [1 - r1, 1 - r2];
      const [a, b, c] = [0, 1, 2].map((k) => triangles[lo * 3 + k]! * 3) as [number, number, number];
      for (let k = 0; k < 3; k++) out[at++] = v[a + k]! + r1 * (v[b + k]! - v[a + k]!) + r2 * (v[c + k]! - v[a + k]!) + sigma * rng.normal();
    }
  }
  for (let i = 0; i < counts.uniform * 3; i++) out[at++] = rng.uniform(-1, 1);
  return out;
}
