/**
 * The float64 reference fitter: its gradients against central finite differences of its own loss, per
 * spec variant, and its first Adam update against the closed form of bias-corrected Adam.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveFitOptions } from '../../src/core/inr/fitting';
import { referenceFit, referenceLossAndGradients } from '../../src/core/inr/reference';
import { initSiren } from '../../src/core/inr/spec';
import { Rng } from '../../src/core/random/rng';
import { VARIANTS, coordsFor, makeTasks, smoothTarget } from './cases';

/**
 * Central differences in float64 with step h = 1e-6: truncation error ≈ h²·|L'''|/6 (≲ 1e-8 even with
 * w0³ ≈ 3e4 in L''') and round-off ≈ 1e-16·|L|/h ≈ 1e-11, so |fd − g| ≤ 1e-5·|g| + 1e-6·max|g| holds with
 * a wide margin for a correct gradient, while any wrong term is off by O(|g|).
 */
const H = 1e-6;

for (const { name, spec } of VARIANTS) {
  test(`reference gradients match central finite differences in float64 (${name})`, () => {
    const coords = coordsFor(spec, 6);
    const rng = new Rng(9);
    const target = smoothTarget(spec, coords, rng);
    const layers = initSiren(spec, rng).map((l) => ({ ...l, W: Float64Array.from(l.W), b: Float64Array.from(l.b) }));
    const { gradients } = referenceLossAndGradients(spec, layers, coords, target);
    const gmax = Math.max(...gradients.flatMap((g) => [...g.W, ...g.b].map(Math.abs)));
    let checked = 0;
    layers.forEach((layer, l) => {
      for (const key of ['W', 'b'] as const) {
        const values = layer[key];
        // Every bias, and 24 weights per layer drawn from the seed (all of them would take seconds).
        const picks = key === 'b' ? values.keys() : Array.from({ length: 24 }, () => rng.int(0, values.length - 1));
        for (const i of picks) {
          const v = values[i]!;
          values[i] = v + H;
          const up = referenceLossAndGradients(spec, layers, coords, target).mse;
          values[i] = v - H;
          const down = referenceLossAndGradients(spec, layers, coords, target).mse;
          values[i] = v;
          const fd = (up - down) / (2 * H);
          const g = gradients[l]![key][i]!;
          assert.ok(Math.abs(fd - g) <= 1e-5 * Math.abs(g) + 1e-6 * gmax, `layer ${l} ${key}[${i}]: gradient ${g}, finite difference ${fd}`);
          checked++;
        }
      }
    });
    assert.ok(checked > 0);
  });
}

test('the first reference update is bias-corrected Adam: θ₁ = θ₀ − lr·g/(|g| + ε)', () => {
  for (const { spec } of VARIANTS) {
    const coords = coordsFor(spec, 6);
    const [task] = makeTasks(spec, coords, 1, 17);
    const fit = resolveFitOptions({ spec, coords, steps: 1, targetPsnr: null, lr: 1e-3, eps: 1e-6 });
    const { gradients } = referenceLossAndGradients(spec, task!.init, coords, task!.target);
    const result = referenceFit(task!, fit);
    assert.equal(result.steps, 1);
    result.layers.forEach((layer, l) => {
      for (const key of ['W', 'b'] as const) {
        layer[key].forEach((w, i) => {
          const g = gradients[l]![key][i]!;
          const expected = Math.fround(task!.init[l]![key][i]! - (fit.lr * g) / (Math.abs(g) + fit.eps));
          assert.equal(w, expected, `layer ${l} ${key}[${i}]`);
        });
      }
    });
  }
});
