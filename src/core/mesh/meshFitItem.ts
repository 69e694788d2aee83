/**
 * One planned INR of a mesh dataset: the fit task (sdfFit.ts) of the source's mesh, and, once fitted, what
 * its manifest item records besides the fit — the mesh's placement, and its quality at held-out points
 * drawn like the training points but from another seed: the sign accuracy at near-surface and uniform
 * points, and the IoU of the INR's inside with the mesh's at the uniform ones.
 */
import type { FitTask } from '../inr/fitBackend';
import { renderSiren } from '../inr/render';
import { initSiren, type SirenSpec } from '../inr/spec';
import { deriveSeed, Rng } from '../random/rng';
import type { Layer } from '../weights/network';
import type { MeshSource } from './meshSource';
import type { MeshPlacement } from './normalise';
import { samplePoints, type SampleCounts } from './sampling';
import { sdfTargets, signAgreement } from './sdfFit';
import type { Mesh } from './mesh';
import { signedDistances } from './signedDistance';

/** The held-out points of one INR's quality: near the surface first, then uniform in the cube. */
export const HELD_OUT_SAMPLES: SampleCounts = { nearSurface: 2048, sigmas: [0.01], uniform: 4096 };

export interface MeshQuality {
  readonly signAccuracy: number;
  readonly iou: number;
}

export interface MeshFitItem {
  readonly task: FitTask;
  readonly label: number;
  readonly placement: MeshPlacement;
  /** The quality of the INR fitted for the task. */
  quality(spec: SirenSpec, layers: readonly Layer[]): MeshQuality;
}

/** What a mesh's INR is fitted to and judged by: training points and clamped distances, held-out points and true distances. */
export interface MeshTargets {
  readonly coords: Float32Array;
  readonly target: Float32Array;
  readonly heldOut: Float32Array;
  readonly truth: Float32Array;
}

/** The targets of one (placed) mesh, seeded; the costly part (signed distances), run on worker threads by SdfTargetPool. */
export function meshTargets(mesh: Mesh, seed: number): MeshTargets {
  const { coords, target } = sdfTargets(mesh, seed);
  const heldOut = samplePoints(mesh, new Rng(deriveSeed(seed, 3)), HELD_OUT_SAMPLES);
  return { coords, target, heldOut, truth: signedDistances(mesh, heldOut) };
}

/** A planned INR of a mesh source: its targets from `targets` (SdfTargetPool's worker threads), its seeded initialisation. */
export async function meshFitItem(
  source: MeshSource,
  id: string,
  index: number,
  seed: number,
  spec: SirenSpec,
  targets: (mesh: Mesh, seed: number) => Promise<MeshTargets>,
): Promise<MeshFitItem> {
  const { mesh, placement, label } = await source.mesh(index);
  const { coords, target, heldOut, truth } = await targets(mesh, seed);
  const task = { id, coords, target, init: initSiren(spec, new Rng(deriveSeed(seed, 2))) };
  const uniformFrom = HELD_OUT_SAMPLES.nearSurface * HELD_OUT_SAMPLES.sigmas.length;
  return { task, label, placement, quality: (s, layers) => meshQuality(s, layers, heldOut, truth, uniformFrom) };
}

/** Sign accuracy over all `points`, and the IoU of the insides (negative values) over the points from `uniformFrom` on. */
export function meshQuality(spec: SirenSpec, layers: readonly Layer[], points: Float32Array, truth: Float32Array, uniformFrom: number): MeshQuality {
  const values = renderSiren(spec, layers, points);
  let both = 0;
  let either = 0;
  for (let i = uniformFrom; i < truth.length; i++) {
    const [inside, truthInside] = [values[i]! < 0, truth[i]! < 0];
    if (inside && truthInside) both++;
    if (inside || truthInside) either++;
  }
  return { signAccuracy: signAgreement(values, truth, 0).accuracy, iou: either === 0 ? 1 : both / either };
}
