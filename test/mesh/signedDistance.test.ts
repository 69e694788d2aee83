// Signed distances to meshes (src/core/mesh/signedDistance.ts) against the exact SDFs of the shapes the
// test meshes approximate (test/mesh/shapes.ts), and the near-surface / uniform samples a 3-D INR is
// fitted on (src/core/mesh/sampling.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pseudonormals, signedDistances, windingNumber } from '../../src/core/mesh/signedDistance';
import { closestOnTriangle, type ClosestPoint } from '../../src/core/mesh/triangleDistance';
import { TriangleTree } from '../../src/core/mesh/triangleTree';
import { makeShape, SHAPE_CLASSES } from '../../src/core/mesh/shapes3d';
import { normaliseMesh } from '../../src/core/mesh/normalise';
import { samplePoints } from '../../src/core/mesh/sampling';
import { Rng } from '../../src/core/random/rng';
import { box, sphere, torus, type TestShape } from './shapes';

function randomPoints(count: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: 3 * count }, () => rng.uniform(-1, 1));
}

/** Share of points outside a ±band around the surface whose sign agrees with the exact SDF, and the largest distance error. */
function compare(shape: TestShape, points: Float32Array, band: number): { agree: number; counted: number; maxError: number } {
  const got = signedDistances(shape.mesh, points);
  let agree = 0;
  let counted = 0;
  let maxError = 0;
  for (let i = 0; i < got.length; i++) {
    const exact = shape.sdf(points[3 * i]!, points[3 * i + 1]!, points[3 * i + 2]!);
    maxError = Math.max(maxError, Math.abs(got[i]! - exact));
    if (Math.abs(exact) < band) continue;
    counted++;
    if (Math.sign(got[i]!) === Math.sign(exact)) agree++;
  }
  return { agree, counted, maxError };
}

test('a box: exact distances and signs', () => {
  const r = compare(box([0.5, 0.3, 0.8]), randomPoints(2000, 1), 0);
  assert.equal(r.agree, r.counted);
  assert.ok(r.maxError < 1e-5, `max error ${r.maxError}`);
});

test('a sphere and a torus: every sign right outside ±0.03, distances within the tessellation error', () => {
  for (const [name, shape, tolerance] of [
    ['sphere', sphere(0.7), 0.01],
    ['torus', torus(0.55, 0.25), 0.01],
  ] as const) {
    const r = compare(shape, randomPoints(3000, 2), 0.03);
    assert.equal(r.agree, r.counted, `${name}: ${r.counted - r.agree} wrong signs of ${r.counted}`);
    assert.ok(r.counted > 2500, name);
    assert.ok(r.maxError < tolerance, `${name}: max error ${r.maxError}`);
  }
});

test('the winding number is 1 inside and 0 outside a closed mesh; a box with a missing face still tells its inside', () => {
  const closed = box([0.5, 0.5, 0.5]).mesh;
  assert.ok(Math.abs(windingNumber(closed, [0.1, -0.2, 0.3]) - 1) < 1e-9);
  assert.ok(Math.abs(windingNumber(closed, [0.9, 0.9, 0.9])) < 1e-9);
  const open = { vertices: closed.vertices, triangles: closed.triangles.slice(6) }; // the z = −0.5 face is gone
  const points = Float32Array.of(0, 0, 0.3, 0.2, -0.1, 0.1, 0, 0, 0.9, 0.8, 0, 0);
  assert.deepEqual(Array.from(signedDistances(open, points), Math.sign), [-1, -1, 1, 1]);
});

test('samples: near the surface at each scale, then uniform in the cube; the same seed gives the same points', () => {
  const shape = sphere(0.6);
  const counts = { nearSurface: 400, sigmas: [0.01, 0.05], uniform: 300 };
  const points = samplePoints(shape.mesh, new Rng(5), counts);
  assert.equal(points.length, 3 * (2 * 400 + 300));
  assert.deepEqual(points, samplePoints(shape.mesh, new Rng(5), counts));
  const meanAbs = (from: number, to: number) => {
    let s = 0;
    for (let i = from; i < to; i++) s += Math.abs(shape.sdf(points[3 * i]!, points[3 * i + 1]!, points[3 * i + 2]!));
    return s / (to - from);
  };
  // |N(0, σ)| has mean σ·√(2/π) ≈ 0.8σ (plus the tessellation's small offset).
  assert.ok(Math.abs(meanAbs(0, 400) - 0.01 * Math.sqrt(2 / Math.PI)) < 0.004, `σ 0.01: ${meanAbs(0, 400)}`);
  assert.ok(Math.abs(meanAbs(400, 800) - 0.05 * Math.sqrt(2 / Math.PI)) < 0.01, `σ 0.05: ${meanAbs(400, 800)}`);
  const uniform = points.subarray(3 * 800);
  assert.ok(uniform.every((x) => x >= -1 && x <= 1));
  assert.ok(Math.abs(uniform.reduce((a, b) => a + b, 0) / uniform.length) < 0.05, 'uniform in the cube');
});

test('closed meshes take their sign from the nearest feature’s pseudonormal: the same sign as the winding number at every point off the surface', () => {
  for (const kind of SHAPE_CLASSES) {
    const mesh = normaliseMesh(kind, makeShape(kind, 3, 7)).mesh;
    assert.ok(pseudonormals(mesh) !== null, `${kind} is closed and consistently oriented`);
    const points = samplePoints(mesh, new Rng(11), { nearSurface: 300, sigmas: [0.005, 0.05], uniform: 300 });
    const got = signedDistances(mesh, points);
    for (let i = 0; i < got.length; i++) {
      if (Math.abs(got[i]!) < 1e-4) continue;
      const inside = windingNumber(mesh, points, 3 * i) > 0.5;
      assert.equal(got[i]! < 0, inside, `${kind}: point ${i} at distance ${got[i]}`);
    }
  }
  // A box with one triangle turned round is not consistently oriented: no pseudonormals, the winding number decides.
  const flipped = box([0.5, 0.5, 0.5]).mesh.triangles.slice();
  [flipped[1], flipped[2]] = [flipped[2]!, flipped[1]!];
  assert.equal(pseudonormals({ vertices: box([0.5, 0.5, 0.5]).mesh.vertices, triangles: flipped }), null);
});

test('the triangle tree finds the same nearest distance as testing every triangle', () => {
  const mesh = normaliseMesh('torus', makeShape('torus', 1, 2)).mesh;
  const points = randomPoints(500, 9);
  const tree = new TriangleTree(mesh);
  const found: ClosestPoint = { distanceSquared: 0, feature: 0, triangle: 0, x: 0, y: 0, z: 0 };
  const each: ClosestPoint = { ...found };
  const { vertices: v, triangles: f } = mesh;
  for (let i = 0; i < 500; i++) {
    let best = Infinity;
    for (let t = 0; t < f.length; t += 3) {
      closestOnTriangle(points, 3 * i, v, 3 * f[t]!, 3 * f[t + 1]!, 3 * f[t + 2]!, each);
      best = Math.min(best, each.distanceSquared);
    }
    assert.equal(tree.nearest(points, 3 * i, found).distanceSquared, best);
  }
});
