/**
 * Path containment: resolves a path that came from outside (a webview message, a command argument, an
 * experiment config, a dataset manifest) against a root folder, following symbolic links, and refuses it
 * with a typed error when the real location is outside the root. Files that do not exist yet are
 * resolved through their deepest existing ancestor, so a symlinked folder on the way still counts.
 *
 * Use the returned path, not the one given: `..` is normalised before links are followed, so only the
 * returned real path is guaranteed to be the one that was checked.
 */
import { lstat, realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { LabError } from '../labError';

export type UnsafePathReason =
  | 'outside-root' // the real path is not the root or below it (`..`, an absolute path, a symlink out)
  | 'absolute' // an absolute path where only relative ones are allowed (e.g. a manifest entry)
  | 'nul-byte' // the path contains a NUL character
  | 'too-long' // the path or one of its names is longer than the file system allows
  | 'dangling-link' // a symbolic link whose target does not exist (writing through it would create the target)
  | 'link-loop' // symbolic links that point at each other
  | 'no-root' // the root itself does not exist or cannot be resolved
  | 'unreadable'; // the operating system refused to resolve it (e.g. permission denied)

export class UnsafePathError extends LabError {
  override readonly name = 'UnsafePathError';
  constructor(
    readonly reason: UnsafePathReason,
    /** The path as given. */
    readonly path: string,
    readonly root: string,
    detail: string,
  ) {
    super('unsafe-path', `${printable(path)}: refused, ${detail}`);
  }
}

export interface InsideRootOptions {
  /** What the path is, for the message (e.g. 'the dataset path in exp.wslab.json'). */
  readonly what?: string;
  /** Whether an absolute path (inside the root) is accepted; default true. */
  readonly allowAbsolute?: boolean;
}

/** Longest path and longest single name accepted (Linux PATH_MAX and NAME_MAX, in UTF-8 bytes). */
const MAX_PATH_BYTES = 4096;
const MAX_NAME_BYTES = 255;

/** The real absolute path of `path` (relative paths are taken from `root`), refused unless inside `root`. */
export async function resolveInsideRoot(root: string, path: string, options: InsideRootOptions = {}): Promise<string> {
  const what = options.what ?? 'path';
  const refuse = (reason: UnsafePathReason, detail: string) => new UnsafePathError(reason, path, root, `${what} ${detail}`);
  if (typeof path !== 'string' || path.length === 0) throw refuse('outside-root', 'is empty');
  if (path.includes('\0') || root.includes('\0')) throw refuse('nul-byte', 'contains a NUL byte');
  if (Buffer.byteLength(path) > MAX_PATH_BYTES) throw refuse('too-long', `is longer than ${MAX_PATH_BYTES} bytes`);
  const longName = path.split(/[\\/]/).find((name) => Buffer.byteLength(name) > MAX_NAME_BYTES);
  if (longName !== undefined) throw refuse('too-long', `has a name longer than ${MAX_NAME_BYTES} bytes (${printable(longName.slice(0, 20))}…)`);
  if (isAbsolute(path) && options.allowAbsolute === false) throw refuse('absolute', `must be relative to ${root}, not absolute`);

  let realRoot: string;
  try {
    realRoot = await realpath(root);
  } catch (e) {
    throw refuse('no-root', `cannot be checked: its root ${root} cannot be resolved (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const real = await realpathOfDeepest(resolve(realRoot, path), refuse);
  if (real !== realRoot && !real.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep)) {
    throw refuse('outside-root', `is outside ${realRoot} (it resolves to ${real})`);
  }
  return real;
}

/** Whether `path` resolves inside `root` (no error, for filters). */
export async function isInsideRoot(root: string, path: string, options: InsideRootOptions = {}): Promise<boolean> {
  return resolveInsideRoot(root, path, options).then(
    () => true,
    (e) => {
      if (e instanceof UnsafePathError) return false;
      throw e;
    },
  );
}

/** realpath of the deepest existing ancestor, with the names below it appended. */
async function realpathOfDeepest(absolute: string, refuse: (reason: UnsafePathReason, detail: string) => UnsafePathError): Promise<string> {
  const below: string[] = [];
  let current = absolute;
  for (;;) {
    try {
      const real = await realpath(current);
      return below.length ? join(real, ...below.reverse()) : real;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ELOOP') throw refuse('link-loop', `goes through a loop of symbolic links at ${current}`);
      if (code === 'ENAMETOOLONG') throw refuse('too-long', 'is longer than the file system allows');
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw refuse('unreadable', `cannot be resolved at ${current} (${code ?? (e as Error).message})`);
      if (
        await lstat(current).then(
          (s) => s.isSymbolicLink(),
          () => false,
        )
      ) {
        throw refuse('dangling-link', `goes through ${current}, a symbolic link to something that does not exist`);
      }
      const parent = dirname(current);
      if (parent === current) throw refuse('unreadable', 'has no existing ancestor');
      below.push(basename(current));
      current = parent;
    }
  }
}

/** The path with control characters escaped, so a hostile name cannot forge lines in a message. */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what it replaces
  return String(text).replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
