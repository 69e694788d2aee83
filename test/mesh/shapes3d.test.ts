// The built-in 3-D shapes (src/core/mesh/shapes3d.ts): every class makes closed, outward-oriented meshes
// (each directed edge once, its reverse once; positive volume; winding number 1 at an inside point's
// nearest-surface side and 0 far away), deterministic per (class, index, seed), different across indices.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkedMesh, type Mesh } from '../../src/core/mesh/mesh';
import { makeShape, SHAPE_CLASSES } from '../../src/core/mesh/shapes3d';
import { windingNumber } from '../../src/core/mesh/signedDistance';

/** Volume by the divergence theorem: positive for outward, counter-clockwise faces. */
function volume(m: Mesh): number {
  const v = m.vertices;
  let sum = 0;
  for (let t = 0; t < m.triangles.length; t += 3) {
    const [a, b, c] = [0, 1, 2].map((k) => 3 * m.triangles[t + k]!) as [number, number, number];
    sum += v[a]! * (v[b + 1]! * v[c + 2]! - v[b + 2]! * v[c + 1]!) - v[a + 1]! * (v[b]! * v[c + 2]! - v[b + 2]! * v[c]!) + v[a + 2]! * (v[b]! * v[c + 1]! - v[b + 1]! * v[c]!);
  }
  return sum / 6;
}

/** Directed edges that do not appear exactly once with their reverse exactly once (a closed, consistently oriented surface has none). */
function badEdges(m: Mesh): number {
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

test('every class makes closed, outward-oriented meshes of about unit size', () => {
  for (const kind of SHAPE_CLASSES) {
    for (const index of [0, 1, 499]) {
      const m = makeShape(kind, index);
      checkedMesh(`${kind}-${index}`, m.vertices, m.triangles);
      assert.equal(badEdges(m), 0, `${kind} ${index}: not closed or not consistently oriented`);
      assert.ok(volume(m) > 0.005, `${kind} ${index}: volume ${volume(m)}`);
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
