/**
 * Signed distance from points to a triangle mesh, negative inside: the distance to the nearest triangle
 * (closest point on a triangle, Ericson, Real-Time Collision Detection §5.1.5), with the sign of the
 * generalised winding number w(p) = Σ Ω_t(p) / 4π over the triangles (solid angles, Van Oosterom &
 * Strackee 1983): p is inside when w(p) > ½. For a closed, consistently oriented mesh w is exactly 1 inside
 * and 0 outside; for a mesh with holes or flipped faces it degrades gracefully instead of flipping signs
 * across whole regions, as ray parity does. O(points × triangles); the caller bounds both.
 */
import type { Mesh } from './mesh';

/** Squared distance from p to triangle (a, b, c); points are x, y, z at offsets pi, ai, bi, ci of `p` and `v`. */
export function triangleDistanceSquared(p: ArrayLike<number>, pi: number, v: ArrayLike<number>, ai: number, bi: number, ci: number): number {
  const [px, py, pz] = [p[pi]!, p[pi + 1]!, p[pi + 2]!];
  const [ax, ay, az] = [v[ai]!, v[ai + 1]!, v[ai + 2]!];
  const [abx, aby, abz] = [v[bi]! - ax, v[bi + 1]! - ay, v[bi + 2]! - az];
  const [acx, acy, acz] = [v[ci]! - ax, v[ci + 1]! - ay, v[ci + 2]! - az];
  const [apx, apy, apz] = [px - ax, py - ay, pz - az];
  // The closest point is a + s·ab + t·ac; find (s, t) by the Voronoi region of p.
  let s = 0;
  let t = 0;
  const d1 = abx * apx + aby * apy + abz * apz;
  const d2 = acx * apx + acy * apy + acz * apz;
  if (d1 > 0 || d2 > 0) {
    const [bpx, bpy, bpz] = [px - v[bi]!, py - v[bi + 1]!, pz - v[bi + 2]!];
    const d3 = abx * bpx + aby * bpy + abz * bpz;
    const d4 = acx * bpx + acy * bpy + acz * bpz;
    const [cpx, cpy, cpz] = [px - v[ci]!, py - v[ci + 1]!, pz - v[ci + 2]!];
    const d5 = abx * cpx + aby * cpy + abz * cpz;
    const d6 = acx * cpx + acy * cpy + acz * cpz;
    const vc = d1 * d4 - d3 * d2;
    const vb = d5 * d2 - d1 * d6;
    const va = d3 * d6 - d5 * d4;
    if (d3 >= 0 && d4 <= d3) s = 1;
    else if (d6 >= 0 && d5 <= d6) t = 1;
    else if (vc <= 0 && d1 >= 0 && d3 <= 0) s = d1 / (d1 - d3);
    else if (vb <= 0 && d2 >= 0 && d6 <= 0) t = d2 / (d2 - d6);
    else if (va <= 0 && d4 - d3 >= 0 && d5 - d6 >= 0) {
      t = (d4 - d3) / (d4 - d3 + (d5 - d6));
      s = 1 - t;
    } else {
      const denominator = 1 / (va + vb + vc);
      s = vb * denominator;
      t = vc * denominator;
    }
  }
  const dx = apx - s * abx - t * acx;
  const dy = apy - s * aby - t * acy;
  const dz = apz - s * abz - t * acz;
  return dx * dx + dy * dy + dz * dz;
}

/** The signed solid angle triangle (a, b, c) subtends at p (offsets as in triangleDistanceSquared); positive seen from inside an outward, counter-clockwise face. */
export function solidAngle(p: ArrayLike<number>, pi: number, v: ArrayLike<number>, ai: number, bi: number, ci: number): number {
  const [xx, xy, xz] = [v[ai]! - p[pi]!, v[ai + 1]! - p[pi + 1]!, v[ai + 2]! - p[pi + 2]!];
  const [yx, yy, yz] = [v[bi]! - p[pi]!, v[bi + 1]! - p[pi + 1]!, v[bi + 2]! - p[pi + 2]!];
  const [zx, zy, zz] = [v[ci]! - p[pi]!, v[ci + 1]! - p[pi + 1]!, v[ci + 2]! - p[pi + 2]!];
  const lx = Math.sqrt(xx * xx + xy * xy + xz * xz);
  const ly = Math.sqrt(yx * yx + yy * yy + yz * yz);
  const lz = Math.sqrt(zx * zx + zy * zy + zz * zz);
  const triple = xx * (yy * zz - yz * zy) - xy * (yx * zz - yz * zx) + xz * (yx * zy - yy * zx);
  const denominator = lx * ly * lz + (xx * yx + xy * yy + xz * yz) * lz + (yx * zx + yy * zy + yz * zz) * lx + (zx * xx + zy * xy + zz * xz) * ly;
  return 2 * Math.atan2(triple, denominator);
}

/** The generalised winding number of the mesh at p (1 inside and 0 outside a closed outward-oriented mesh). */
export function windingNumber(mesh: Mesh, p: ArrayLike<number>): number {
  const { vertices: v, triangles: f } = mesh;
  let sum = 0;
  for (let t = 0; t < f.length; t += 3) sum += solidAngle(p, 0, v, 3 * f[t]!, 3 * f[t + 1]!, 3 * f[t + 2]!);
  return sum / (4 * Math.PI);
}

/** Signed distances (negative inside) of `points` (x, y, z each) to the mesh. */
export function signedDistances(mesh: Mesh, points: Float32Array): Float32Array {
  const { vertices: v, triangles: f } = mesh;
  const out = new Float32Array(points.length / 3);
  for (let i = 0; i < out.length; i++) {
    let nearest = Infinity;
    let winding = 0;
    for (let t = 0; t < f.length; t += 3) {
      const [a, b, c] = [3 * f[t]!, 3 * f[t + 1]!, 3 * f[t + 2]!];
      nearest = Math.min(nearest, triangleDistanceSquared(points, 3 * i, v, a, b, c));
      winding += solidAngle(points, 3 * i, v, a, b, c);
    }
    const distance = Math.sqrt(nearest);
    out[i] = winding / (4 * Math.PI) > 0.5 ? -distance : distance;
  }
  return out;
}
