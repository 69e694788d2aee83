/**
 * A triangle mesh as the 3-D INR pipeline reads it (issue 22): vertex positions and triangles indexing
 * them, from OBJ, STL or PLY (readMesh.ts). Polygons are split into triangles as fans; every index is
 * checked to lie inside the vertex list and every coordinate to be finite, so code after the readers never
 * meets a broken mesh. MeshError names the file and what is wrong with it.
 */
import { LabError } from '../labError';

export interface Mesh {
  /** x, y, z per vertex. */
  readonly vertices: Float32Array;
  /** Three vertex indices per triangle. */
  readonly triangles: Uint32Array;
}

export class MeshError extends LabError {
  override readonly name = 'MeshError';
  constructor(file: string, problem: string) {
    super('mesh', `${file}: ${problem}`, file);
  }
}

/** The most triangles or vertices a mesh file may claim (a 10⁸-face header is refused before any allocation). */
export const MAX_MESH_ELEMENTS = 20_000_000;

/** A mesh from parsed arrays, checked: finite vertices, indices in range, at least one triangle. */
export function checkedMesh(file: string, vertices: Float32Array, triangles: Uint32Array): Mesh {
  const count = vertices.length / 3;
  for (let i = 0; i < vertices.length; i++) {
    if (!Number.isFinite(vertices[i]!))
      throw new MeshError(file, `vertex ${Math.floor(i / 3) + 1} has a coordinate that is not a finite number (${vertices[i]})`);
  }
  if (triangles.length === 0) throw new MeshError(file, 'the mesh has no faces');
  for (let i = 0; i < triangles.length; i++) {
    if (triangles[i]! >= count)
      throw new MeshError(file, `face ${Math.floor(i / 3) + 1} refers to vertex ${triangles[i]! + 1}, but there are only ${count} vertices`);
  }
  return { vertices, triangles };
}

/** Checks a count a file claims before anything is allocated for it. */
export function checkCount(file: string, what: string, count: number): number {
  if (!Number.isSafeInteger(count) || count < 0) throw new MeshError(file, `the ${what} count ${count} is not a whole number`);
  if (count > MAX_MESH_ELEMENTS)
    throw new MeshError(file, `claims ${count.toLocaleString('en-US')} ${what}; at most ${MAX_MESH_ELEMENTS.toLocaleString('en-US')} are read`);
  return count;
}

/** Splits a polygon (vertex indices, 0-based) into a fan of triangles appended to `out`. */
export function pushFan(out: number[], polygon: readonly number[]): void {
  for (let k = 1; k + 1 < polygon.length; k++) out.push(polygon[0]!, polygon[k]!, polygon[k + 1]!);
}
