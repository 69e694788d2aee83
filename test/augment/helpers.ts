/**
 * Shared pieces of the augmentation tests: random MLPs of any depth and width (SIREN or ReLU), a float64
 * evaluator (renderSiren for SIRENs, the exactness oracle; a plain loop for ReLU), the float32 tolerance
 * of an augmented network, and small real MNIST INR datasets fitted with the WASM backend.
 *
 * Tolerance. An exact augmentation computes each new parameter in float64 and stores it as float32, so
 * every parameter carries at most one rounding of relative size u = 2⁻²⁴ (negation and permutation
 * only move values: zero). Warped coordinates are float32 too. `float32Bound` propagates those
 * roundings through the network to first order (|δz| ≤ |W|·|δh| + u·(|W|·|h| + |b|); sine layers
 * multiply by w0 (|d/dz sin(w0 z)| ≤ w0), ReLU by 1) and adds the float32 rounding of both rendered
 * outputs; the tests allow twice that, for the second-order terms. It is the precision floor of float32
 * weights, not a fudge factor: a broken law (one sign or one column wrong) exceeds it by orders of
 * magnitude, which the tests also check.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Activation } from '../../src/core/augment/augmentation';
import { widthsOf, type Layer, type Network } from '../../src/core/weights/network';
import { loadBundledDataset } from '../../src/core/dataset/bundledSource';
import { generateDataset } from '../../src/core/dataset/generate';
import { loadInr } from '../../src/core/dataset/loadInr';
import type { Manifest } from '../../src/core/dataset/manifest';
import { createBackend } from '../../src/core/inr/backend';
import { renderSiren } from '../../src/core/inr/render';
import { DEFAULT_SIREN, pixelGrid } from '../../src/core/inr/spec';
import { Rng } from '../../src/core/random/rng';

export const U32 = 2 ** -24;
export const SIREN: Activation = { kind: 'sine', w0: DEFAULT_SIREN.w0 };
export const RELU: Activation = { kind: 'relu' };
export const GRID28 = pixelGrid(28);

export interface RandomNetworkOptions {
  readonly inputDim?: number;
  readonly activation?: Activation;
  readonly maxWidth?: number;
}

/**
 * Widths [in, 1–3 hidden layers of 1–`maxWidth`, 1–3 outputs]; weights at the SIREN initialisation's
 * scale (first layer U(±1/in), later U(±√(6/in)/w0)) or He's for ReLU (U(±√(6/in))); biases U(±0.5)
 * (not zero, so that every bias law is exercised).
 */
export function randomNetwork(rng: Rng, options: RandomNetworkOptions = {}): Layer[] {
  const widths = [options.inputDim ?? rng.int(1, 3), ...Array.from({ length: rng.int(1, 3) }, () => rng.int(1, options.maxWidth ?? 12)), rng.int(1, 3)];
  return networkWithWidths(rng, widths, options.activation ?? SIREN);
}

/** Random weights (scales as `randomNetwork`) for the given widths [in, hidden…, out]. */
export function networkWithWidths(rng: Rng, widths: readonly number[], activation: Activation = SIREN): Layer[] {
  return widths.slice(1).map((outFeatures, l) => {
    const inFeatures = widths[l]!;
    const bound = activation.kind === 'relu' ? Math.sqrt(6 / inFeatures) : l === 0 ? 1 / inFeatures : Math.sqrt(6 / inFeatures) / activation.w0;
    return {
      inFeatures,
      outFeatures,
      W: Float32Array.from({ length: inFeatures * outFeatures }, () => rng.uniform(-bound, bound)),
      b: Float32Array.from({ length: outFeatures }, () => rng.uniform(-0.5, 0.5)),
    };
  });
}

/** Points uniform in [−1.5, 1.5]^d (beyond the pixel grid too). */
export function randomPoints(rng: Rng, count: number, dim: number): Float32Array {
  return Float32Array.from({ length: count * dim }, () => rng.uniform(-1.5, 1.5));
}

/** f at every point (points × outputs): renderSiren for SIRENs (offset 0), a float64 loop for ReLU. */
export function evaluate(network: Network, activation: Activation, coords: Float32Array): Float64Array {
  const widths = widthsOf(network);
  if (activation.kind === 'sine') {
    const spec = { inputDim: widths[0]!, hidden: widths.slice(1, -1), outputDim: widths[widths.length - 1]!, w0: activation.w0, outputOffset: 0 };
    return Float64Array.from(renderSiren(spec, network, coords));
  }
  const d = widths[0]!;
  const points = coords.length / d;
  const outputs = widths[widths.length - 1]!;
  const out = new Float64Array(points * outputs);
  let h = new Float64Array(Math.max(...widths));
  let next = new Float64Array(h.length);
  for (let p = 0; p < points; p++) {
    for (let i = 0; i < d; i++) h[i] = coords[p * d + i]!;
    network.forEach((layer, l) => {
      const last = l === network.length - 1;
      for (let o = 0; o < layer.outFeatures; o++) {
        let z = layer.b[o]!;
        for (let i = 0; i < layer.inFeatures; i++) z += layer.W[o * layer.inFeatures + i]! * h[i]!;
        next[o] = last ? z : Math.max(0, z);
      }
      [h, next] = [next, h];
    });
    out.set(h.subarray(0, outputs), p * outputs);
  }
  return out;
}

/** First-order float32 rounding bound of `network`'s outputs at each point (see the file comment). */
export function float32Bound(network: Network, activation: Activation, coords: Float32Array): Float64Array {
  const d = network[0]!.inFeatures;
  const outputs = network[network.length - 1]!.outFeatures;
  const points = coords.length / d;
  const maxWidth = Math.max(...widthsOf(network));
  const bound = new Float64Array(points * outputs);
  let h = new Float64Array(maxWidth);
  let e = new Float64Array(maxWidth);
  let nextH = new Float64Array(maxWidth);
  let nextE = new Float64Array(maxWidth);
  for (let p = 0; p < points; p++) {
    for (let i = 0; i < d; i++) {
      h[i] = coords[p * d + i]!;
      e[i] = U32 * Math.abs(h[i]!);
    }
    network.forEach((layer, l) => {
      const last = l === network.length - 1;
      for (let o = 0; o < layer.outFeatures; o++) {
        let z = layer.b[o]!;
        let magnitude = Math.abs(z);
        let propagated = 0;
        for (let i = 0; i < layer.inFeatures; i++) {
          const w = layer.W[o * layer.inFeatures + i]!;
          const wh = w * h[i]!;
          z += wh;
          magnitude += Math.abs(wh);
          propagated += Math.abs(w) * e[i]!;
        }
        const ez = propagated + U32 * magnitude;
        if (last) {
          nextH[o] = z;
          nextE[o] = ez + 2 * U32 * (Math.abs(z) + 1);
        } else if (activation.kind === 'sine') {
          nextH[o] = Math.sin(activation.w0 * z);
          nextE[o] = activation.w0 * ez;
        } else {
          nextH[o] = Math.max(0, z);
          nextE[o] = ez;
        }
      }
      [h, nextH] = [nextH, h];
      [e, nextE] = [nextE, e];
    });
    for (let o = 0; o < outputs; o++) bound[p * outputs + o] = e[o]!;
  }
  return bound;
}

/** The largest |a − b| − 2·bound over all outputs (≤ 0: equal to float32 precision), and the largest |a − b|. */
export function excessOverTolerance(a: Float64Array, b: Float64Array, bound: Float64Array): { excess: number; maxError: number } {
  let excess = -Infinity;
  let maxError = 0;
  for (let i = 0; i < a.length; i++) {
    const error = Math.abs(a[i]! - b[i]!);
    maxError = Math.max(maxError, error);
    excess = Math.max(excess, error - 2 * bound[i]!);
  }
  return { excess, maxError };
}

/** Every value of a network, copied, to check later that nothing was mutated. */
export function snapshot(network: Network): Float32Array[] {
  return network.flatMap((l) => [l.W.slice(), l.b.slice()]);
}

export function sameBits(a: readonly Float32Array[], b: readonly Float32Array[]): boolean {
  return (
    a.length === b.length &&
    a.every((x, k) => Buffer.compare(Buffer.from(x.buffer, x.byteOffset, x.byteLength), Buffer.from(b[k]!.buffer, b[k]!.byteOffset, b[k]!.byteLength)) === 0)
  );
}

export interface FittedDataset {
  readonly dir: string;
  readonly manifest: Manifest;
  /** In manifest order. */
  readonly networks: Network[];
  readonly labels: number[];
}

/**
 * A small real MNIST INR dataset (the default SIREN), fitted in this process with the WASM backend on
 * 2 workers: `count` images, 1 view, `steps` Adam steps, no early stop.
 */
export async function fitMnistInrs(
  count: number,
  steps: number,
  options: { seed?: number; valFraction?: number; testFraction?: number } = {},
): Promise<FittedDataset> {
  const dir = mkdtempSync(join(tmpdir(), 'wslab-augment-'));
  const backend = await createBackend('wasm', { workers: 2 });
  let manifest: Manifest;
  try {
    manifest = await generateDataset({
      out: dir,
      source: await loadBundledDataset('mnist'),
      spec: DEFAULT_SIREN,
      fit: { steps, targetPsnr: null, lr: 5e-4, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
      limit: count,
      views: 1,
      seed: options.seed ?? 11,
      valFraction: options.valFraction ?? 0,
      testFraction: options.testFraction ?? 0,
      shardSize: 32,
      backend,
    });
  } finally {
    await backend.close();
  }
  const networks: Network[] = [];
  for (const item of manifest.items) networks.push((await loadInr(`${dir}#${item.id}`)).layers);
  return { dir, manifest, networks, labels: manifest.items.map((i) => i.label) };
}
