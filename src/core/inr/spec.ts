/**
 * The SIREN architecture of an INR (PAPER.md, DWSNets convention): sine layers
 * h = sin(w0 · (W h + b)) for every hidden width, then a linear output layer, plus a constant output
 * offset. Default 2 → 32 → 32 → 1, w0 = 30, output + 0.5 (layers seq.0, seq.1 sine; seq.2 linear).
 * Its layers are weights/network.ts's Layer: W (out, in) row-major and b (out), the PyTorch nn.Linear layout.
 */
import { Rng } from '../random/rng';
import { parameterCount, type Layer } from '../weights/network';

export interface SirenSpec {
  readonly inputDim: number;
  readonly hidden: readonly number[];
  readonly outputDim: number;
  readonly w0: number;
  readonly outputOffset: number;
}

export const DEFAULT_SIREN: SirenSpec = { inputDim: 2, hidden: [32, 32], outputDim: 1, w0: 30, outputOffset: 0.5 };

/** [in, hidden…, out]. */
export function sirenWidths(spec: SirenSpec): number[] {
  return [spec.inputDim, ...spec.hidden, spec.outputDim];
}

export function sirenParameterCount(spec: SirenSpec): number {
  return parameterCount(sirenWidths(spec));
}

/** Checks a spec and says what is wrong with it. */
export function validateSirenSpec(spec: SirenSpec): void {
  const ok = (n: number) => Number.isInteger(n) && n >= 1;
  if (!ok(spec.inputDim)) throw new Error(`SIREN input dimension must be a positive integer, got ${spec.inputDim}`);
  if (!ok(spec.outputDim)) throw new Error(`SIREN output dimension must be a positive integer, got ${spec.outputDim}`);
  if (spec.hidden.length < 1 || !spec.hidden.every(ok)) {
    throw new Error(`SIREN needs at least one hidden layer of positive width, got [${spec.hidden.join(', ')}]`);
  }
  if (!(spec.w0 > 0) || !Number.isFinite(spec.w0)) throw new Error(`SIREN w0 must be a positive number, got ${spec.w0}`);
  if (!Number.isFinite(spec.outputOffset)) throw new Error(`SIREN output offset must be finite, got ${spec.outputOffset}`);
}

/**
 * SIREN initialisation (c = 6): the first layer's weights U(−1/in, 1/in), later layers'
 * U(−√(6/in)/w0, √(6/in)/w0), all biases zero. Draws row-major, layer by layer, from `rng`.
 */
export function initSiren(spec: SirenSpec, rng: Rng): Layer[] {
  const widths = sirenWidths(spec);
  return widths.slice(1).map((outFeatures, i) => {
    const inFeatures = widths[i]!;
    const bound = i === 0 ? 1 / inFeatures : Math.sqrt(6 / inFeatures) / spec.w0;
    const W = new Float32Array(outFeatures * inFeatures);
    for (let k = 0; k < W.length; k++) W[k] = rng.uniform(-bound, bound);
    return { inFeatures, outFeatures, W, b: new Float32Array(outFeatures) };
  });
}

/**
 * The pixel grid as coordinates: lin = linspace(−1, 1, n); pixel (row r, column c) ↔ (x = lin[c],
 * y = lin[r]), flattened row-major (numpy meshgrid "xy"). Returns [x0, y0, x1, y1, …] (length 2·h·w).
 */
export function pixelGrid(height: number, width = height): Float32Array {
  const lin = (n: number, i: number) => (n === 1 ? 0 : -1 + (2 * i) / (n - 1));
  const out = new Float32Array(2 * height * width);
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      out[2 * (r * width + c)] = lin(width, c);
      out[2 * (r * width + c) + 1] = lin(height, r);
    }
  }
  return out;
}

/** The points −1 + 2i/(n − 1) of [−1, 1]³, n per axis, x fastest, then y, then z (as levelSetMesh reads its values). */
export function cubeGrid(n: number): Float32Array {
  const c = (i: number) => (n === 1 ? 0 : -1 + (2 * i) / (n - 1));
  const out = new Float32Array(3 * n * n * n);
  let at = 0;
  for (let z = 0; z < n; z++) {
    for (let y = 0; y < n; y++) {
      for (let x = 0; x < n; x++) {
        out[at++] = c(x);
        out[at++] = c(y);
        out[at++] = c(z);
      }
    }
  }
  return out;
}
