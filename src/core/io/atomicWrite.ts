/**
 * Atomic file writes: data goes to a temporary file in the same folder, is flushed to disk, then
 * renamed over the target. A crash leaves either the old file or the new one, never half of one.
 */
import { open, rename, unlink, mkdir } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { WeightFileError } from '../errors';

export async function writeFileAtomic(path: string, chunks: Iterable<Uint8Array> | Uint8Array): Promise<void> {
  const parts = chunks instanceof Uint8Array ? [chunks] : chunks;
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await mkdir(dir, { recursive: true });
    const handle = await open(temp, 'wx');
    try {
      for (const part of parts) {
        let done = 0;
        while (done < part.byteLength) {
          const { bytesWritten } = await handle.write(part, done, part.byteLength - done);
          done += bytesWritten;
        }
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (e) {
    await unlink(temp).catch(() => undefined);
    if (e instanceof WeightFileError) throw e;
    throw new WeightFileError('io', path, `cannot write: ${(e as Error).message}`);
  }
}
