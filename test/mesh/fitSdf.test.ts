// 3-D INRs (issue 22): SIRENs fitted to the signed distance of a cube, a sphere and a torus made by the
// tests (test/mesh/shapes.ts), all three in one call of the WASM backend, each on its own sample points.
// Each fitted INR's sign is checked at 10,000 random points of [−1, 1]³ against the shape's exact signed
// distance, off a band of ±0.03 around the surface (the bar: ≥ 97%).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createBackend } from '../../src/core/inr/backend';
import { normaliseMesh } from '../../src/core/mesh/normalise';
import { DEFAULT_SDF_SIREN, sdfFitTask, signAccuracy } from '../../src/core/mesh/sdfFit';
import { Rng } from '../../src/core/random/rng';
import { box, sphere, torus, type TestShape } from './shapes';

test('SIRENs fitted to a cube, a sphere and a torus have the right sign at ≥ 97% of random points off the surface', async () => {
  const shapes: [string, TestShape][] = [
    ['cube', box([0.5, 0.5, 0.5])],
    ['sphere', sphere(0.5)],
    ['torus', torus(0.55, 0.25)],
  ];
  const placed = shapes.map(([name, shape]) => ({ name, shape, ...normaliseMesh(name, shape.mesh) }));
  const tasks = placed.map((p, i) => sdfFitTask(p.name, p.mesh, i));
  const backend = await createBackend('wasm', { workers: 2 });
  let results;
  try {
    results = await backend.fit(tasks, { spec: DEFAULT_SDF_SIREN, coords: tasks[0]!.coords!, steps: 1000, targetPsnr: null });
  } finally {
    await backend.close();
  }
  const rng = new Rng(99);
  const points = Float32Array.from({ length: 30_000 }, () => rng.uniform(-1, 1));
  for (const [i, p] of placed.entries()) {
    // The shapes are centred at the origin, so the normalised shape's distance is s · sdf(x / s).
    const s = p.placement.scale;
    const truth = Float32Array.from({ length: 10_000 }, (_, k) => s * p.shape.sdf(points[3 * k]! / s, points[3 * k + 1]! / s, points[3 * k + 2]! / s));
    const { accuracy, counted } = signAccuracy(DEFAULT_SDF_SIREN, results[i]!.layers, points, truth, 0.03);
    assert.ok(counted > 8000, `${p.name}: ${counted} points off the band`);
    assert.ok(accuracy >= 0.97, `${p.name}: sign right at ${(100 * accuracy).toFixed(2)}% of ${counted} points`);
  }
});

test('a task’s own coordinates must be as many as the fit’s; WebGPU refuses them', async () => {
  const task = sdfFitTask('cube', normaliseMesh('cube', box([0.5, 0.5, 0.5]).mesh).mesh, 0, DEFAULT_SDF_SIREN, { nearSurface: 8, sigmas: [0.01], uniform: 8 });
  const backend = await createBackend('reference');
  try {
    await assert.rejects(
      backend.fit([task], { spec: DEFAULT_SDF_SIREN, coords: new Float32Array(3 * 10), steps: 1, targetPsnr: null }),
      /task cube: 16 coordinates of its own, the fit has 10/,
    );
    const [r] = await backend.fit([task], { spec: DEFAULT_SDF_SIREN, coords: new Float32Array(3 * 16), steps: 0, targetPsnr: null });
    assert.ok(Number.isFinite(r!.psnr));
  } finally {
    await backend.close();
  }
});
