/** Reads a mesh file by its extension (.obj, .stl, .ply); MeshError names the file and the problem. */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { MeshError, type Mesh } from './mesh';
import { parseObj } from './readObj';
import { parsePly } from './readPly';
import { parseStl } from './readStl';

export const MESH_EXTENSIONS = ['.obj', '.stl', '.ply'] as const;

export async function readMesh(file: string): Promise<Mesh> {
  const extension = extname(file).toLowerCase();
  if (!(MESH_EXTENSIONS as readonly string[]).includes(extension)) throw new MeshError(file, `not a mesh file (${MESH_EXTENSIONS.join(', ')})`);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new MeshError(file, `cannot be read: ${(e as Error).message}`);
  }
  if (extension === '.obj') return parseObj(file, new TextDecoder().decode(bytes));
  if (extension === '.stl') return parseStl(file, bytes);
  return parsePly(file, bytes);
}
