// Meshes for the tests, made here and not by the code under test: a box, a UV sphere and a torus, each
// closed with outward, counter-clockwise faces, and their exact signed distance functions; and two checks
// of any mesh (its volume, its open or misoriented edges).
import type { Mesh } from '../../src/core/mesh/mesh';

export interface TestShape {
  readonly mesh: Mesh;
  /** The exact signed distance of the shape the mesh approximates (negative inside). */
  readonly sdf: (x: number, y: number, z: number) => number;
}

/** An axis-aligned box with half-sides h, centred at the origin. */
export function box(h: readonly [number, number, number]): TestShape {
  const corners = Array.from({ length: 8 }, (_, i) => [i & 1 ? h[0] : -h[0], i & 2 ? h[1] : -h[1], i & 4 ? h[2] : -h[2]]);
  const quads = [
    [0, 2, 3, 1],
    [4, 5, 7, 6],
    [0, 1, 5, 4],
    [2, 6, 7, 3],
    [0, 4, 6, 2],
    [1, 3, 7, 5],
  ];
  return {
    mesh: { vertices: Float32Array.from(corners.flat()), triangles: Uint32Array.from(quads.flatMap(([a, b, c, d]) => [a!, b!, c!, a!, c!, d!])) },
    sdf: (x, y, z) => {
      const q = [Math.abs(x) - h[0], Math.abs(y) - h[1], Math.abs(z) - h[2]];
      return Math.hypot(...q.map((v) => Math.max(v, 0))) + Math.min(Math.max(q[0]!, q[1]!, q[2]!), 0);
    },
  };
}

/** A grid mesh of (u, v) ∈ [0, 1)², wrapping in u and in v when `wrapV` (else closed by poles). */
function gridMesh(point: (u: number, v: number) => number[], nu: number, nv: number): Mesh {
  const vertices: number[] = [];
  for (let j = 0; j < nv; j++) for (let i = 0; i < nu; i++) vertices.push(...point(i / nu, j / nv));
  const at = (i: number, j: number) => (j % nv) * nu + (i % nu);
  const triangles: number[] = [];
  for (let j = 0; j < nv; j++) for (let i = 0; i < nu; i++) triangles.push(at(i, j), at(i + 1, j), at(i + 1, j + 1), at(i, j), at(i + 1, j + 1), at(i, j + 1));
  return { vertices: Float32Array.from(vertices), triangles: Uint32Array.from(triangles) };
}

export function sphere(r: number, n = 48): TestShape {
  const vertices: number[] = [0, 0, -r];
  const rings = n / 2;
  for (let j = 1; j < rings; j++) {
    const theta = Math.PI * (j / rings) - Math.PI / 2;
    for (let i = 0; i < n; i++)
      vertices.push(r * Math.cos(theta) * Math.cos((2 * Math.PI * i) / n), r * Math.cos(theta) * Math.sin((2 * Math.PI * i) / n), r * Math.sin(theta));
  }
  vertices.push(0, 0, r);
  const top = vertices.length / 3 - 1;
  const ring = (j: number, i: number) => 1 + (j - 1) * n + (i % n);
  const triangles: number[] = [];
  for (let i = 0; i < n; i++) triangles.push(0, ring(1, i + 1), ring(1, i));
  for (let j = 1; j + 1 < rings; j++)
    for (let i = 0; i < n; i++) triangles.push(ring(j, i), ring(j, i + 1), ring(j + 1, i + 1), ring(j, i), ring(j + 1, i + 1), ring(j + 1, i));
  for (let i = 0; i < n; i++) triangles.push(top, ring(rings - 1, i), ring(rings - 1, i + 1));
  return { mesh: { vertices: Float32Array.from(vertices), triangles: Uint32Array.from(triangles) }, sdf: (x, y, z) => Math.hypot(x, y, z) - r };
}

/** A torus around the z axis: tube radius `r` at distance `R` from the axis. */
export function torus(R: number, r: number, nu = 64, nv = 32): TestShape {
  const mesh = gridMesh(
    (u, v) => {
      const [a, b] = [2 * Math.PI * u, 2 * Math.PI * v];
      return [(R + r * Math.cos(b)) * Math.cos(a), (R + r * Math.cos(b)) * Math.sin(a), r * Math.sin(b)];
    },
    nu,
    nv,
  );
  return { mesh, sdf: (x, y, z) => Math.hypot(Math.hypot(x, y) - R, z) - r };
}

/** Volume by the divergence theorem: positive for outward, counter-clockwise faces. */
export function meshVolume(m: Mesh): number {
  const v = m.vertices;
  let sum = 0;
  for (let t = 0; t < m.triangles.length; t += 3) {
    const [a, b, c] = [0, 1, 2].map((k) => 3 * m.triangles[t + k]!) as [number, number, number];
    sum +=
      v[a]! * (v[b + 1]! * v[c + 2]! - v[b + 2]! * v[c + 1]!) -
      v[a + 1]! * (v[b]! * v[c + 2]! - v[b + 2]! * v[c]!) +
      v[a + 2]! * (v[b]! * v[c + 1]! - v[b + 1]! * v[c]!);
  }
  return sum / 6;
}

/** Directed edges that do not appear exactly once with their reverse exactly once (a closed, consistently oriented surface has none). */
export function badEdges(m: Mesh): number {
  const count = new Map<string, number>();
  for (let t = 0; t < m.triangles.length; t += 3) {
    for (let k = 0; k < 3; k++) {
      const key = `${m.triangles[t + k]},${m.triangles[t + ((k + 1) % 3)]}`;
      count.set(key, (count.get(key) ?? 0) + 1);
    }
  }
  let bad = 0;
  for (const [key, n] of count) {
    const [a, b] = key.split(',');
    if (n !== 1 || count.get(`${b},${a}`) !== 1) bad++;
  }
  return bad;
}
