/**
 * A slice of a 3-D INR's signed distance: f on the square {axis = at} of [−1, 1]³, size × size points, as
 * an RGB picture — white on the surface, shading to blue inside (f < 0) and red outside as |f| grows to
 * SLICE_RANGE, and the zero level set (where f changes sign between neighbouring points) drawn black.
 * Rows go down the slice's second axis from +1 to −1, columns along its first from −1 to +1 (x, y for a z
 * slice; x, z for y; y, z for x).
 */
import { renderSiren } from './render';
import type { SirenSpec } from './spec';
import type { Layer } from '../weights/network';

export type SliceAxis = 'x' | 'y' | 'z';

/** |f| at which the colour saturates (the distance clamp of the fitted targets). */
export const SLICE_RANGE = 0.1;

export function sliceSdf(spec: SirenSpec, layers: readonly Layer[], size: number, axis: SliceAxis, at: number): Float32Array {
  if (spec.inputDim !== 3 || spec.outputDim !== 1) throw new Error(`a slice needs a SIREN of 3 inputs and 1 output, not ${spec.inputDim} → ${spec.outputDim}`);
  const fixed = { x: 0, y: 1, z: 2 }[axis];
  const [u, v] = [0, 1, 2].filter((k) => k !== fixed) as [number, number];
  const points = new Float32Array(3 * size * size);
  const coordinate = (i: number) => (size === 1 ? 0 : -1 + (2 * i) / (size - 1));
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      const p = 3 * (row * size + col);
      points[p + fixed] = at;
      points[p + u] = coordinate(col);
      points[p + v] = -coordinate(row);
    }
  }
  const f = renderSiren(spec, layers, points);
  const image = new Float32Array(3 * size * size);
  const inside = (i: number) => f[i]! < 0;
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      const i = row * size + col;
      const edge = (col + 1 < size && inside(i) !== inside(i + 1)) || (row + 1 < size && inside(i) !== inside(i + size));
      const t = Math.min(1, Math.abs(f[i]!) / SLICE_RANGE);
      const rgb = edge ? [0, 0, 0] : inside(i) ? [1 - t, 1 - 0.6 * t, 1] : [1, 1 - 0.7 * t, 1 - t];
      image.set(rgb, 3 * i);
    }
  }
  return image;
}
