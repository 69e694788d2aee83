/**
 * PLY (ascii, binary_little_endian, binary_big_endian): the `vertex` element's x, y, z and the `face`
 * element's vertex index list (`vertex_indices` or `vertex_index`); other properties and elements are read
 * past. Counts in the header are checked before anything is allocated; a body shorter than the header
 * promises is refused as truncated.
 */
import { checkedMesh, checkCount, MeshError, pushFan, type Mesh } from './mesh';

const SIZES: Readonly<Record<string, number>> = {
  char: 1,
  uchar: 1,
  int8: 1,
  uint8: 1,
  short: 2,
  ushort: 2,
  int16: 2,
  uint16: 2,
  int: 4,
  uint: 4,
  int32: 4,
  uint32: 4,
  float: 4,
  float32: 4,
  double: 8,
  float64: 8,
};

interface Property {
  readonly name: string;
  readonly type: string;
  /** For a list: the type of its length. */
  readonly countType?: string;
}

interface Element {
  readonly name: string;
  readonly count: number;
  readonly properties: Property[];
}

export function parsePly(file: string, bytes: Uint8Array): Mesh {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, Math.min(bytes.length, 65_536)));
  const end = head.search(/end_header\r?\n/);
  if (!head.startsWith('ply') || end < 0) throw new MeshError(file, 'not a PLY file (no "ply" … "end_header")');
  const headerLength = end + head.slice(end).indexOf('\n') + 1;
  let format = '';
  const elements: Element[] = [];
  for (const line of head.slice(0, end).split(/\r?\n/)) {
    const f = line.trim().split(/\s+/);
    if (f[0] === 'format') format = f[1] ?? '';
    else if (f[0] === 'element') elements.push({ name: f[1] ?? '', count: checkCount(file, f[1] ?? 'element', Number(f[2])), properties: [] });
    else if (f[0] === 'property') {
      const element = elements.at(-1);
      if (!element) throw new MeshError(file, 'a property before any element');
      const property: Property = f[1] === 'list' ? { name: f[4] ?? '', type: f[3] ?? '', countType: f[2] ?? '' } : { name: f[2] ?? '', type: f[1] ?? '' };
      for (const type of [property.type, property.countType].filter((t): t is string => t !== undefined)) {
        if (!(type in SIZES)) throw new MeshError(file, `property ${property.name}: unknown type "${type}"`);
      }
      element.properties.push(property);
    }
  }
  if (!['ascii', 'binary_little_endian', 'binary_big_endian'].includes(format)) throw new MeshError(file, `unsupported PLY format "${format}"`);
  const vertexElement = elements.find((e) => e.name === 'vertex');
  const faceElement = elements.find((e) => e.name === 'face');
  if (!vertexElement || !faceElement) throw new MeshError(file, 'a mesh needs a vertex and a face element');
  const axes = ['x', 'y', 'z'].map((axis) => vertexElement.properties.findIndex((p) => p.name === axis && !p.countType));
  if (axes.some((i) => i < 0)) throw new MeshError(file, 'the vertex element needs x, y and z properties');
  const indexProperty = faceElement.properties.findIndex((p) => p.countType && (p.name === 'vertex_indices' || p.name === 'vertex_index'));
  if (indexProperty < 0) throw new MeshError(file, 'the face element has no vertex_indices list');

  const reader =
    format === 'ascii' ? asciiReader(file, bytes.subarray(headerLength)) : binaryReader(file, bytes, headerLength, format === 'binary_little_endian');
  const vertices = new Float32Array(vertexElement.count * 3);
  const triangles: number[] = [];
  for (const element of elements) {
    for (let r = 0; r < element.count; r++) {
      const values = element.properties.map((p) =>
        p.countType ? Array.from({ length: reader.next(p.countType) }, () => reader.next(p.type)) : reader.next(p.type),
      );
      if (element === vertexElement) axes.forEach((a, k) => (vertices[r * 3 + k] = values[a] as number));
      else if (element === faceElement) {
        const polygon = values[indexProperty] as number[];
        if (polygon.length < 3) throw new MeshError(file, `face ${r + 1} has ${polygon.length} vertices`);
        pushFan(triangles, polygon);
        checkCount(file, 'faces', triangles.length / 3);
      }
      reader.endRow?.();
    }
  }
  if (triangles.some((i) => i < 0 || !Number.isInteger(i))) throw new MeshError(file, 'a face refers to a negative vertex index');
  return checkedMesh(file, vertices, Uint32Array.from(triangles));
}

interface Reader {
  next(type: string): number;
  endRow?(): void;
}

function asciiReader(file: string, body: Uint8Array): Reader {
  const tokens = new TextDecoder('latin1')
    .decode(body)
    .split(/\s+/)
    .filter((t) => t.length > 0);
  let at = 0;
  return {
    next: () => {
      if (at >= tokens.length) throw new MeshError(file, 'the body ends before the header’s counts are read: truncated');
      return Number(tokens[at++]);
    },
  };
}

function binaryReader(file: string, bytes: Uint8Array, start: number, little: boolean): Reader {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = start;
  return {
    next: (type) => {
      const size = SIZES[type]!;
      if (at + size > bytes.length) throw new MeshError(file, 'the body ends before the header’s counts are read: truncated');
      const offset = at;
      at += size;
      switch (type) {
        case 'char':
        case 'int8':
          return view.getInt8(offset);
        case 'uchar':
        case 'uint8':
          return view.getUint8(offset);
        case 'short':
        case 'int16':
          return view.getInt16(offset, little);
        case 'ushort':
        case 'uint16':
          return view.getUint16(offset, little);
        case 'int':
        case 'int32':
          return view.getInt32(offset, little);
        case 'uint':
        case 'uint32':
          return view.getUint32(offset, little);
        case 'float':
        case 'float32':
          return view.getFloat32(offset, little);
        default:
          return view.getFloat64(offset, little);
      }
    },
  };
}
