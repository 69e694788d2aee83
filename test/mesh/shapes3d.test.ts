// The built-in 3-D shapes (src/core/mesh/shapes3d.ts): every class makes closed, outward-oriented meshes
// (each directed edge once, its reverse once; positive volume; winding number 1 at an inside point's
// nearest-surface side and 0 far away), deterministic per (class, index, seed), different across indices.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkedMesh } from '../../src/core/mesh/mesh';
import { makeShape, SHAPE_CLASSES } from '../../src/core/mesh/shapes3d';
import { windingNumber } from '../../src/core/mesh/signedDistance';
import { badEdges, meshVolume } from './shapes';

test('every class makes closed, outward-oriented meshes of about unit size', () => {
  for (const kind of SHAPE_CLASSES) {
    for (const index of [0, 1, 499]) {
      const m = makeShape(kind, index);
      checkedMesh(`${kind}-${index}`, m.vertices, m.triangles);
      assert.equal(badEdges(m), 0, `${kind} ${index}: not closed or not consistently oriented`);
      assert.ok(meshVolume(m) > 0.005, `${kind} ${index}: volume ${meshVolume(m)}`);
      const extent = Math.max(...m.vertices.map(Math.abs));
      assert.ok(extent > 0.2 && extent < 1, `${kind} ${index}: extent ${extent}`);
      assert.ok(Math.abs(windingNumber(m, [3, 3, 3])) < 1e-6, `${kind}: far point not outside`);
    }
  }
});

test('a shape is a function of (class, index, seed); other indices and seeds give other shapes', () => {
  assert.deepEqual(makeShape('torus', 7), makeShape('torus', 7));
  assert.notDeepEqual(makeShape('torus', 7).vertices, makeShape('torus', 8).vertices);
  assert.notDeepEqual(makeShape('torus', 7).vertices, makeShape('torus', 7, 1).vertices);
});
