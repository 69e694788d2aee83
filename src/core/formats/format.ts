/**
 * The contract every weight-file format implements. Opening a file parses only its header; tensor
 * data is read lazily, one tensor at a time, by byte range.
 */
import type { ByteSource } from '../io/byteSource';
import type { DType } from '../tensor/dtype';
import type { Metadata, WeightSet } from '../weights/weightSet';

import type { FormatName } from './formatName';

export type { FormatName };

export interface TensorInfo {
  readonly name: string;
  readonly dtype: DType;
  /** Row-major shape, as the producer meant it (Fortran-order npy files report their logical shape). */
  readonly shape: readonly number[];
}

export interface WeightFileReader {
  /** The file name used in error messages. */
  readonly file: string;
  readonly format: FormatName;
  readonly metadata: Metadata;
  /** In file order. Listing them reads no tensor data. */
  readonly tensors: readonly TensorInfo[];
  /** Reads and decodes one tensor to float32, row-major. Throws `no-such-tensor` for unknown names. */
  readTensor(name: string): Promise<Float32Array>;
  /**
   * Optional: the same values as readTensor, row-major, as consecutive chunks of `chunkElements`
   * elements (the last may be shorter), each read by byte range as it is consumed, so memory stays
   * bounded whatever the tensor's size (chunks.ts). Null when this tensor cannot be read in pieces
   * (a deflated entry, Fortran order, a strided view): use readTensor. Throws `no-such-tensor` for
   * unknown names; a checksum the format keeps is checked when the last chunk has been read.
   */
  readTensorChunks?(name: string, chunkElements: number): AsyncIterable<Float32Array> | null;
  close(): Promise<void>;
}

export interface WriteOptions {
  /** Element type to store. Default F32; F16 rounds to nearest even. Not every format takes F16. */
  readonly dtype?: 'F32' | 'F16';
}

export interface WeightFormat {
  readonly name: FormatName;
  /** Lower-case file extensions including the dot, e.g. ['.pt', '.pth']. */
  readonly extensions: readonly string[];
  /** True when the first bytes of a file (up to 64) look like this format. */
  sniff(head: Uint8Array): boolean;
  /** Parses the header of `source`; errors are WeightFileErrors naming `source.name`. */
  open(source: ByteSource): Promise<WeightFileReader>;
  /** Serialises a whole WeightSet as a list of byte chunks (concatenated, they are the file). */
  encode(set: WeightSet, file: string, options?: WriteOptions): Uint8Array[];
}
