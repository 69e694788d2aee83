/**
 * The Slurm tools of a login host, over ssh: `ssh -o BatchMode=yes HOST 'sbatch --parsable'`, each
 * argument quoted for the remote shell, stdin (a job script) passed through. BatchMode makes ssh fail at
 * once instead of asking for a password nobody can type; the host must accept a key (or an agent's).
 * Paths in the commands are this machine's: the workspace must be on a file system the cluster shares.
 */
import { ClusterError } from './errors';
import { runProcess, type RunTool } from './runTool';
import { shellCommand } from './shellQuote';

/** An ssh destination: `host`, `user@host` or an alias of ~/.ssh/config; never an ssh option. */
export function checkLoginHost(host: string): string {
  const trimmed = host.trim();
  if (!/^[A-Za-z0-9_.@:[\]-]+$/.test(trimmed) || trimmed.startsWith('-')) {
    throw new ClusterError(`login host "${host}" is not an ssh destination (host, user@host or an ~/.ssh/config alias)`);
  }
  return trimmed;
}

/** The ssh arguments that run `program args` on `host`. */
export function sshArgs(host: string, program: string, args: readonly string[]): string[] {
  return ['-o', 'BatchMode=yes', '--', checkLoginHost(host), shellCommand([program, ...args])];
}

export function loginHostTool(host: string): RunTool {
  checkLoginHost(host);
  return (program, args, input) =>
    runProcess('ssh', sshArgs(host, program, args), input, `ssh: not found on PATH — install an OpenSSH client to reach the login host ${host}`);
}
