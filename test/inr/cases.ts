/**
 * Shared cases for the SIREN fitting tests: the spec variants every implementation must handle, small
 * coordinate grids, and smooth targets (sums of random plane waves squashed into [0, 1]) with SIREN
 * initial weights, all drawn from explicit seeds.
 */
import type { FitTask } from '../../src/core/inr/backend';
import { DEFAULT_SIREN, initSiren, pixelGrid, type SirenSpec } from '../../src/core/inr/spec';
import { Rng } from '../../src/core/random/rng';

export interface Variant {
  readonly name: string;
  readonly spec: SirenSpec;
}

/** The variants of the brief: the DWSNets default, a deeper net, a narrow one, RGB output. */
export const VARIANTS: readonly Variant[] = [
  { name: 'default 2→32→32→1', spec: DEFAULT_SIREN },
  { name: '3 hidden layers 2→32→32→32→1', spec: { ...DEFAULT_SIREN, hidden: [32, 32, 32] } },
  { name: 'width 8 2→8→8→1', spec: { ...DEFAULT_SIREN, hidden: [8, 8] } },
  { name: 'RGB 2→32→32→3', spec: { ...DEFAULT_SIREN, outputDim: 3 } },
];

/** Shapes the WASM kernel pads internally: odd hidden widths, a pixel count that is no multiple of 16, 3-D input. */
export const PADDED_VARIANTS: readonly Variant[] = [
  { name: 'odd widths 2→5→7→1', spec: { ...DEFAULT_SIREN, hidden: [5, 7] } },
  { name: '3-D input 3→12→1', spec: { ...DEFAULT_SIREN, inputDim: 3, hidden: [12] } },
];

/** pixelGrid(height, width) for 2-D inputs; for other input dimensions, uniform points in [−1, 1]. */
export function coordsFor(spec: SirenSpec, height: number, width = height, seed = 1): Float32Array {
  if (spec.inputDim === 2) return pixelGrid(height, width);
  const rng = new Rng(seed);
  return Float32Array.from({ length: height * width * spec.inputDim }, () => rng.uniform(-1, 1));
}

/** A smooth target in [0, 1]: per channel, a logistic of three random plane waves of the coordinates. */
export function smoothTarget(spec: SirenSpec, coords: Float32Array, rng: Rng): Float32Array {
  const pixels = coords.length / spec.inputDim;
  const out = new Float32Array(pixels * spec.outputDim);
  for (let c = 0; c < spec.outputDim; c++) {
    const waves = Array.from({ length: 3 }, () => ({ k: Array.from({ length: spec.inputDim }, () => rng.uniform(-4, 4)), phase: rng.uniform(0, 2 * Math.PI) }));
    for (let p = 0; p < pixels; p++) {
      let s = 0;
      for (const { k, phase } of waves) s += Math.sin(k.reduce((a, kd, d) => a + kd * coords[p * spec.inputDim + d]!, phase));
      out[p * spec.outputDim + c] = 1 / (1 + Math.exp(-1.5 * s));
    }
  }
  return out;
}

export function makeTasks(spec: SirenSpec, coords: Float32Array, count: number, seed: number): FitTask[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, (_, i) => ({ id: `inr-${seed}-${i}`, target: smoothTarget(spec, coords, rng), init: initSiren(spec, rng) }));
}

/** Bit patterns of everything a result carries, for exact comparisons (NaN and −0 included). */
export function resultBits(result: { id: string; psnr: number; steps: number; layers: readonly { W: Float32Array; b: Float32Array }[] }): string {
  const words = result.layers.flatMap((l) => [...new Uint32Array(l.W.slice().buffer), ...new Uint32Array(l.b.slice().buffer)]);
  return JSON.stringify({ id: result.id, psnr: Object.is(result.psnr, -0) ? '-0' : String(result.psnr), steps: result.steps, words });
}
