/**
 * STL, binary (80-byte header, uint32 triangle count, 50 bytes per triangle: normal, three vertices,
 * attribute) or ASCII (`solid … facet … vertex x y z … endsolid`). A binary file must be exactly as long as
 * its count says. Some exporters write "solid" into binary headers: a file is read as ASCII only when it
 * starts with "solid", has "facet" or "endsolid" in its first 512 bytes and its length does not fit the
 * binary layout. STL repeats vertices per triangle; they are not merged.
 */
import { checkedMesh, checkCount, MeshError, type Mesh } from './mesh';

const HEADER = 84;
const TRIANGLE = 50;

export function parseStl(file: string, bytes: Uint8Array): Mesh {
  const claimed = bytes.length >= HEADER ? new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(80, true) : -1;
  const fitsBinary = claimed >= 0 && bytes.length === HEADER + claimed * TRIANGLE;
  const text = new TextDecoder().decode(bytes.subarray(0, Math.min(bytes.length, 512)));
  if (!fitsBinary && /^\s*solid\b/.test(text) && /\b(facet|endsolid)\b/.test(text)) return parseAsciiStl(file, new TextDecoder().decode(bytes));
  if (claimed < 0) throw new MeshError(file, `${bytes.length} bytes is too short for a binary STL (84-byte header)`);
  checkCount(file, 'faces', claimed);
  if (!fitsBinary) {
    throw new MeshError(
      file,
      `the binary STL claims ${claimed.toLocaleString('en-US')} triangles (${(HEADER + claimed * TRIANGLE).toLocaleString('en-US')} bytes) but the file has ${bytes.length.toLocaleString('en-US')} bytes: truncated or not an STL`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const vertices = new Float32Array(claimed * 9);
  for (let t = 0; t < claimed; t++) {
    for (let k = 0; k < 9; k++) vertices[t * 9 + k] = view.getFloat32(HEADER + t * TRIANGLE + 12 + 4 * k, true);
  }
  return checkedMesh(
    file,
    vertices,
    Uint32Array.from({ length: claimed * 3 }, (_, i) => i),
  );
}

function parseAsciiStl(file: string, text: string): Mesh {
  const vertices: number[] = [];
  for (const match of text.matchAll(/\bvertex\s+(\S+)\s+(\S+)\s+(\S+)/g)) {
    vertices.push(Number(match[1]), Number(match[2]), Number(match[3]));
    checkCount(file, 'vertices', vertices.length / 3);
  }
  if (vertices.length % 9 !== 0) throw new MeshError(file, `${vertices.length / 3} vertices is not a whole number of triangles: truncated?`);
  return checkedMesh(
    file,
    Float32Array.from(vertices),
    Uint32Array.from({ length: vertices.length / 3 }, (_, i) => i),
  );
}
