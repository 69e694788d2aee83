/**
 * How a job script starts wslab on the compute nodes by default: the Node running this process and a
 * `dist/cli.js` bundle, by absolute path (so the nodes need a shared file system, nothing on their
 * PATH). Inside VS Code the process is Electron, which runs as plain Node only with
 * ELECTRON_RUN_AS_NODE=1, so the command sets it.
 */
import type { ShellWord } from './shellQuote';

export function nodeWslabCommand(cliPath: string, versions: NodeJS.ProcessVersions = process.versions, execPath = process.execPath): ShellWord[] {
  return [...(versions.electron ? ['env', 'ELECTRON_RUN_AS_NODE=1'] : []), execPath, cliPath];
}
