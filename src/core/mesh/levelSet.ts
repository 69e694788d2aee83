/**
 * The zero level set of a signed distance sampled on a grid, as a triangle mesh (for `wslab render --mesh`):
 * marching tetrahedra, the table-free variant of marching cubes — each grid cell is split into six
 * tetrahedra along its main diagonal, and each tetrahedron the surface crosses gives one or two triangles
 * whose corners lie on its edges, placed by linear interpolation of the values. Cells share their edges'
 * vertices, so a surface that stays inside the grid comes out closed; triangles face the positive
 * (outside) side, so the mesh is oriented outward when values are negative inside.
 */
import type { Mesh } from './mesh';

/** The six tetrahedra of a cell (corner k at offset (k & 1, k >> 1 & 1, k >> 2 & 1)), all sharing the diagonal 0–7. */
const TETRAHEDRA = [
  [0, 1, 3, 7],
  [0, 3, 2, 7],
  [0, 2, 6, 7],
  [0, 6, 4, 7],
  [0, 4, 5, 7],
  [0, 5, 1, 7],
] as const;

/**
 * `values` [n, n, n] (x fastest) of a function sampled at the points −1 + 2i/(n − 1) per axis: the
 * triangles of its zero level set, vertices in the same coordinates.
 */
export function levelSetMesh(values: Float32Array, n: number): Mesh {
  if (values.length !== n * n * n || n < 2) throw new RangeError(`levelSetMesh: ${values.length} values is not an n³ grid with n ≥ 2 (n = ${n})`);
  const vertices: number[] = [];
  const triangles: number[] = [];
  const edgeVertex = new Map<number, number>();
  const coordinate = (i: number) => -1 + (2 * i) / (n - 1);
  const pointIndex = (x: number, y: number, z: number) => x + n * (y + n * z);
  /** The vertex where the surface crosses the grid edge between points a and b (created once). */
  const crossing = (a: number, b: number): number => {
    const [lo, hi] = a < b ? [a, b] : [b, a];
    const key = lo * n * n * n + hi;
    let index = edgeVertex.get(key);
    if (index === undefined) {
      const t = values[lo]! / (values[lo]! - values[hi]!);
      const at = (p: number) => [p % n, Math.floor(p / n) % n, Math.floor(p / (n * n))];
      const [pa, pb] = [at(lo), at(hi)];
      index = vertices.length / 3;
      for (let k = 0; k < 3; k++) vertices.push(coordinate(pa[k]! + t * (pb[k]! - pa[k]!)));
      edgeVertex.set(key, index);
    }
    return index;
  };
  /** A triangle on the surface, turned so that its normal points from the inside (b, negative) to the outside. */
  const face = (p: number, q: number, r: number, inside: number, outside: number) => {
    const v = (i: number) => [vertices[3 * i]!, vertices[3 * i + 1]!, vertices[3 * i + 2]!];
    const [a, b, c] = [v(p), v(q), v(r)];
    const u = [b[0]! - a[0]!, b[1]! - a[1]!, b[2]! - a[2]!];
    const w = [c[0]! - a[0]!, c[1]! - a[1]!, c[2]! - a[2]!];
    const normal = [u[1]! * w[2]! - u[2]! * w[1]!, u[2]! * w[0]! - u[0]! * w[2]!, u[0]! * w[1]! - u[1]! * w[0]!];
    const at = (point: number) => [point % n, Math.floor(point / n) % n, Math.floor(point / (n * n))];
    const [pi, po] = [at(inside), at(outside)];
    const direction = (po[0]! - pi[0]!) * normal[0]! + (po[1]! - pi[1]!) * normal[1]! + (po[2]! - pi[2]!) * normal[2]!;
    if (direction >= 0) triangles.push(p, q, r);
    else triangles.push(p, r, q);
  };
  for (let z = 0; z + 1 < n; z++) {
    for (let y = 0; y + 1 < n; y++) {
      for (let x = 0; x + 1 < n; x++) {
        const corner = (k: number) => pointIndex(x + (k & 1), y + ((k >> 1) & 1), z + ((k >> 2) & 1));
        for (const tetrahedron of TETRAHEDRA) {
          const points = tetrahedron.map(corner);
          const inside = points.filter((p) => values[p]! < 0);
          const outside = points.filter((p) => values[p]! >= 0);
          if (inside.length === 0 || outside.length === 0) continue;
          if (inside.length === 1 || outside.length === 1) {
            // One corner alone on its side: one triangle across the three edges that leave it.
            const [lone, others] = inside.length === 1 ? [inside[0]!, outside] : [outside[0]!, inside];
            const [p, q, r] = others.map((o) => crossing(lone, o)) as [number, number, number];
            face(p, q, r, inside[0]!, outside[0]!);
          } else {
            // Two and two: a quad across the four edges between the pairs, as two triangles.
            const [i0, i1] = inside as [number, number];
            const [o0, o1] = outside as [number, number];
            const [a, b, c, d] = [crossing(i0, o0), crossing(i0, o1), crossing(i1, o1), crossing(i1, o0)];
            face(a, b, c, i0, o0);
            face(a, c, d, i0, o0);
          }
        }
      }
    }
  }
  return { vertices: Float32Array.from(vertices), triangles: Uint32Array.from(triangles) };
}
