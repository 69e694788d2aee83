/**
 * A tensor's values visited in bounded chunks, pass after pass: what the inspector's statistics,
 * histogram, heatmap and norms run over, so that their memory does not grow with the tensor. A tensor
 * whose reader can read it in pieces (WeightFileReader.readTensorChunks) is read again for every pass,
 * CHUNK_ELEMENTS values (16 MiB of float32) at a time; any other — a deflated npz member, a
 * Fortran-order array, a strided view — is read whole once by readTensor and visited as one chunk
 * (readTensorChunks in src/core/formats/chunks.ts). No imports: the browser-side type check reads this.
 */
/** Values per chunk: 16 MiB of float32 (plus the raw bytes they were decoded from). */
export const CHUNK_ELEMENTS = 2 ** 22;

export interface TensorChunks {
  /** Elements in the tensor. */
  readonly count: number;
  /** Calls `visit` with consecutive row-major chunks; `start` is the flat index of each chunk's first value. */
  forEach(visit: (chunk: Float32Array, start: number) => void): Promise<void>;
}
