/**
 * Signed distance from points to a triangle mesh, negative inside: the distance to the nearest triangle
 * (closest point on a triangle, Ericson, Real-Time Collision Detection §5.1.5), with the sign of the
 * generalised winding number w(p) = Σ Ω_t(p) / 4π over the triangles (solid angles, Van Oosterom &
 * Strackee 1983): p is inside when w(p) > ½. For a closed, consistently oriented mesh w is exactly 1 inside
 * and 0 outside; for a mesh with holes or flipped faces it degrades gracefully instead of flipping signs
 * across whole regions, as ray parity does. O(points × triangles); the caller bounds both.
 */
import type { Mesh } from './mesh';

/** Squared distance from p to triangle (a, b, c). */
export function triangleDistanceSquared(p: ArrayLike<number>, a: ArrayLike<number>, b: ArrayLike<number>, c: ArrayLike<number>): number {
  const ab = [b[0]! - a[0]!, b[1]! - a[1]!, b[2]! - a[2]!];
  const ac = [c[0]! - a[0]!, c[1]! - a[1]!, c[2]! - a[2]!];
  const ap = [p[0]! - a[0]!, p[1]! - a[1]!, p[2]! - a[2]!];
  const dot = (u: number[], v: number[]) => u[0]! * v[0]! + u[1]! * v[1]! + u[2]! * v[2]!;
  const at = (s: number, t: number) => [a[0]! + s * ab[0]! + t * ac[0]!, a[1]! + s * ab[1]! + t * ac[1]!, a[2]! + s * ab[2]! + t * ac[2]!];
  const d1 = dot(ab, ap);
  const d2 = dot(ac, ap);
  let q: number[];
  if (d1 <= 0 && d2 <= 0) q = at(0, 0);
  else {
    const bp = [p[0]! - b[0]!, p[1]! - b[1]!, p[2]! - b[2]!];
    const d3 = dot(ab, bp);
    const d4 = dot(ac, bp);
    const cp = [p[0]! - c[0]!, p[1]! - c[1]!, p[2]! - c[2]!];
    const d5 = dot(ab, cp);
    const d6 = dot(ac, cp);
    const vc = d1 * d4 - d3 * d2;
    const vb = d5 * d2 - d1 * d6;
    const va = d3 * d6 - d5 * d4;
    if (d3 >= 0 && d4 <= d3) q = at(1, 0);
    else if (d6 >= 0 && d5 <= d6) q = at(0, 1);
    else if (vc <= 0 && d1 >= 0 && d3 <= 0) q = at(d1 / (d1 - d3), 0);
    else if (vb <= 0 && d2 >= 0 && d6 <= 0) q = at(0, d2 / (d2 - d6));
    else if (va <= 0 && d4 - d3 >= 0 && d5 - d6 >= 0) {
      const w = (d4 - d3) / (d4 - d3 + (d5 - d6));
      q = at(1 - w, w);
    } else {
      const denominator = 1 / (va + vb + vc);
      q = at(vb * denominator, vc * denominator);
    }
  }
  return (p[0]! - q[0]!) ** 2 + (p[1]! - q[1]!) ** 2 + (p[2]! - q[2]!) ** 2;
}

/** The signed solid angle triangle (a, b, c) subtends at p (positive when p sees its back, i.e. lies inside a counter-clockwise outward face). */
export function solidAngle(p: ArrayLike<number>, a: ArrayLike<number>, b: ArrayLike<number>, c: ArrayLike<number>): number {
  const r = [a, b, c].map((v) => [v[0]! - p[0]!, v[1]! - p[1]!, v[2]! - p[2]!]);
  const [x, y, z] = r as [number[], number[], number[]];
  const length = (v: number[]) => Math.hypot(v[0]!, v[1]!, v[2]!);
  const [lx, ly, lz] = [length(x), length(y), length(z)];
  const triple = x[0]! * (y[1]! * z[2]! - y[2]! * z[1]!) - x[1]! * (y[0]! * z[2]! - y[2]! * z[0]!) + x[2]! * (y[0]! * z[1]! - y[1]! * z[0]!);
  const dot = (u: number[], v: number[]) => u[0]! * v[0]! + u[1]! * v[1]! + u[2]! * v[2]!;
  const denominator = lx * ly * lz + dot(x, y) * lz + dot(y, z) * lx + dot(z, x) * ly;
  return 2 * Math.atan2(triple, denominator);
}

/** The generalised winding number of the mesh at p (1 inside and 0 outside a closed outward-oriented mesh). */
export function windingNumber(mesh: Mesh, p: ArrayLike<number>): number {
  const { vertices: v, triangles } = mesh;
  let sum = 0;
  for (let t = 0; t < triangles.length; t += 3) {
    const [a, b, c] = [triangles[t]!, triangles[t + 1]!, triangles[t + 2]!].map((i) => v.subarray(i * 3, i * 3 + 3));
    sum += solidAngle(p, a!, b!, c!);
  }
  return sum / (4 * Math.PI);
}

/** Signed distances (negative inside) of `points` (x, y, z each) to the mesh. */
export function signedDistances(mesh: Mesh, points: Float32Array): Float32Array {
  const { vertices: v, triangles } = mesh;
  const out = new Float32Array(points.length / 3);
  const corners = Array.from({ length: triangles.length }, (_, i) => v.subarray(triangles[i]! * 3, triangles[i]! * 3 + 3));
  for (let i = 0; i < out.length; i++) {
    const p = points.subarray(i * 3, i * 3 + 3);
    let nearest = Infinity;
    let winding = 0;
    for (let t = 0; t < corners.length; t += 3) {
      const [a, b, c] = [corners[t]!, corners[t + 1]!, corners[t + 2]!];
      nearest = Math.min(nearest, triangleDistanceSquared(p, a, b, c));
      winding += solidAngle(p, a, b, c);
    }
    const distance = Math.sqrt(nearest);
    out[i] = winding / (4 * Math.PI) > 0.5 ? -distance : distance;
  }
  return out;
}
