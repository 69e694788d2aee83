// `wslab render FILE --mesh x.obj`: the surface of a 3-D INR — here a SIREN fitted to a sphere of radius
// 0.5 made by the test — comes out as an OBJ whose vertices lie near that sphere (> 95% within 0.03); a 2-D INR or both
// outputs at once are refused. `wslab render FILE --out x.png` of the same INR is its surface seen from a
// camera (src/core/inr/rayMarch.ts): the lit pixels are the sphere's disc, brightest towards the light; a
// slice through its centre (src/core/inr/sdfSlice.ts) is blue inside the circle, red outside, black on it.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { writeWeightSet } from '../../src/core/formats/registry';
import { createBackend } from '../../src/core/inr/backend';
import { DEFAULT_SDF_SIREN, sdfFitTask } from '../../src/core/mesh/sdfFit';
import { BACKGROUND, rayMarchSdf } from '../../src/core/inr/rayMarch';
import { sliceSdf } from '../../src/core/inr/sdfSlice';
import { decodeImage } from '../../src/core/image/codec';
import { mlpToWeightSet } from '../../src/core/weights/mlp';
import { fixturePath } from '../helpers/fixtures';
import { sphere } from './shapes';

const dir = mkdtempSync(join(tmpdir(), 'wslab-render-mesh-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]) {
  const [out, err]: string[][] = [[], []];
  const code = await main(args, { stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

/** A SIREN fitted to a sphere of radius 0.5 (made by the test), as a weight file. */
const ball = (async () => {
  const task = sdfFitTask('ball', sphere(0.5).mesh, 0);
  const backend = await createBackend('wasm', { workers: 1 });
  const [fitted] = await backend.fit([task], { spec: DEFAULT_SDF_SIREN, coords: task.coords!, steps: 600, targetPsnr: null }).finally(() => backend.close());
  const file = join(dir, 'ball.safetensors');
  await writeWeightSet(file, mlpToWeightSet(fitted!.layers));
  return { file, layers: fitted!.layers };
})();

test('the surface of a SIREN fitted to a sphere is an OBJ near that sphere', async () => {
  const { file } = await ball;
  const obj = join(dir, 'ball.obj');
  const r = await run(['render', file, '--mesh', obj, '--offset', '0', '--size', '40']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /ball\.obj: [\d,]+ triangles/);
  // Parsed here, independently of the readers under test.
  const lines = readFileSync(obj, 'utf8').split('\n');
  const radii = lines.filter((l) => l.startsWith('v ')).map((l) => Math.hypot(...l.slice(2).split(' ').map(Number)));
  const faces = lines.filter((l) => l.startsWith('f ')).length;
  assert.ok(radii.length > 500 && faces > 1000, `${radii.length} vertices, ${faces} faces`);
  // The fit's sign is wrong at a fraction of a percent of the cube (test/mesh/fitSdf.test.ts), which can
  // leave small spurious pieces far from the sphere; the surface itself is where the sphere is.
  const near = radii.filter((x) => Math.abs(x - 0.5) < 0.03).length / radii.length;
  assert.ok(near > 0.95, `only ${(100 * near).toFixed(1)}% of the vertices within 0.03 of the sphere`);
});

test('a 3-D INR rendered to a PNG is its surface seen from the camera: the sphere’s disc, lit from above the camera', async () => {
  const { file, layers } = await ball;
  const png = join(dir, 'ball.png');
  const r = await run(['render', file, '--out', png, '--offset', '0', '--size', '64']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /ball\.png: 64×64/);
  const decoded = decodeImage(readFileSync(png), png);
  assert.deepEqual([decoded.width, decoded.height], [64, 64]);
  // Orthographic view of [−1.6, 1.6]² : the sphere of radius 0.5 covers the disc of radius 0.5 / 1.6 · 32 = 10 pixels.
  const image = rayMarchSdf(DEFAULT_SDF_SIREN, layers, 64);
  let wrong = 0;
  let top = 0;
  let bottom = 0;
  for (let row = 0; row < 64; row++) {
    for (let col = 0; col < 64; col++) {
      const radius = Math.hypot(col + 0.5 - 32, row + 0.5 - 32);
      const lit = image[row * 64 + col] !== BACKGROUND;
      if (Math.abs(radius - 10) > 1.5 && lit !== radius < 10) wrong++;
      if (radius < 8 && row < 28) top += image[row * 64 + col]!;
      if (radius < 8 && row > 36) bottom += image[row * 64 + col]!;
    }
  }
  assert.ok(wrong <= 40, `${wrong} pixels away from the disc's edge disagree with the disc`);
  assert.ok(top > bottom * 1.1, `the upper half (${top.toFixed(1)}) should be brighter than the lower (${bottom.toFixed(1)})`);
  // The PNG is that image, quantised to 8 bits.
  assert.ok(
    image.every((v, i) => Math.abs(decoded.rgb[3 * i]! - v) <= 0.5 / 255 + 1e-6),
    'the PNG is the ray-marched image',
  );
});

test('a slice of the ball’s distance field: blue inside the circle of radius 0.5, red outside, the zero level set black between', async () => {
  const { layers } = await ball;
  const size = 65;
  const image = sliceSdf(DEFAULT_SDF_SIREN, layers, size, 'z', 0);
  let wrong = 0;
  let edges = 0;
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      const radius = Math.hypot(-1 + (2 * col) / (size - 1), 1 - (2 * row) / (size - 1));
      const [r, g, b] = Array.from(image.subarray(3 * (row * size + col), 3 * (row * size + col) + 3));
      if (r === 0 && g === 0 && b === 0) {
        edges++;
        if (Math.abs(radius - 0.5) > 0.06) wrong++;
      } else if (Math.abs(radius - 0.5) > 0.06 && (radius < 0.5 ? b! < r! : r! < b!)) wrong++;
    }
  }
  assert.ok(edges > 50, `only ${edges} pixels of the zero level set`);
  assert.ok(wrong <= 10, `${wrong} pixels on the wrong side`);
});

test('--mesh needs a 3-D INR, and --out and --mesh are one or the other', async () => {
  const image = fixturePath('safetensors', 'siren.safetensors');
  const twoD = await run(['render', image, '--mesh', join(dir, 'x.obj')]);
  assert.equal(twoD.code, 2);
  assert.match(twoD.stderr, /--mesh draws the surface of a 3-D INR \(3 → 1\); this one maps 2 → 1/);
  const both = await run(['render', image, '--mesh', join(dir, 'x.obj'), '--out', join(dir, 'x.png')]);
  assert.match(both.stderr, /either --out or --mesh/);
});
