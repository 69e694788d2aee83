/**
 * One planned INR of a mesh dataset: the fit task (sdfFit.ts) of the source's mesh, and, once fitted, what
 * its manifest item records besides the fit — the mesh's placement, and its quality at held-out points
 * drawn like the training points but from another seed: the sign accuracy at near-surface and uniform
 * points, and the IoU of the INR's inside with the mesh's at the uniform ones.
 */
import type { FitTask } from '../inr/fitBackend';
import { renderSiren } from '../inr/render';
import type { SirenSpec } from '../inr/spec';
import { deriveSeed, Rng } from '../random/rng';
import type { Layer } from '../weights/network';
import type { MeshSource } from './meshSource';
import type { MeshPlacement } from './normalise';
import { samplePoints, type SampleCounts } from './sampling';
import { sdfFitTask } from './sdfFit';
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

export async function meshFitItem(source: MeshSource, id: string, index: number, seed: number, spec: SirenSpec): Promise<MeshFitItem> {
  const { mesh, placement, label } = await source.mesh(index);
  const task = sdfFitTask(id, mesh, seed, spec);
  const points = samplePoints(mesh, new Rng(deriveSeed(seed, 3)), HELD_OUT_SAMPLES);
  const truth = signedDistances(mesh, points);
  return {
    task,
    label,
    placement,
    quality: (s, layers) => meshQuality(s, layers, points, truth, HELD_OUT_SAMPLES.nearSurface * HELD_OUT_SAMPLES.sigmas.length),
  };
}

/** Sign accuracy over all `points`, and the IoU of the insides (negative values) over the points from `uniformFrom` on. */
export function meshQuality(spec: SirenSpec, layers: readonly Layer[], points: Float32Array, truth: Float32Array, uniformFrom: number): MeshQuality {
  const values = renderSiren(spec, layers, points);
  let agree = 0;
  let both = 0;
  let either = 0;
  for (let i = 0; i < truth.length; i++) {
    const inside = values[i]! < 0;
    const truthInside = truth[i]! < 0;
    if (inside === truthInside) agree++;
    if (i < uniformFrom) continue;
    if (inside && truthInside) both++;
    if (inside || truthInside) either++;
  }
  return { signAccuracy: agree / truth.length, iou: either === 0 ? 1 : both / either };
}
