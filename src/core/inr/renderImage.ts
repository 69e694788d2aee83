/**
 * An INR as a picture, whatever its input dimension: a 2-D INR (an image) evaluated on the size × size
 * pixel grid, a 3-D INR (a signed distance) as its surface seen by a camera (rayMarch.ts) or a slice of
 * its distance field with the zero level set (sdfSlice.ts). One home for "show this INR", used by
 * `wslab render`, the inspector's reconstruction and the augmentation preview.
 */
import { DEFAULT_CAMERA, rayMarchSdf, type Camera } from './rayMarch';
import { sliceSdf, type SliceAxis } from './sdfSlice';
import { renderSiren } from './render';
import { pixelGrid, type SirenSpec } from './spec';
import type { Layer } from '../weights/network';

/** Why this INR cannot be drawn as a picture, or null when it can. */
export function unrenderableReason(spec: SirenSpec): string | null {
  if (spec.inputDim === 2 && (spec.outputDim === 1 || spec.outputDim === 3)) return null;
  if (spec.inputDim === 3 && spec.outputDim === 1) return null;
  return `only 2-D INRs with 1 or 3 outputs (images) and 3-D INRs with 1 output (signed distances) can be drawn; this one maps ${spec.inputDim} → ${spec.outputDim}`;
}

/** How a 3-D INR is shown: its surface from a camera, or a slice of its distance field (2-D INRs have one view). */
export type InrView = ({ readonly kind: 'surface' } & Camera) | { readonly kind: 'slice'; readonly axis: SliceAxis; readonly at: number };

export const DEFAULT_VIEW: InrView = { kind: 'surface', ...DEFAULT_CAMERA };

export function renderInrImage(
  spec: SirenSpec,
  layers: readonly Layer[],
  size: number,
  view: InrView = DEFAULT_VIEW,
): { pixels: Float32Array; channels: number } {
  const reason = unrenderableReason(spec);
  if (reason) throw new Error(reason);
  if (spec.inputDim === 3) {
    if (view.kind === 'slice') return { pixels: sliceSdf(spec, layers, size, view.axis, view.at), channels: 3 };
    return { pixels: rayMarchSdf(spec, layers, size, view), channels: 1 };
  }
  return { pixels: renderSiren(spec, layers, pixelGrid(size)), channels: spec.outputDim };
}
