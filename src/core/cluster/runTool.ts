/**
 * Running the Slurm command-line tools (sbatch, squeue, sacct). Everything that talks to Slurm takes a
 * RunTool, so tests can answer in Slurm's place; `execTool` is the real one.
 */
import { execFile } from 'node:child_process';
import { ClusterError } from './errors';

export interface ToolResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export type RunTool = (program: string, args: readonly string[]) => Promise<ToolResult>;

/** Runs a program found on PATH; a program that is not installed is a ClusterError naming it. */
export const execTool: RunTool = (program, args) =>
  new Promise((resolve, reject) => {
    execFile(program, [...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 120_000 }, (error, stdout, stderr) => {
      if (!error) return resolve({ code: 0, stdout, stderr });
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'number') return resolve({ code, stdout, stderr });
      if (code === 'ENOENT') return reject(new ClusterError(`${program}: not found on PATH — run this on a machine with the Slurm client tools (a login node)`));
      return reject(new ClusterError(`${program}: ${error.killed ? 'killed after 120 s' : `cannot run (${error.message})`}`));
    });
  });

/** The one-line description of a failed tool run, for error messages. */
export function describeFailure(program: string, args: readonly string[], result: ToolResult): string {
  const said = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-5).join(' / ');
  return `${program} ${args.join(' ')} exited with ${result.code}${said ? `: ${said}` : ''}`;
}
