/**
 * SIREN sign canonicalisation: every hidden neuron turned so that its bias is non-negative — when
 * b_l[j] < 0, row j of W_l and b_l[j] are negated, and so is column j of W_{l+1}.
 *
 * Law (exact; sin is odd, the siren-negation symmetry): the function is unchanged bit for bit (negation
 * rounds nothing), and a network with any of its 2^(hidden neurons) sign flips applied canonicalises to
 * the same network (when no hidden bias is exactly 0), so a model that reads canonical inputs is
 * invariant to those flips. Flipping a neuron of layer l changes only columns of W_{l+1}, never b_{l+1},
 * so one pass in layer order settles every layer.
 */
import { parameterCount } from './network';

/** Canonicalises every network of `data` ([N, P], state-dict order W_0, b_0, W_1, …) in place; returns `data`. */
export function canonicaliseSigns(data: Float32Array, widths: readonly number[]): Float32Array {
  const P = parameterCount(widths);
  const layerStart: number[] = [];
  for (let l = 0, offset = 0; l + 1 < widths.length; l++) {
    layerStart.push(offset);
    offset += widths[l + 1]! * (widths[l]! + 1);
  }
  for (let base = 0; base < data.length; base += P) {
    // Hidden layers: every layer but the last (linear) one.
    for (let l = 0; l + 2 < widths.length; l++) {
      const fanIn = widths[l]!;
      const width = widths[l + 1]!;
      const next = widths[l + 2]!;
      const W = base + layerStart[l]!;
      const b = W + width * fanIn;
      const nextW = base + layerStart[l + 1]!;
      for (let j = 0; j < width; j++) {
        if (!(data[b + j]! < 0)) continue;
        for (let i = 0; i < fanIn; i++) data[W + j * fanIn + i] = -data[W + j * fanIn + i]!;
        data[b + j] = -data[b + j]!;
        for (let m = 0; m < next; m++) data[nextW + m * width + j] = -data[nextW + m * width + j]!;
      }
    }
  }
  return data;
}
