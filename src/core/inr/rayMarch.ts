/**
 * A picture of a 3-D INR f: R³ → R (a signed distance, negative inside): its zero level set sphere-traced
 * from an orthographic camera on a sphere around the cube [−1, 1]³, shaded by the angle between the
 * surface normal (the gradient of f, by central differences) and a light from behind the camera.
 * Every ray steps by a fraction of |f| (a fitted distance is only approximately one, and clamped far from
 * the surface), and a surface is where f changes sign. Grey values in [0, 1], row 0 at the top;
 * BACKGROUND where a ray leaves the cube without meeting the surface.
 */
import { renderSiren } from './render';
import type { SirenSpec } from './spec';
import type { Layer } from '../weights/network';

export interface Camera {
  /** Degrees about the z axis, from +x towards +y. */
  readonly azimuth: number;
  /** Degrees above the xy plane (clamped to ±89). */
  readonly elevation: number;
}

export const DEFAULT_CAMERA: Camera = { azimuth: 35, elevation: 25 };
/** Exactly representable in float32, so a pixel can be compared with it. */
export const BACKGROUND = 0.0625;

/** Half the side of the square of the cube the image shows (the cube's corners at √3 ≈ 1.73 stay out; meshes are placed in [−0.9, 0.9]³). */
const VIEW_HALF = 1.6;
const MAX_STEPS = 96;
const HIT = 1e-3;
const MIN_STEP = 2e-3;
const STEP_FRACTION = 0.8;

type Vec = [number, number, number];
const cross = (a: Vec, b: Vec): Vec => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const normalise = (a: Vec): Vec => {
  const n = Math.hypot(...a);
  return [a[0] / n, a[1] / n, a[2] / n];
};

/** The camera's direction towards the scene and its image-plane axes. */
function cameraFrame(camera: Camera): { forward: Vec; right: Vec; up: Vec } {
  const az = (camera.azimuth * Math.PI) / 180;
  const el = (Math.max(-89, Math.min(89, camera.elevation)) * Math.PI) / 180;
  const forward: Vec = [-Math.cos(el) * Math.cos(az), -Math.cos(el) * Math.sin(az), -Math.sin(el)];
  const right = normalise(cross(forward, [0, 0, 1]));
  return { forward, right, up: cross(right, forward) };
}

/** The entry and exit distances of the ray o + t·d through [−1, 1]³, or null when it misses. */
function throughCube(o: Vec, d: Vec): [number, number] | null {
  let near = -Infinity;
  let far = Infinity;
  for (let k = 0; k < 3; k++) {
    if (Math.abs(d[k]) < 1e-12) {
      if (Math.abs(o[k]) > 1) return null;
      continue;
    }
    const a = (-1 - o[k]) / d[k];
    const b = (1 - o[k]) / d[k];
    near = Math.max(near, Math.min(a, b));
    far = Math.min(far, Math.max(a, b));
  }
  return near < far ? [near, far] : null;
}

/** A size × size grey image of the INR's surface (spec: 3 inputs, 1 output). */
export function rayMarchSdf(spec: SirenSpec, layers: readonly Layer[], size: number, camera: Camera = DEFAULT_CAMERA): Float32Array {
  if (spec.inputDim !== 3 || spec.outputDim !== 1)
    throw new Error(`ray marching needs a SIREN of 3 inputs and 1 output, not ${spec.inputDim} → ${spec.outputDim}`);
  const { forward, right, up } = cameraFrame(camera);
  const image = new Float32Array(size * size).fill(BACKGROUND);
  // Active rays: pixel, origin, distance along the ray so far, and where the ray leaves the cube.
  let rays: { pixel: number; o: Vec; t: number; far: number }[] = [];
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      const x = ((2 * col + 1) / size - 1) * VIEW_HALF;
      const y = (1 - (2 * row + 1) / size) * VIEW_HALF;
      const o: Vec = [0, 1, 2].map((k) => -3 * forward[k]! + x * right[k]! + y * up[k]!) as Vec;
      const span = throughCube(o, forward);
      if (span) rays.push({ pixel: row * size + col, o, t: span[0], far: span[1] });
    }
  }
  const at = (ray: { o: Vec }, t: number, k: number) => ray.o[k]! + t * forward[k]!;
  const hits: { pixel: number; p: Vec }[] = [];
  for (let step = 0; step < MAX_STEPS && rays.length > 0; step++) {
    const coords = new Float32Array(3 * rays.length);
    rays.forEach((ray, i) => {
      for (let k = 0; k < 3; k++) coords[3 * i + k] = at(ray, ray.t, k);
    });
    const f = renderSiren(spec, layers, coords);
    const next: typeof rays = [];
    rays.forEach((ray, i) => {
      const d = f[i]!;
      if (d < HIT) {
        hits.push({ pixel: ray.pixel, p: [coords[3 * i]!, coords[3 * i + 1]!, coords[3 * i + 2]!] });
        return;
      }
      ray.t += Math.max(MIN_STEP, STEP_FRACTION * d);
      if (ray.t <= ray.far) next.push(ray);
    });
    rays = next;
  }
  shade(spec, layers, hits, image, { forward, right, up });
  return image;
}

/** Lambert shading of the hit points with normals by central differences of f. */
function shade(
  spec: SirenSpec,
  layers: readonly Layer[],
  hits: readonly { pixel: number; p: Vec }[],
  image: Float32Array,
  { forward, right, up }: ReturnType<typeof cameraFrame>,
): void {
  const h = 2e-3;
  const probes = new Float32Array(18 * hits.length);
  hits.forEach(({ p }, i) => {
    for (let axis = 0; axis < 3; axis++) {
      for (const [s, sign] of [
        [0, 1],
        [1, -1],
      ] as const) {
        const base = 18 * i + 6 * axis + 3 * s;
        for (let k = 0; k < 3; k++) probes[base + k] = p[k] + (k === axis ? sign * h : 0);
      }
    }
  });
  const f = renderSiren(spec, layers, probes);
  // A light from behind the camera, a little above and to the right of it.
  const light = normalise([0, 1, 2].map((k) => -forward[k]! + 0.5 * up[k]! + 0.3 * right[k]!) as Vec);
  hits.forEach(({ pixel }, i) => {
    const g: Vec = [f[6 * i]! - f[6 * i + 1]!, f[6 * i + 2]! - f[6 * i + 3]!, f[6 * i + 4]! - f[6 * i + 5]!];
    const length = Math.hypot(...g);
    const n: Vec = length > 0 ? [g[0] / length, g[1] / length, g[2] / length] : [-forward[0], -forward[1], -forward[2]];
    const lambert = Math.max(0, n[0] * light[0] + n[1] * light[1] + n[2] * light[2]);
    image[pixel] = 0.2 + 0.8 * lambert;
  });
}
