// The zero level set of a sampled signed distance as a mesh (src/core/mesh/levelSet.ts): for a sphere
// and a torus sampled on a grid, the mesh is closed and outward (each directed edge once, its reverse
// once; volume near the shape's), and its vertices lie on the surface to within the interpolation error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { levelSetMesh } from '../../src/core/mesh/levelSet';
import { badEdges, meshVolume } from './shapes';

function grid(n: number, sdf: (x: number, y: number, z: number) => number): Float32Array {
  const c = (i: number) => -1 + (2 * i) / (n - 1);
  const out = new Float32Array(n * n * n);
  for (let z = 0; z < n; z++) for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) out[x + n * (y + n * z)] = sdf(c(x), c(y), c(z));
  return out;
}

test('a sphere and a torus come out closed, outward and on their surface', () => {
  const shapes = [
    { name: 'sphere', sdf: (x: number, y: number, z: number) => Math.hypot(x, y, z) - 0.6, volume: (4 / 3) * Math.PI * 0.6 ** 3 },
    { name: 'torus', sdf: (x: number, y: number, z: number) => Math.hypot(Math.hypot(x, y) - 0.5, z) - 0.2, volume: 2 * Math.PI ** 2 * 0.5 * 0.2 ** 2 },
  ];
  for (const shape of shapes) {
    const mesh = levelSetMesh(grid(40, shape.sdf), 40);
    assert.ok(mesh.triangles.length > 0, shape.name);
    assert.equal(badEdges(mesh), 0, `${shape.name}: not closed and consistently oriented`);
    assert.ok(Math.abs(meshVolume(mesh) / shape.volume - 1) < 0.03, `${shape.name}: volume ${meshVolume(mesh)} vs ${shape.volume}`);
    let worst = 0;
    for (let i = 0; i < mesh.vertices.length; i += 3)
      worst = Math.max(worst, Math.abs(shape.sdf(mesh.vertices[i]!, mesh.vertices[i + 1]!, mesh.vertices[i + 2]!)));
    assert.ok(worst < 0.01, `${shape.name}: a vertex ${worst} off the surface`);
  }
});

test('nothing to extract gives no triangles; a grid that is not n³ is refused', () => {
  assert.equal(levelSetMesh(new Float32Array(27).fill(1), 3).triangles.length, 0);
  assert.throws(() => levelSetMesh(new Float32Array(10), 3), /10 values is not an n³ grid/);
});
