/**
 * Signed distance from points to a triangle mesh, negative inside. The distance is to the nearest
 * triangle (triangleTree.ts). The sign:
 *   - a closed mesh, every edge shared by exactly two triangles that run it in opposite directions: the
 *     side of the angle-weighted pseudonormal of the nearest feature (Bærentzen & Aanæs 2005) — exact for
 *     such a mesh and O(1) per point once the nearest triangle is known;
 *   - any other mesh (holes, flipped or non-manifold faces): the generalised winding number
 *     w(p) = Σ Ω_t(p) / 4π over the triangles (solid angles, Van Oosterom & Strackee 1983), inside when
 *     w(p) > ½. It is 1 inside and 0 outside a closed mesh and degrades gracefully where the mesh is
 *     broken, instead of flipping signs across whole regions as ray parity does; O(triangles) per point.
 */
import type { Mesh } from './mesh';
import { Feature, type ClosestPoint } from './triangleDistance';
import { TriangleTree } from './triangleTree';

/** The signed solid angle triangle (a, b, c) subtends at p (offsets into `p` and `v`); positive seen from inside an outward, counter-clockwise face. */
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

/** The generalised winding number of the mesh at the point at offset `pi` of `p` (1 inside and 0 outside a closed outward-oriented mesh). */
export function windingNumber(mesh: Mesh, p: ArrayLike<number>, pi = 0): number {
  const { vertices: v, triangles: f } = mesh;
  let sum = 0;
  for (let t = 0; t < f.length; t += 3) sum += solidAngle(p, pi, v, 3 * f[t]!, 3 * f[t + 1]!, 3 * f[t + 2]!);
  return sum / (4 * Math.PI);
}

/**
 * The angle-weighted pseudonormals of a closed, consistently oriented mesh — per triangle its face, its
 * three edges and its three corners (x, y, z each, 7 per triangle, in Feature order) — or null when the
 * mesh is not closed that way.
 */
export function pseudonormals(mesh: Mesh): Float64Array | null {
  const { vertices: v, triangles: f } = mesh;
  const n = f.length / 3;
  const vertexCount = v.length / 3;
  // Each directed edge once, and its reverse once: closed and consistently oriented.
  const directed = new Map<number, number>();
  for (let t = 0; t < n; t++) {
    for (let k = 0; k < 3; k++) {
      const key = f[3 * t + k]! * vertexCount + f[3 * t + ((k + 1) % 3)]!;
      if (directed.has(key)) return null;
      directed.set(key, t);
    }
  }
  const faceNormals = new Float64Array(3 * n);
  const cornerSums = new Float64Array(3 * vertexCount);
  for (let t = 0; t < n; t++) {
    const corners = [f[3 * t]!, f[3 * t + 1]!, f[3 * t + 2]!];
    const p = corners.map((c) => [v[3 * c]!, v[3 * c + 1]!, v[3 * c + 2]!]);
    const e1 = [0, 1, 2].map((k) => p[1]![k]! - p[0]![k]!);
    const e2 = [0, 1, 2].map((k) => p[2]![k]! - p[0]![k]!);
    const cross = [e1[1]! * e2[2]! - e1[2]! * e2[1]!, e1[2]! * e2[0]! - e1[0]! * e2[2]!, e1[0]! * e2[1]! - e1[1]! * e2[0]!];
    const length = Math.hypot(cross[0]!, cross[1]!, cross[2]!) || 1;
    for (let k = 0; k < 3; k++) faceNormals[3 * t + k] = cross[k]! / length;
    for (let c = 0; c < 3; c++) {
      const u = [0, 1, 2].map((k) => p[(c + 1) % 3]![k]! - p[c]![k]!);
      const w = [0, 1, 2].map((k) => p[(c + 2) % 3]![k]! - p[c]![k]!);
      const cos = (u[0]! * w[0]! + u[1]! * w[1]! + u[2]! * w[2]!) / (Math.hypot(u[0]!, u[1]!, u[2]!) * Math.hypot(w[0]!, w[1]!, w[2]!) || 1);
      const angle = Math.acos(Math.max(-1, Math.min(1, cos)));
      for (let k = 0; k < 3; k++) cornerSums[3 * corners[c]! + k] += angle * faceNormals[3 * t + k]!;
    }
  }
  const out = new Float64Array(21 * n);
  // Edge a→b of triangle t: the pseudonormal is the sum of the two faces' normals (its neighbour runs b→a).
  const edge = (t: number, a: number, b: number, slot: number) => {
    const other = directed.get(b * vertexCount + a)!;
    for (let k = 0; k < 3; k++) out[21 * t + 3 * slot + k] = faceNormals[3 * t + k]! + faceNormals[3 * other + k]!;
  };
  for (let t = 0; t < n; t++) {
    const [a, b, c] = [f[3 * t]!, f[3 * t + 1]!, f[3 * t + 2]!];
    for (let k = 0; k < 3; k++) {
      out[21 * t + 3 * Feature.Face + k] = faceNormals[3 * t + k]!;
      out[21 * t + 3 * Feature.CornerA + k] = cornerSums[3 * a + k]!;
      out[21 * t + 3 * Feature.CornerB + k] = cornerSums[3 * b + k]!;
      out[21 * t + 3 * Feature.CornerC + k] = cornerSums[3 * c + k]!;
    }
    edge(t, a, b, Feature.EdgeAB);
    edge(t, c, a, Feature.EdgeAC); // the triangle runs its ac edge as c → a
    edge(t, b, c, Feature.EdgeBC);
  }
  return out;
}

/** Signed distances (negative inside) of `points` (x, y, z each) to the mesh. */
export function signedDistances(mesh: Mesh, points: Float32Array): Float32Array {
  const tree = new TriangleTree(mesh);
  const normals = pseudonormals(mesh);
  const out = new Float32Array(points.length / 3);
  const nearest: ClosestPoint = { distanceSquared: 0, feature: Feature.Face, triangle: 0, x: 0, y: 0, z: 0 };
  for (let i = 0; i < out.length; i++) {
    tree.nearest(points, 3 * i, nearest);
    const distance = Math.sqrt(nearest.distanceSquared);
    let inside: boolean;
    if (normals) {
      const at = 21 * nearest.triangle + 3 * nearest.feature;
      const side =
        (points[3 * i]! - nearest.x) * normals[at]! + (points[3 * i + 1]! - nearest.y) * normals[at + 1]! + (points[3 * i + 2]! - nearest.z) * normals[at + 2]!;
      inside = side < 0;
    } else {
      inside = windingNumber(mesh, points, 3 * i) > 0.5;
    }
    out[i] = inside ? -distance : distance;
  }
  return out;
}
