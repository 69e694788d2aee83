/**
 * The built-in 3-D shapes (issue 22's `shapes3d`): ten classes of closed, outward-oriented meshes made
 * procedurally, so tests, the demo and benchmarks have 3-D data without downloads. Shape `index` of a class
 * is seeded by (seed, class, index): its proportions are drawn in each class's ranges, a small smooth
 * deformation bends its surface (each vertex moved along a sum of two low-frequency sines, at most 4% of
 * its size), and a random rotation of at most MAX_TILT_DEGREES about a random axis tilts it (the classes
 * stand roughly alike, as ModelNet's aligned meshes do: 3-D rotation augmentation has something to teach). Every index gives a shape (the set is as large as
 * asked for); the same arguments give the same mesh.
 */
import { axisAngleMatrix } from '../augment/warps';
import { deriveSeed, Rng } from '../random/rng';
import type { Mesh } from './mesh';

export const SHAPE_CLASSES = ['sphere', 'cube', 'cylinder', 'cone', 'torus', 'capsule', 'pyramid', 'ellipsoid', 'octahedron', 'tetrahedron'] as const;
export type ShapeClass = (typeof SHAPE_CLASSES)[number];

/** Builds meshes from vertices and counter-clockwise (outward) polygons, split into triangle fans. */
class MeshBuilder {
  readonly vertices: number[] = [];
  readonly triangles: number[] = [];

  vertex(x: number, y: number, z: number): number {
    this.vertices.push(x, y, z);
    return this.vertices.length / 3 - 1;
  }

  polygon(...corners: number[]): void {
    for (let k = 1; k + 1 < corners.length; k++) this.triangles.push(corners[0]!, corners[k]!, corners[k + 1]!);
  }

  mesh(): Mesh {
    return { vertices: Float32Array.from(this.vertices), triangles: Uint32Array.from(this.triangles) };
  }
}

/**
 * A surface of revolution about z: the profile (radius, height) from the bottom pole to the top pole
 * (radius 0 at both ends), `segments` around. Counter-clockwise seen from outside.
 */
function revolve(profile: readonly [number, number][], segments: number): Mesh {
  const m = new MeshBuilder();
  const bottom = m.vertex(0, 0, profile[0]![1]);
  const rings = profile
    .slice(1, -1)
    .map(([r, z]) =>
      Array.from({ length: segments }, (_, i) => m.vertex(r * Math.cos((2 * Math.PI * i) / segments), r * Math.sin((2 * Math.PI * i) / segments), z)),
    );
  const top = m.vertex(0, 0, profile.at(-1)![1]);
  for (let i = 0; i < segments; i++) {
    const j = (i + 1) % segments;
    m.polygon(bottom, rings[0]![j]!, rings[0]![i]!);
    for (let k = 0; k + 1 < rings.length; k++) m.polygon(rings[k]![i]!, rings[k]![j]!, rings[k + 1]![j]!, rings[k + 1]![i]!);
    m.polygon(top, rings.at(-1)![i]!, rings.at(-1)![j]!);
  }
  return m.mesh();
}

/** A box with half-sides (a, b, c), each face split into n × n quads (so deformations can bend it). */
function box(a: number, b: number, c: number, n = 6): Mesh {
  const m = new MeshBuilder();
  const index = new Map<string, number>();
  const at = (x: number, y: number, z: number) => {
    const key = `${x},${y},${z}`;
    let i = index.get(key);
    if (i === undefined) index.set(key, (i = m.vertex((x / n) * a, (y / n) * b, (z / n) * c)));
    return i;
  };
  // Each face: a fixed axis at ±n, the two others from −n to n, ordered so the normal points out.
  for (const [axis, sign] of [
    [0, 1],
    [0, -1],
    [1, 1],
    [1, -1],
    [2, 1],
    [2, -1],
  ] as const) {
    const [u, w] = [(axis + 1) % 3, (axis + 2) % 3];
    for (let i = -n; i < n; i += 2) {
      for (let j = -n; j < n; j += 2) {
        const corner = (di: number, dj: number) => {
          const p = [0, 0, 0];
          p[axis] = sign * n;
          p[u] = i + di;
          p[w] = j + dj;
          return at(p[0]!, p[1]!, p[2]!);
        };
        if (sign > 0) m.polygon(corner(0, 0), corner(2, 0), corner(2, 2), corner(0, 2));
        else m.polygon(corner(0, 0), corner(0, 2), corner(2, 2), corner(2, 0));
      }
    }
  }
  return m.mesh();
}

function torus(R: number, r: number, nu = 40, nv = 20): Mesh {
  const m = new MeshBuilder();
  const at = (i: number, j: number) => (j % nv) * nu + (i % nu);
  for (let j = 0; j < nv; j++) {
    for (let i = 0; i < nu; i++) {
      const [a, b] = [(2 * Math.PI * i) / nu, (2 * Math.PI * j) / nv];
      m.vertex((R + r * Math.cos(b)) * Math.cos(a), (R + r * Math.cos(b)) * Math.sin(a), r * Math.sin(b));
    }
  }
  for (let j = 0; j < nv; j++) for (let i = 0; i < nu; i++) m.polygon(at(i, j), at(i + 1, j), at(i + 1, j + 1), at(i, j + 1));
  return m.mesh();
}

/** A polyhedron from vertices and outward counter-clockwise faces. */
function polyhedron(vertices: readonly number[][], faces: readonly number[][]): Mesh {
  const m = new MeshBuilder();
  for (const [x, y, z] of vertices) m.vertex(x!, y!, z!);
  for (const face of faces) m.polygon(...face);
  return m.mesh();
}

const arc = (n: number, from: number, to: number) => Array.from({ length: n + 1 }, (_, k) => from + ((to - from) * k) / n);

/** The undeformed, unrotated shape of a class with proportions drawn from `rng`, about 0.5–1 across. */
function baseShape(kind: ShapeClass, rng: Rng): Mesh {
  const u = (lo: number, hi: number) => rng.uniform(lo, hi);
  switch (kind) {
    case 'sphere': {
      const r = u(0.35, 0.5);
      return revolve(
        arc(16, -Math.PI / 2, Math.PI / 2).map((t) => [r * Math.cos(t), r * Math.sin(t)]),
        32,
      );
    }
    case 'ellipsoid': {
      const [a, c] = [u(0.2, 0.35), u(0.4, 0.55)];
      return revolve(
        arc(16, -Math.PI / 2, Math.PI / 2).map((t) => [a * Math.cos(t), c * Math.sin(t)]),
        32,
      );
    }
    case 'cube': {
      const s = u(0.3, 0.45);
      return box(s * u(0.9, 1.1), s * u(0.9, 1.1), s * u(0.9, 1.1));
    }
    case 'cylinder': {
      const [r, h] = [u(0.2, 0.35), u(0.3, 0.5)];
      return revolve([[0, -h], ...arc(4, -h, h).map((z): [number, number] => [r, z]), [0, h]], 32);
    }
    case 'cone': {
      const [r, h] = [u(0.25, 0.45), u(0.3, 0.5)];
      return revolve(
        [
          [0, -h],
          ...arc(6, 0, 1)
            .slice(0, -1)
            .map((t): [number, number] => [r * (1 - t), -h + 2 * h * t]),
          [0, h],
        ],
        32,
      );
    }
    case 'capsule': {
      const [r, h] = [u(0.15, 0.25), u(0.15, 0.3)];
      const cap = (from: number, to: number, z: number) => arc(8, from, to).map((t): [number, number] => [r * Math.cos(t), z + r * Math.sin(t)]);
      return revolve([...cap(-Math.PI / 2, 0, -h), ...cap(0, Math.PI / 2, h)], 32);
    }
    case 'torus': {
      const R = u(0.3, 0.4);
      return torus(R, R * u(0.25, 0.5));
    }
    case 'pyramid': {
      const [s, h] = [u(0.3, 0.45), u(0.3, 0.5)];
      return polyhedron(
        [
          [-s, -s, -h / 2],
          [s, -s, -h / 2],
          [s, s, -h / 2],
          [-s, s, -h / 2],
          [0, 0, h / 2],
        ],
        [
          [0, 3, 2, 1],
          [0, 1, 4],
          [1, 2, 4],
          [2, 3, 4],
          [3, 0, 4],
        ],
      );
    }
    case 'octahedron': {
      const [a, c] = [u(0.3, 0.45), u(0.35, 0.55)];
      const v = [
        [a, 0, 0],
        [-a, 0, 0],
        [0, a, 0],
        [0, -a, 0],
        [0, 0, c],
        [0, 0, -c],
      ];
      return polyhedron(v, [
        [0, 2, 4],
        [2, 1, 4],
        [1, 3, 4],
        [3, 0, 4],
        [2, 0, 5],
        [1, 2, 5],
        [3, 1, 5],
        [0, 3, 5],
      ]);
    }
    case 'tetrahedron': {
      const s = u(0.3, 0.5);
      const v = [
        [s, s, s],
        [s, -s, -s],
        [-s, s, -s],
        [-s, -s, s],
      ];
      return polyhedron(v, [
        [0, 1, 2],
        [0, 3, 1],
        [0, 2, 3],
        [1, 3, 2],
      ]);
    }
  }
}

/**
 * A rotation by an angle ~ U(0, MAX_TILT_DEGREES) about a uniformly random axis (axisAngleMatrix), as a row-major
 * 3 × 3 matrix: the shapes of a class stand roughly alike, as ModelNet's aligned meshes do, but not exactly.
 */
function randomTilt(rng: Rng): number[] {
  const direction = [rng.normal(), rng.normal(), rng.normal()];
  const axis = direction.map((a) => a / Math.hypot(...direction));
  return axisAngleMatrix(axis, rng.uniform(0, MAX_TILT_DEGREES)).flat();
}

/** The largest rotation of a shape from its class's pose, in degrees. */
export const MAX_TILT_DEGREES = 30;

/** Shape `index` of class `kind` (seeded by seed, class and index): proportions, a small smooth deformation, a small random rotation. */
export function makeShape(kind: ShapeClass, index: number, seed = 0): Mesh {
  const rng = new Rng(deriveSeed(seed, SHAPE_CLASSES.indexOf(kind), index));
  const base = baseShape(kind, rng);
  const waves = [0, 1].map(() => ({
    k: [rng.normal(), rng.normal(), rng.normal()].map((x) => 2 * x),
    phase: rng.uniform(0, 2 * Math.PI),
    amplitude: rng.uniform(0, 0.02),
  }));
  const direction = [rng.normal(), rng.normal(), rng.normal()];
  const bend = direction.map((x) => x / Math.hypot(...direction));
  const rotation = randomTilt(rng);
  const v = base.vertices;
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i += 3) {
    const [x, y, z] = [v[i]!, v[i + 1]!, v[i + 2]!];
    // The deformation: every point moves along one direction by a smooth function of where it is, so
    // nearby points move alike and the surface cannot fold over itself at these amplitudes.
    const shift = waves.reduce((s, w) => s + w.amplitude * Math.sin(w.k[0]! * x + w.k[1]! * y + w.k[2]! * z + w.phase), 0);
    const p = [x + shift * bend[0]!, y + shift * bend[1]!, z + shift * bend[2]!];
    for (let r = 0; r < 3; r++) out[i + r] = rotation[3 * r]! * p[0]! + rotation[3 * r + 1]! * p[1]! + rotation[3 * r + 2]! * p[2]!;
  }
  return { vertices: out, triangles: base.triangles };
}
