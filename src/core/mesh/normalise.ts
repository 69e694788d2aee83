/**
 * Places a mesh in the INR's cube: centred at its bounding-box centre and scaled uniformly so that its
 * longest bounding-box side spans [−0.9, 0.9]. INR coordinates = (mesh coordinates − centre) · scale; the
 * returned `centre` and `scale` are what a manifest item records to go back.
 */
import { MeshError, type Mesh } from './mesh';

export const NORMALISED_HALF_SIDE = 0.9;

export interface MeshPlacement {
  readonly centre: readonly [number, number, number];
  readonly scale: number;
}

export function normaliseMesh(file: string, mesh: Mesh): { mesh: Mesh; placement: MeshPlacement } {
  const v = mesh.vertices;
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (const i of mesh.triangles) {
    for (let k = 0; k < 3; k++) {
      lo[k] = Math.min(lo[k]!, v[i * 3 + k]!);
      hi[k] = Math.max(hi[k]!, v[i * 3 + k]!);
    }
  }
  const side = Math.max(hi[0]! - lo[0]!, hi[1]! - lo[1]!, hi[2]! - lo[2]!);
  if (!(side > 0)) throw new MeshError(file, 'the faces span no volume (every vertex at one point)');
  const centre = [0, 1, 2].map((k) => (lo[k]! + hi[k]!) / 2) as [number, number, number];
  const scale = (2 * NORMALISED_HALF_SIDE) / side;
  const vertices = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) vertices[i] = (v[i]! - centre[i % 3]!) * scale;
  return { mesh: { vertices, triangles: mesh.triangles }, placement: { centre, scale } };
}
