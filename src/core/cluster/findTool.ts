/**
 * Whether a program is on PATH, found without running it (a few stat calls): how the extension tells
 * that this machine can submit to Slurm (`sbatch` on PATH) without slowing its activation.
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

/** The first executable `program` in the folders of `path` (a PATH value), or undefined. */
export async function findOnPath(program: string, path: string | undefined = process.env.PATH): Promise<string | undefined> {
  for (const dir of (path ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, program);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}
