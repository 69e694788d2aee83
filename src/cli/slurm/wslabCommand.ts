/**
 * How a job script starts wslab on the compute nodes: by default this very program — the absolute path
 * of the running `node` and of this checkout's `dist/cli.js` — so the nodes run the same build without
 * anything on their PATH; `--wslab CMD` replaces it with a command of your own (shell text, e.g.
 * `wslab` or `apptainer exec wslab.sif wslab`).
 */
import { resolve } from 'node:path';
import type { ShellWord } from '../../core/cluster/shellQuote';
import { nodeWslabCommand } from '../../core/cluster/wslabCommand';
import { UsageError } from '../command';

/** dist/cli.js of this checkout: this file when running as the bundle, else found from the sources (tests run them with tsx). */
export function cliBundlePath(): string {
  return __filename.endsWith('.js') ? __filename : resolve(__dirname, '..', '..', '..', 'dist', 'cli.js');
}

export function wslabCommand(custom: string | undefined): ShellWord[] {
  if (custom === undefined) return nodeWslabCommand(cliBundlePath());
  if (custom.trim() === '' || /[\n\r]/.test(custom)) throw new UsageError(`--wslab must be a one-line command, got ${JSON.stringify(custom)}`);
  return [{ shell: custom.trim() }];
}
