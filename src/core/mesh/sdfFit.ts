/**
 * A 3-D INR is a SIREN fitted to a mesh's signed distance: 3 → 32 → 32 → 1 by default (w0 30, no output
 * offset, since distances centre on 0), on the mesh's near-surface and uniform samples (sampling.ts), with
 * the fitting contract's loss — the MSE to the signed distance clamped to ±SDF_CLAMP (DeepSDF's clamped
 * loss: capacity goes to the surface, the far field only has to keep its sign). Its quality is its sign
 * accuracy: the share of held-out points, off a band around the surface, where the INR's sign is the mesh's.
 */
import type { FitTask } from '../inr/fitBackend';
import { renderSiren } from '../inr/render';
import { initSiren, type SirenSpec } from '../inr/spec';
import { deriveSeed, Rng } from '../random/rng';
import type { Layer } from '../weights/network';
import type { Mesh } from './mesh';
import { DEFAULT_SAMPLES, samplePoints, type SampleCounts } from './sampling';
import { signedDistances } from './signedDistance';

export const DEFAULT_SDF_SIREN: SirenSpec = { inputDim: 3, hidden: [32, 32], outputDim: 1, w0: 30, outputOffset: 0 };

/** The clamp of the target distances (INR coordinates). */
export const SDF_CLAMP = 0.1;

/** The fit task of one (normalised) mesh: its own sample points, their clamped signed distances, a seeded initialisation. */
export function sdfFitTask(id: string, mesh: Mesh, seed: number, spec: SirenSpec = DEFAULT_SDF_SIREN, samples: SampleCounts = DEFAULT_SAMPLES): FitTask {
  return { id, ...sdfTargets(mesh, seed, samples), init: initSiren(spec, new Rng(deriveSeed(seed, 2))) };
}

/** The sample points of one (normalised) mesh and their clamped signed distances, seeded. */
export function sdfTargets(mesh: Mesh, seed: number, samples: SampleCounts = DEFAULT_SAMPLES): { coords: Float32Array; target: Float32Array } {
  const coords = samplePoints(mesh, new Rng(deriveSeed(seed, 1)), samples);
  const target = signedDistances(mesh, coords).map((d) => Math.max(-SDF_CLAMP, Math.min(SDF_CLAMP, d)));
  return { coords, target };
}

/** Share of `points` whose INR sign matches `truth` (signed distances), counting only points with |truth| ≥ band. */
export function signAccuracy(
  spec: SirenSpec,
  layers: readonly Layer[],
  points: Float32Array,
  truth: Float32Array,
  band: number,
): { accuracy: number; counted: number } {
  return signAgreement(renderSiren(spec, layers, points), truth, band);
}

/** Share of INR `values` with the sign of `truth` (signed distances), counting only points with |truth| ≥ band. */
export function signAgreement(values: Float32Array, truth: Float32Array, band: number): { accuracy: number; counted: number } {
  let agree = 0;
  let counted = 0;
  for (let i = 0; i < truth.length; i++) {
    if (Math.abs(truth[i]!) < band) continue;
    counted++;
    if (values[i]! < 0 === truth[i]! < 0) agree++;
  }
  return { accuracy: counted === 0 ? Number.NaN : agree / counted, counted };
}
