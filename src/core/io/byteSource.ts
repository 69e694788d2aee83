/**
 * Random access to the bytes of a weight file. Readers parse headers first and fetch tensor data by
 * byte range on demand, so listing a 1 GiB file reads only its header.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { WeightFileError } from '../errors';

export interface ByteSource {
  /** Shown in every error message. */
  readonly name: string;
  readonly size: number;
  /** Reads exactly `length` bytes at `offset`, or throws a `truncated` WeightFileError. */
  read(offset: number, length: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

export class MemoryByteSource implements ByteSource {
  readonly size: number;
  constructor(
    private readonly bytes: Uint8Array,
    readonly name = '<memory>',
  ) {
    this.size = bytes.byteLength;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    checkRange(this, offset, length);
    return this.bytes.subarray(offset, offset + length);
  }

  async close(): Promise<void> {}
}

export class FileByteSource implements ByteSource {
  private constructor(
    private readonly handle: FileHandle,
    readonly name: string,
    readonly size: number,
  ) {}

  static async open(path: string): Promise<FileByteSource> {
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new WeightFileError(code === 'ENOENT' ? 'not-found' : 'io', path, code === 'ENOENT' ? 'file not found' : `cannot open: ${(e as Error).message}`);
    }
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) throw new WeightFileError('io', path, 'not a regular file');
      return new FileByteSource(handle, path, stat.size);
    } catch (e) {
      await handle.close();
      throw e;
    }
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    checkRange(this, offset, length);
    const buffer = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await this.handle.read(buffer, done, length - done, offset + done);
      if (bytesRead === 0) {
        throw new WeightFileError('truncated', this.name, `file ended at byte ${offset + done} while reading ${length} bytes at ${offset}`);
      }
      done += bytesRead;
    }
    return buffer;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

function checkRange(source: ByteSource, offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
    throw new WeightFileError('out-of-bounds', source.name, `invalid byte range: offset ${offset}, length ${length}`);
  }
  if (offset + length > source.size) {
    throw new WeightFileError('truncated', source.name, `needs bytes ${offset}..${offset + length} but the file has only ${source.size} bytes`);
  }
}
