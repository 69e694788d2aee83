/**
 * Wavefront OBJ: `v x y z` vertices and `f a b c …` polygons (indices 1-based, negative ones count back
 * from the latest vertex, `a/t/n` keeps the vertex index); every other statement is skipped.
 */
import { checkedMesh, checkCount, MeshError, pushFan, type Mesh } from './mesh';

export function parseObj(file: string, text: string): Mesh {
  const vertices: number[] = [];
  const triangles: number[] = [];
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const fields = lines[n]!.trim().split(/\s+/);
    if (fields[0] === 'v') {
      if (fields.length < 4) throw new MeshError(file, `line ${n + 1}: a vertex needs x y z`);
      vertices.push(Number(fields[1]), Number(fields[2]), Number(fields[3]));
      checkCount(file, 'vertices', vertices.length / 3);
    } else if (fields[0] === 'f') {
      if (fields.length < 4) throw new MeshError(file, `line ${n + 1}: a face needs at least 3 vertices`);
      const polygon = fields.slice(1).map((f) => {
        const index = Number(f.split('/')[0]);
        if (!Number.isInteger(index) || index === 0) throw new MeshError(file, `line ${n + 1}: "${f}" is not a vertex index`);
        return index > 0 ? index - 1 : vertices.length / 3 + index;
      });
      if (polygon.some((i) => i < 0)) throw new MeshError(file, `line ${n + 1}: a negative index reaches before the first vertex`);
      pushFan(triangles, polygon);
      checkCount(file, 'faces', triangles.length / 3);
    }
  }
  return checkedMesh(file, Float32Array.from(vertices), Uint32Array.from(triangles));
}
