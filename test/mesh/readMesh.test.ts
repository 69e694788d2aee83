// Mesh files (src/core/mesh) for the 3-D INRs of issue 22: a box written here, independently of the
// readers, as OBJ (quads, negative and v/t/n indices), ASCII and binary STL, and ASCII / binary PLY of both
// byte orders, reads back as the same triangles; the box is placed in [−0.9, 0.9]³ by its longest side;
// malformed files fail with a MeshError that names the file and the problem.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MeshError, type Mesh } from '../../src/core/mesh/mesh';
import { readMesh } from '../../src/core/mesh/readMesh';
import { normaliseMesh } from '../../src/core/mesh/normalise';

const dir = mkdtempSync(join(tmpdir(), 'wslab-mesh-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A box [1, 3] × [2, 4] × [3, 7]: 8 corners, 6 quads (outward, counter-clockwise). */
const LO = [1, 2, 3];
const HI = [3, 4, 7];
const CORNERS = Array.from({ length: 8 }, (_, i) => [i & 1 ? HI[0]! : LO[0]!, i & 2 ? HI[1]! : LO[1]!, i & 4 ? HI[2]! : LO[2]!]);
const QUADS = [
  [0, 2, 3, 1],
  [4, 5, 7, 6],
  [0, 1, 5, 4],
  [2, 6, 7, 3],
  [0, 4, 6, 2],
  [1, 3, 7, 5],
];
const TRIANGLES = QUADS.flatMap(([a, b, c, d]) => [
  [a!, b!, c!],
  [a!, c!, d!],
]);

function write(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** Each triangle of `mesh` as its three corner positions, to compare meshes whatever their vertex order. */
function corners(mesh: Mesh): number[][][] {
  return Array.from({ length: mesh.triangles.length / 3 }, (_, t) =>
    [0, 1, 2].map((k) => Array.from(mesh.vertices.subarray(mesh.triangles[t * 3 + k]! * 3, mesh.triangles[t * 3 + k]! * 3 + 3))),
  );
}
const EXPECTED = TRIANGLES.map((t) => t.map((i) => CORNERS[i]!));

function binaryStl(triangles: number[][][], claimed = triangles.length): Buffer {
  const b = Buffer.alloc(84 + 50 * triangles.length);
  b.write('solid binary written by the test', 0);
  b.writeUInt32LE(claimed, 80);
  triangles.forEach((t, i) => t.flat().forEach((x, k) => b.writeFloatLE(x, 84 + 50 * i + 12 + 4 * k)));
  return b;
}

function binaryPly(little: boolean): Buffer {
  const header = `ply\nformat binary_${little ? 'little' : 'big'}_endian 1.0\ncomment written by the test\nelement vertex 8\nproperty float x\nproperty float y\nproperty float z\nproperty uchar red\nelement face 6\nproperty list uchar int vertex_indices\nend_header\n`;
  const body = Buffer.alloc(8 * 13 + 6 * 17);
  let at = 0;
  for (const c of CORNERS) {
    for (const x of c) at = little ? body.writeFloatLE(x, at) : body.writeFloatBE(x, at);
    at = body.writeUInt8(200, at);
  }
  for (const q of QUADS) {
    at = body.writeUInt8(4, at);
    for (const i of q) at = little ? body.writeInt32LE(i, at) : body.writeInt32BE(i, at);
  }
  return Buffer.concat([Buffer.from(header, 'latin1'), body]);
}

test('a box reads back as the same 12 triangles from every format', async () => {
  const obj = [
    '# box',
    'o box',
    ...CORNERS.map((c) => `v ${c.join(' ')}`),
    'vt 0 0',
    'vn 0 0 1',
    ...QUADS.slice(0, 3).map((q) => `f ${q.map((i) => `${i + 1}/1/1`).join(' ')}`),
    ...QUADS.slice(3).map((q) => `f ${q.map((i) => i - 8).join(' ')}`),
  ].join('\n');
  const asciiStl = [
    'solid box',
    ...EXPECTED.map((t) => ['facet normal 0 0 0', 'outer loop', ...t.map((c) => `vertex ${c.join(' ')}`), 'endloop', 'endfacet'].join('\n')),
    'endsolid box',
  ].join('\n');
  const asciiPly = [
    'ply',
    'format ascii 1.0',
    'element vertex 8',
    'property double x',
    'property double y',
    'property double z',
    'element face 6',
    'property list uchar uint vertex_indices',
    'end_header',
    ...CORNERS.map((c) => c.join(' ')),
    ...QUADS.map((q) => `4 ${q.join(' ')}`),
  ].join('\n');
  const files = {
    'box.obj': obj,
    'box-ascii.stl': asciiStl,
    'box-binary.stl': binaryStl(EXPECTED),
    'box-ascii.ply': asciiPly,
    'box-le.ply': binaryPly(true),
    'box-be.ply': binaryPly(false),
  };
  for (const [name, content] of Object.entries(files)) {
    const mesh = await readMesh(write(name, content));
    assert.deepEqual(corners(mesh), EXPECTED, name);
  }
});

test('normalising centres the bounding box and scales its longest side to [−0.9, 0.9]', async () => {
  const { mesh, placement } = normaliseMesh('box', await readMesh(write('n.stl', binaryStl(EXPECTED))));
  assert.deepEqual(placement.centre, [2, 3, 5]);
  assert.equal(placement.scale, 1.8 / 4);
  const axis = (k: number) => Array.from(mesh.vertices).filter((_, i) => i % 3 === k);
  assert.deepEqual([Math.min(...axis(2)), Math.max(...axis(2))], [Math.fround(-0.9), Math.fround(0.9)]);
  assert.deepEqual(
    [Math.min(...axis(0)), Math.max(...axis(0))].map((x) => Math.round(x * 1e6) / 1e6),
    [-0.45, 0.45],
  );
  assert.throws(() => normaliseMesh('flat', { vertices: new Float32Array(9).fill(1), triangles: Uint32Array.of(0, 1, 2) }), /flat: the faces span no volume/);
});

test('malformed meshes fail with a MeshError naming the file and the problem', async () => {
  const cube = binaryStl(EXPECTED);
  const cases: [string, string | Buffer, RegExp][] = [
    ['truncated.stl', cube.subarray(0, cube.length - 30), /claims 12 triangles .* but the file has 654 bytes: truncated/],
    ['huge.stl', binaryStl(EXPECTED.slice(0, 1), 100_000_000), /claims 100,000,000 faces; at most 20,000,000/],
    ['tiny.stl', Buffer.alloc(40), /too short for a binary STL/],
    ['past.obj', 'v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 4\n', /face 1 refers to vertex 4, but there are only 3 vertices/],
    ['nan.obj', 'v 0 0 0\nv nan 0 0\nv 0 1 0\nf 1 2 3\n', /vertex 2 has a coordinate that is not a finite number/],
    ['empty.obj', 'v 0 0 0\nv 1 0 0\nv 0 1 0\n', /the mesh has no faces/],
    ['badindex.obj', 'v 0 0 0\nf 1 x 1\n', /line 2: "x" is not a vertex index/],
    [
      'past.ply',
      'ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\nelement face 1\nproperty list uchar int vertex_indices\nend_header\n0 0 0\n1 0 0\n0 1 0\n3 0 1 7\n',
      /face 1 refers to vertex 8, but there are only 3 vertices/,
    ],
    [
      'huge.ply',
      'ply\nformat binary_little_endian 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\nelement face 100000000\nproperty list uchar int vertex_indices\nend_header\n',
      /claims 100,000,000 face/,
    ],
    ['short.ply', binaryPly(true).subarray(0, 300), /truncated/],
    ['notply.ply', 'hello', /not a PLY file/],
    ['box.off', 'OFF', /not a mesh file \(\.obj, \.stl, \.ply\)/],
  ];
  for (const [name, content, problem] of cases) {
    const path = write(name, content);
    await assert.rejects(
      readMesh(path),
      (e: unknown) => e instanceof MeshError && e.code === 'mesh' && e.file === path && e.message.startsWith(`${path}: `) && problem.test(e.message),
      name,
    );
  }
  await assert.rejects(readMesh(join(dir, 'missing.stl')), (e: unknown) => e instanceof MeshError && /missing\.stl: cannot be read/.test(e.message));
});
