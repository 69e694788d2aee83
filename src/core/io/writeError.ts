/**
 * What a failed write means, in words a researcher can act on: the operating system's error code
 * (ENOSPC, EACCES, …) becomes a FileWriteError — a WeightFileError with code 'io' — whose message names
 * the file and says "disk full", "permission denied", "read-only file system" or "a file is in the way".
 */
import { WeightFileError } from '../errors';

export type WriteFailureReason = 'disk-full' | 'permission-denied' | 'read-only' | 'not-a-folder' | 'other';

const REASONS: Record<string, { reason: WriteFailureReason; words: string }> = {
  ENOSPC: { reason: 'disk-full', words: 'disk full' },
  EDQUOT: { reason: 'disk-full', words: 'disk full (quota exceeded)' },
  EFBIG: { reason: 'disk-full', words: 'file too large for the file system' },
  EACCES: { reason: 'permission-denied', words: 'permission denied' },
  EPERM: { reason: 'permission-denied', words: 'permission denied (operation not permitted)' },
  EROFS: { reason: 'read-only', words: 'read-only file system' },
  ENOTDIR: { reason: 'not-a-folder', words: 'a file is in the way where a folder is expected' },
  EEXIST: { reason: 'not-a-folder', words: 'a file is in the way where a folder is expected' },
  EISDIR: { reason: 'not-a-folder', words: 'a folder is in the way where a file is expected' },
};

export class FileWriteError extends WeightFileError {
  constructor(
    file: string,
    readonly reason: WriteFailureReason,
    /** The operating system's code (ENOSPC, …), when there was one. */
    readonly osCode: string | undefined,
    detail: string,
  ) {
    super('io', file, detail);
  }
}

/** The FileWriteError for `error` (thrown while writing `file`); `outcome` says what was left, e.g. 'the file was not changed'. */
export function writeFailure(file: string, error: unknown, outcome: string): FileWriteError {
  const osCode = (error as NodeJS.ErrnoException)?.code;
  const known = osCode ? REASONS[osCode] : undefined;
  const words = known ? `${known.words} (${osCode})` : `${(error as Error)?.message ?? String(error)}`;
  return new FileWriteError(file, known?.reason ?? 'other', osCode, `cannot write: ${words}; ${outcome}`);
}
