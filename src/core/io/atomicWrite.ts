/**
 * Atomic file writes: data goes to a temporary file in the same folder (`.NAME.<hex>.tmp`), is flushed
 * to disk, then renamed over the target. A crash leaves either the old file or the new one, never half
 * of one; a failed write (disk full, permission denied, …) removes its temporary file, leaves the old
 * file as it was, and throws a FileWriteError that names the file and says what went wrong.
 */
import * as fs from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { WeightFileError } from '../errors';
import { writeFailure } from './writeError';

/** The file-system calls an atomic write makes; tests pass one that fails on purpose. */
export interface AtomicWriteFs {
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
  open(
    path: string,
    flags: 'wx',
  ): Promise<{ write(buffer: Uint8Array, offset: number, length: number): Promise<{ bytesWritten: number }>; sync(): Promise<void>; close(): Promise<void> }>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
}

const nodeFs: AtomicWriteFs = fs;

/** Whether a file name is one of writeFileAtomic's temporary files (left only by a crash mid-write). */
export function isAtomicTempName(name: string): boolean {
  return /^\..+\.[0-9a-f]{12}\.tmp$/.test(name);
}

export async function writeFileAtomic(path: string, chunks: Iterable<Uint8Array> | Uint8Array, io: AtomicWriteFs = nodeFs): Promise<void> {
  const parts = chunks instanceof Uint8Array ? [chunks] : chunks;
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await io.mkdir(dir, { recursive: true });
    const handle = await io.open(temp, 'wx');
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
    await io.rename(temp, path);
  } catch (e) {
    await io.unlink(temp).catch(() => undefined);
    if (e instanceof WeightFileError) throw e;
    throw writeFailure(path, e, 'the file was not changed');
  }
}

/** The file a temporary file of writeFileAtomic was going to become (its name without dot and suffix). */
export function atomicTempTarget(name: string): string | undefined {
  return isAtomicTempName(name) ? name.slice(1, name.length - '.0123456789ab.tmp'.length) : undefined;
}

/**
 * Removes the temporary files a killed writer left in `dir` for the given target names (every one when
 * `targets` is omitted). Only for folders whose targets no other live process writes (a rerun owns them).
 */
export async function removeStaleTempFiles(dir: string, targets?: ReadonlySet<string>): Promise<string[]> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const stale = names.filter((name) => {
    const target = atomicTempTarget(name);
    return target !== undefined && (targets === undefined || targets.has(target));
  });
  await Promise.all(stale.map((name) => fs.unlink(join(dir, name)).catch(() => undefined)));
  return stale;
}
