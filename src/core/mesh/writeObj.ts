/** A mesh as Wavefront OBJ text: `v x y z` per vertex, `f a b c` per triangle (1-based), after `# comment` lines. */
import type { Mesh } from './mesh';

export function meshToObj(mesh: Mesh, comments: readonly string[] = []): string {
  const lines = comments.map((c) => `# ${c}`);
  const v = mesh.vertices;
  for (let i = 0; i < v.length; i += 3) lines.push(`v ${v[i]} ${v[i + 1]} ${v[i + 2]}`);
  const f = mesh.triangles;
  for (let t = 0; t < f.length; t += 3) lines.push(`f ${f[t]! + 1} ${f[t + 1]! + 1} ${f[t + 2]! + 1}`);
  return `${lines.join('\n')}\n`;
}
