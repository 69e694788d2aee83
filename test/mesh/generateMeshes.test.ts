// `wslab generate` of a folder of meshes (issue 22): a cube, a sphere and a torus made by test/mesh/shapes.ts
// (not by the code under test), each moved and scaled off the unit cube and written here as binary STL,
// OBJ and ASCII PLY, become a 3-D INR dataset whose manifest records each mesh's placement and quality;
// an independent NumPy evaluation of the shard (evaluate_sdf_shard.py: its own safetensors reader, SIREN
// and exact SDFs) finds the right sign at ≥ 97% of 10,000 random points of [−1, 1]³ off a ±0.03 band.
// A malformed mesh fails the generation with an error naming its file, and nothing is written for it.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Mesh } from '../../src/core/mesh/mesh';
import { PYTHON } from '../helpers/python';
import { box, sphere, torus } from './shapes';

const CLI = 'dist/cli.js';
const dir = mkdtempSync(join(tmpdir(), 'wslab-meshgen-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Each shape, and where the test puts it: mesh coordinates = shape coordinates · scale + offset. */
const SHAPES = {
  cube: { kind: 'box', params: [0.5, 0.5, 0.5], scale: 3, offset: [10, -2, 5], make: () => box([0.5, 0.5, 0.5]) },
  sphere: { kind: 'sphere', params: [0.7], scale: 0.2, offset: [0, 0, -1], make: () => sphere(0.7) },
  torus: { kind: 'torus', params: [0.55, 0.25], scale: 10, offset: [-4, 4, 40], make: () => torus(0.55, 0.25) },
} as const;

function placed(name: keyof typeof SHAPES): Mesh {
  const { scale, offset, make } = SHAPES[name];
  const { vertices, triangles } = make().mesh;
  return { vertices: vertices.map((x, i) => x * scale + offset[i % 3]!), triangles };
}

function binaryStl(m: Mesh): Buffer {
  const n = m.triangles.length / 3;
  const out = Buffer.alloc(84 + 50 * n);
  out.writeUInt32LE(n, 80);
  for (let t = 0; t < n; t++) {
    for (let c = 0; c < 3; c++) {
      for (let k = 0; k < 3; k++) out.writeFloatLE(m.vertices[3 * m.triangles[3 * t + c]! + k]!, 84 + 50 * t + 12 + 12 * c + 4 * k);
    }
  }
  return out;
}

const vertexLines = (m: Mesh, prefix: string) =>
  Array.from({ length: m.vertices.length / 3 }, (_, i) => `${prefix}${Array.from(m.vertices.subarray(3 * i, 3 * i + 3)).join(' ')}`);
const faceLines = (m: Mesh, prefix: string, base: number) =>
  Array.from({ length: m.triangles.length / 3 }, (_, t) => `${prefix}${Array.from(m.triangles.subarray(3 * t, 3 * t + 3), (i) => i + base).join(' ')}`);

function writeMeshes(root: string): void {
  for (const name of Object.keys(SHAPES)) mkdirSync(join(root, name), { recursive: true });
  writeFileSync(join(root, 'cube', 'cube.stl'), binaryStl(placed('cube')));
  const ball = placed('sphere');
  writeFileSync(join(root, 'sphere', 'ball.obj'), [...vertexLines(ball, 'v '), ...faceLines(ball, 'f ', 1)].join('\n'));
  const ring = placed('torus');
  const header = ['ply', 'format ascii 1.0', `element vertex ${ring.vertices.length / 3}`, 'property float x', 'property float y', 'property float z'];
  const faces = [`element face ${ring.triangles.length / 3}`, 'property list uchar int vertex_indices', 'end_header'];
  writeFileSync(join(root, 'torus', 'ring.ply'), [...header, ...faces, ...vertexLines(ring, ''), ...faceLines(ring, '3 ', 0)].join('\n'));
}

function generate(dataset: string, out: string) {
  assert.ok(existsSync(CLI), `${CLI} is missing: run \`npm run build\` (npm test does)`);
  return spawnSync(process.execPath, [CLI, 'generate', '--dataset', dataset, '--out', out, '--val', '0', '--test', '0', '--progress', 'none'], {
    encoding: 'utf8',
  });
}

test('a folder of meshes becomes a 3-D INR dataset; NumPy finds ≥ 97% right signs off ±0.03 on 10,000 random points', () => {
  const meshes = join(dir, 'meshes');
  writeMeshes(meshes);
  const out = join(dir, 'sdf');
  const run = generate(meshes, out);
  assert.equal(run.status, 0, run.stderr);

  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  assert.deepEqual(manifest.source, { kind: 'mesh', name: meshes, count: 3, classes: ['cube', 'sphere', 'torus'] });
  assert.deepEqual([manifest.spec.inputDim, manifest.spec.outputDim], [3, 1]);
  for (const item of manifest.items) {
    const name = manifest.source.classes[item.label] as keyof typeof SHAPES;
    // The placement the manifest records: the shape's bounding box centre, and 1.8 over its longest side.
    const { scale, offset } = SHAPES[name];
    const halfSide = { cube: 0.5, sphere: 0.7, torus: 0.8 }[name];
    item.normalise.centre.forEach((c: number, k: number) => assert.ok(Math.abs(c - offset[k]!) < 1e-3 * scale, `${name} centre ${item.normalise.centre}`));
    assert.ok(Math.abs(item.normalise.scale - 0.9 / (halfSide * scale)) < 1e-4 * item.normalise.scale, `${name} scale ${item.normalise.scale}`);
    assert.ok(item.signAccuracy > 0.85 && item.signAccuracy <= 1, `${name} sign accuracy ${item.signAccuracy}`);
    assert.ok(item.iou > 0.85 && item.iou <= 1, `${name} IoU ${item.iou}`);
  }

  const shards = readdirSync(join(out, 'shards'));
  assert.equal(shards.length, 1);
  const shapes = Object.fromEntries(Object.entries(SHAPES).map(([name, { kind, params, scale, offset }]) => [name, { kind, params, scale, offset }]));
  const check = spawnSync(PYTHON, [join(__dirname, 'evaluate_sdf_shard.py'), join(out, 'shards', shards[0]!), JSON.stringify(shapes), '0.03'], {
    encoding: 'utf8',
  });
  assert.equal(check.status, 0, check.stderr);
  const results = check.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  assert.deepEqual(results.map((r) => r.class).sort(), ['cube', 'sphere', 'torus']);
  for (const r of results) {
    console.log(`${r.class}: right sign at ${(100 * r.accuracy).toFixed(2)}% of ${r.counted} points off ±0.03 (NumPy)`);
    assert.ok(r.counted > 8000, `${r.class}: only ${r.counted} points off the band`);
    assert.ok(r.accuracy >= 0.97, `${r.class}: ${(100 * r.accuracy).toFixed(2)}% right signs`);
  }
});

test('a malformed mesh stops the generation with an error naming the file; no shard is written for it', () => {
  const meshes = join(dir, 'broken');
  writeMeshes(meshes);
  const bad = join(meshes, 'sphere', 'broken.obj');
  writeFileSync(bad, 'v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 7\n');
  const out = join(dir, 'broken-sdf');
  const run = generate(meshes, out);
  assert.equal(run.status, 1, run.stdout);
  assert.match(run.stderr, /broken\.obj: face 1 refers to vertex 7, but there are only 3 vertices/);
  assert.deepEqual(existsSync(join(out, 'shards')) ? readdirSync(join(out, 'shards')) : [], []);
});
