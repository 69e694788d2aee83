/**
 * How a job script starts wslab on the compute nodes: by default this very program — the absolute path
 * of the running `node` and of this checkout's `dist/cli.js` — so the nodes run the same build without
 * anything on their PATH; `--wslab CMD` replaces it with a command of your own (shell text, e.g.
 * `wslab` or `apptainer exec wslab.sif wslab`).
 */
import type { ShellWord } from '../../core/cluster/shellQuote';
import { nodeWslabCommand } from '../../core/cluster/wslabCommand';
import { distFile } from '../../core/io/bundledWorker';
import { UsageError } from '../command';

/** The command a job's tasks start wslab with: `custom` (one line of shell), else node and this package's dist/cli.js. */
export function wslabCommand(custom: string | undefined): ShellWord[] {
  if (custom === undefined) return nodeWslabCommand(distFile('cli.js'));
  if (custom.trim() === '' || /[\n\r]/.test(custom)) throw new UsageError(`--wslab must be a one-line command, got ${JSON.stringify(custom)}`);
  return [{ shell: custom.trim() }];
}
