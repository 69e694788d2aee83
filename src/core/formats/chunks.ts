/**
 * Reading a tensor in pieces: the row-major values of a tensor stored contiguously and uncompressed,
 * decoded to float32 one chunk of whole elements at a time, each chunk its own byte-range read. What the
 * readers' optional `readTensorChunks` returns, so statistics of a 1 GiB tensor need only a chunk's memory;
 * and any reader's tensor as TensorChunks, passes over it that read it in pieces where it can.
 */
import { DTYPE_BYTES, decodeToFloat32, elementCount, type DType } from '../tensor/dtype';
import { CHUNK_ELEMENTS, type TensorChunks } from '../weights/tensorChunks';
import type { WeightFileReader } from './format';

/** Reads `length` bytes at `offset`, counted from the first byte of the tensor's data. */
export type ReadBytes = (offset: number, length: number) => Promise<Uint8Array>;

export interface ChunkedLayout {
  readonly dtype: DType;
  /** Elements in the tensor. */
  readonly count: number;
  readonly littleEndian: boolean;
}

/**
 * Yields the tensor's `count` values in order, `chunkElements` at a time (the last chunk may be shorter;
 * a tensor of no elements yields nothing). Chunks are for reading only: one may share memory with the
 * source's bytes. `onBytes` sees each chunk's raw bytes, for checksums.
 */
export async function* decodedChunks(
  read: ReadBytes,
  layout: ChunkedLayout,
  chunkElements: number,
  onBytes?: (bytes: Uint8Array) => void,
): AsyncGenerator<Float32Array> {
  if (!Number.isSafeInteger(chunkElements) || chunkElements < 1) throw new RangeError(`chunkElements must be a positive integer, got ${chunkElements}`);
  const size = DTYPE_BYTES[layout.dtype];
  for (let start = 0; start < layout.count; start += chunkElements) {
    const n = Math.min(chunkElements, layout.count - start);
    const bytes = await read(start * size, n * size);
    onBytes?.(bytes);
    // Little-endian float32 read into an aligned buffer is used as it is: no second copy per chunk.
    const direct = layout.dtype === 'F32' && layout.littleEndian && bytes.byteOffset % 4 === 0;
    yield direct ? new Float32Array(bytes.buffer, bytes.byteOffset, n) : decodeToFloat32(bytes, layout.dtype, n, layout.littleEndian);
  }
}

/**
 * The chunks of tensor `name` of `reader`. With `rowLength`, a chunk holds whole rows of that many values
 * whenever one row fits in CHUNK_ELEMENTS (otherwise rows are split; consumers index by `start`).
 * Throws the reader's `no-such-tensor` for unknown names.
 */
export function readTensorChunks(reader: WeightFileReader, name: string, rowLength = 1, chunkElements = CHUNK_ELEMENTS): TensorChunks {
  const info = reader.tensors.find((t) => t.name === name);
  const perChunk = rowLength >= 1 && rowLength <= chunkElements ? Math.floor(chunkElements / rowLength) * rowLength : chunkElements;
  // Asked once, so an unknown name fails here, before any pass.
  const streamable = reader.readTensorChunks?.(name, perChunk) ?? null;
  if (!info || !streamable) {
    let whole: Promise<Float32Array> | undefined;
    return { count: info ? elementCount(info.shape) : 0, forEach: async (visit) => visit(await (whole ??= reader.readTensor(name)), 0) };
  }
  let fresh: AsyncIterable<Float32Array> | null = streamable;
  return {
    count: elementCount(info.shape),
    async forEach(visit) {
      const chunks = fresh ?? reader.readTensorChunks!(name, perChunk)!;
      fresh = null;
      let start = 0;
      for await (const chunk of chunks) {
        visit(chunk, start);
        start += chunk.length;
      }
    },
  };
}
