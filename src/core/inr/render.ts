/**
 * Evaluates a SIREN at arbitrary coordinates, one pixel at a time in float64:
 *   h_0 = x,  h_{l+1} = sin(w0·(W_l h_l + b_l)),  f(x) = W_L h_L + b_L + outputOffset.
 * Written independently of the fitters (no stored activations, no batching), so tests can use it to
 * check the PSNR a backend reports.
 */
import { sirenWidths, type SirenSpec } from './spec';
import type { Layer } from '../weights/network';

/**
 * f at every coordinate in `coords` (pixels × inputDim, e.g. pixelGrid(h, w)); returns
 * pixels × outputDim, pixel-major (pixel p, channel c at p·outputDim + c).
 */
export function renderSiren(spec: SirenSpec, layers: readonly Layer[], coords: Float32Array): Float32Array {
  const widths = sirenWidths(spec);
  if (layers.length !== widths.length - 1) throw new Error(`expected ${widths.length - 1} layers for this SIREN, got ${layers.length}`);
  if (coords.length % spec.inputDim !== 0)
    throw new Error(`coordinate array length ${coords.length} is not a multiple of the input dimension ${spec.inputDim}`);
  const pixels = coords.length / spec.inputDim;
  const out = new Float32Array(pixels * spec.outputDim);
  const maxWidth = Math.max(...widths);
  let h = new Float64Array(maxWidth);
  let next = new Float64Array(maxWidth);
  for (let p = 0; p < pixels; p++) {
    for (let d = 0; d < spec.inputDim; d++) h[d] = coords[p * spec.inputDim + d]!;
    layers.forEach((layer, l) => {
      const isOutput = l === layers.length - 1;
      for (let o = 0; o < layer.outFeatures; o++) {
        let u = layer.b[o]!;
        for (let i = 0; i < layer.inFeatures; i++) u += layer.W[o * layer.inFeatures + i]! * h[i]!;
        next[o] = isOutput ? u + spec.outputOffset : Math.sin(spec.w0 * u);
      }
      [h, next] = [next, h];
    });
    for (let c = 0; c < spec.outputDim; c++) out[p * spec.outputDim + c] = h[c]!;
  }
  return out;
}
