// Mesh sources (src/core/mesh/meshSource.ts): a folder of meshes — classes from its sub-folders, meshes
// sorted, each placed in [−0.9, 0.9]³ with its placement; a broken mesh fails naming its file; a folder
// without classes or meshes is refused — and the built-in shapes3d, balanced in any prefix.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatasetError } from '../../src/core/dataset/imageSource';
import { MeshError } from '../../src/core/mesh/mesh';
import { openMeshFolder, shapes3dSource } from '../../src/core/mesh/meshSource';

const dir = mkdtempSync(join(tmpdir(), 'wslab-mesh-source-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A tetrahedron with corners (0,0,0), (s,0,0), (0,s,0), (0,0,s) + shift, outward faces, as OBJ. */
const tetrahedron = (s: number, shift = 0) => `v ${shift} 0 0\nv ${s + shift} 0 0\nv ${shift} ${s} 0\nv ${shift} 0 ${s}\nf 1 3 2\nf 1 2 4\nf 1 4 3\nf 2 3 4\n`;

test('a folder of meshes: labels from the sorted class folders, meshes placed in the cube with their placement', async () => {
  const root = join(dir, 'meshes');
  for (const cls of ['wedges', 'blocks']) mkdirSync(join(root, cls), { recursive: true });
  writeFileSync(join(root, 'wedges', 'b.obj'), tetrahedron(4, 10));
  writeFileSync(join(root, 'wedges', 'a.obj'), tetrahedron(2));
  writeFileSync(join(root, 'blocks', 'x.obj'), tetrahedron(1));
  writeFileSync(join(root, 'blocks', 'notes.txt'), 'not a mesh');
  const source = await openMeshFolder(root);
  assert.deepEqual(source.classes, ['blocks', 'wedges']);
  assert.equal(source.count, 3);
  assert.deepEqual(
    [0, 1, 2].map((i) => source.label(i)),
    [0, 1, 1],
  );
  const b = await source.mesh(2); // wedges/b.obj: side 4, shifted by 10 in x
  assert.deepEqual(b.placement, { centre: [12, 2, 2], scale: 1.8 / 4 });
  assert.deepEqual([Math.min(...b.mesh.vertices), Math.max(...b.mesh.vertices)], [Math.fround(-0.9), Math.fround(0.9)]);
  writeFileSync(join(root, 'wedges', 'c.stl'), Buffer.alloc(100));
  const withBroken = await openMeshFolder(root);
  await assert.rejects(withBroken.mesh(3), (e: unknown) => e instanceof MeshError && e.file === join(root, 'wedges', 'c.stl'));
  await assert.rejects(withBroken.mesh(4), (e: unknown) => e instanceof DatasetError && /mesh index 4 is out of range 0…3/.test(e.message));
});

test('a folder without class folders or without meshes is refused, naming it', async () => {
  const flat = join(dir, 'flat');
  mkdirSync(flat);
  writeFileSync(join(flat, 'a.obj'), tetrahedron(1));
  await assert.rejects(openMeshFolder(flat), /flat: expected one sub-folder per class/);
  const empty = join(dir, 'empty');
  mkdirSync(join(empty, 'cls'), { recursive: true });
  await assert.rejects(openMeshFolder(empty), /empty: no \.obj, \.stl, \.ply meshes in its class folders/);
  await assert.rejects(openMeshFolder(join(dir, 'missing')), /missing: cannot read the mesh folder/);
});

test('shapes3d: ten classes interleaved, every mesh placed in the cube', async () => {
  const source = shapes3dSource(3);
  assert.equal(source.count, 30);
  assert.equal(source.classes.length, 10);
  assert.deepEqual(
    Array.from({ length: 20 }, (_, i) => source.label(i)),
    [...Array(10).keys(), ...Array(10).keys()],
  );
  for (const i of [0, 14, 29]) {
    const { mesh, label } = await source.mesh(i);
    assert.equal(label, i % 10);
    const extent = Math.max(...mesh.vertices.map(Math.abs));
    assert.ok(Math.abs(extent - 0.9) < 1e-6, `shape ${i}: extent ${extent}`);
  }
  assert.throws(() => shapes3dSource(0), /0 shapes per class/);
});
