/**
 * Input-space warps of an INR: translate, rotate, scale. Each is an affine map of the input coordinates
 * x ↦ A x + t folded into the first layer, so it is exact and touches nothing else:
 *   W_0' = W_0·A,  b_0' = b_0 + W_0·t   ((out, in) layout; computed in float64, stored as float32)
 * and the result g satisfies g(x) = f(A x + t) for every x. (The official translate also pushes t
 * through deeper layers, which is inexact, and mutates its input; we do neither.)
 */
import type { Rng } from '../random/rng';
import type { AffineMap, Transformed } from './augmentation';
import { AugmentError } from './params';
import { copyLayer, type Layer, type Network } from '../weights/network';

/** The paper's defaults (official code): |t| ≤ 0.25, |θ| ≤ 30°, s ∈ 1 ± 0.2. */
export const WARP_DEFAULTS = { translateScale: 0.25, rotateDegrees: 30, scaleRange: 0.2 } as const;

export function identityMap(dim: number): AffineMap {
  return { A: Array.from({ length: dim }, (_, r) => Array.from({ length: dim }, (_, c) => (r === c ? 1 : 0))), t: new Array<number>(dim).fill(0) };
}

/**
 * The map of warping by `first`, then warping the result by `second`: with g(x) = f(first(x)) and
 * h(x) = g(second(x)), h(x) = f(A₁(A₂x + t₂) + t₁) = f(A₁A₂·x + A₁t₂ + t₁).
 */
export function composeWarps(first: AffineMap, second: AffineMap): AffineMap {
  const d = first.t.length;
  const A = first.A.map((row) => Array.from({ length: d }, (_, c) => row.reduce((s, v, k) => s + v * second.A[k]![c]!, 0)));
  const t = first.A.map((row, r) => row.reduce((s, v, k) => s + v * second.t[k]!, 0) + first.t[r]!);
  return { A, t };
}

/** A x + t for every point of `coords` (points × d, point-major), rounded to float32. */
export function mapPoints(map: AffineMap, coords: Float32Array): Float32Array {
  const d = map.t.length;
  const out = new Float32Array(coords.length);
  for (let p = 0; p < coords.length; p += d) {
    for (let r = 0; r < d; r++) {
      let v = map.t[r]!;
      for (let k = 0; k < d; k++) v += map.A[r]![k]! * coords[p + k]!;
      out[p + r] = v;
    }
  }
  return out;
}

/** Law: g(x) = f(A x + t) exactly; only layer 0 changes. */
export function warpInput(network: Network, map: AffineMap): Layer[] {
  const [first, ...rest] = network as [Layer, ...Layer[]];
  const d = first.inFeatures;
  if (map.t.length !== d || map.A.length !== d || map.A.some((row) => row.length !== d)) {
    throw new Error(`warpInput: a ${map.t.length}-D map for a network with ${d} inputs`);
  }
  const W = new Float32Array(first.W.length);
  const b = new Float32Array(first.outFeatures);
  for (let o = 0; o < first.outFeatures; o++) {
    const row = first.W.subarray(o * d, (o + 1) * d);
    let shift = first.b[o]!;
    for (let k = 0; k < d; k++) shift += row[k]! * map.t[k]!;
    b[o] = shift;
    for (let i = 0; i < d; i++) {
      let v = 0;
      for (let k = 0; k < d; k++) v += row[k]! * map.A[k]![i]!;
      W[o * d + i] = v;
    }
  }
  return [{ inFeatures: d, outFeatures: first.outFeatures, W, b }, ...rest.map(copyLayer)];
}

/** Law: g(x) = f(x + t), t ~ U(−scale, scale) per input dimension (any input dimension). */
export function translate(network: Network, params: { readonly scale: number }, rng: Rng): Transformed<{ t: number[] }> {
  const d = network[0]!.inFeatures;
  const t = Array.from({ length: d }, () => rng.uniform(-params.scale, params.scale));
  return { network: warpInput(network, { A: identityMap(d).A, t }), drawn: { t } };
}

/**
 * Law: g(x) = f(R·x), θ ~ U(−degrees, degrees). 2-D INRs: R(θ) = [[cos θ, −sin θ], [sin θ, cos θ]]. 3-D INRs:
 * the rotation by θ about an axis drawn uniformly on the sphere (Rodrigues' formula), so R is in SO(3).
 * (The official 2-D code multiplies its (in, out) weight by R on the left, i.e. g(x) = f(R(−θ)x): the
 * same distribution, since θ is symmetric.)
 */
export function rotate(network: Network, params: { readonly degrees: number }, rng: Rng): Transformed<{ degrees: number; A: number[][]; axis?: number[] }> {
  const d = network[0]!.inFeatures;
  if (d !== 2 && d !== 3) throw new AugmentError(`rotate needs a 2-D or 3-D INR; this network has ${d} inputs`);
  const degrees = rng.uniform(-params.degrees, params.degrees);
  if (d === 2) {
    const A = rotationMatrix(degrees);
    return { network: warpInput(network, { A, t: [0, 0] }), drawn: { degrees, A } };
  }
  const direction = [rng.normal(), rng.normal(), rng.normal()];
  const axis = direction.map((x) => x / Math.hypot(...direction));
  const A = axisAngleMatrix(axis, degrees);
  return { network: warpInput(network, { A, t: [0, 0, 0] }), drawn: { degrees, A, axis } };
}

/** The rotation by `degrees` about the unit vector `axis` (right-handed): R = cos θ·I + sin θ·[k]× + (1 − cos θ)·k kᵀ. */
export function axisAngleMatrix(axis: readonly number[], degrees: number): number[][] {
  const theta = (degrees * Math.PI) / 180;
  const [c, s] = [Math.cos(theta), Math.sin(theta)];
  const [x, y, z] = axis as [number, number, number];
  return [
    [c + x * x * (1 - c), x * y * (1 - c) - z * s, x * z * (1 - c) + y * s],
    [y * x * (1 - c) + z * s, c + y * y * (1 - c), y * z * (1 - c) - x * s],
    [z * x * (1 - c) - y * s, z * y * (1 - c) + x * s, c + z * z * (1 - c)],
  ];
}

export function rotationMatrix(degrees: number): number[][] {
  const theta = (degrees * Math.PI) / 180;
  return [
    [Math.cos(theta), -Math.sin(theta)],
    [Math.sin(theta), Math.cos(theta)],
  ];
}

/** Law: g(x) = f(s·x), s = 1 + U(−range, range): W_0' = s·W_0 (zooms the INR by 1/s). */
export function scale(network: Network, params: { readonly range: number }, rng: Rng): Transformed<{ s: number }> {
  const s = 1 + rng.uniform(-params.range, params.range);
  const d = network[0]!.inFeatures;
  return { network: warpInput(network, { A: identityMap(d).A.map((row) => row.map((v) => v * s)), t: new Array<number>(d).fill(0) }), drawn: { s } };
}
