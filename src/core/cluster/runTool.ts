/**
 * Running the Slurm command-line tools (sbatch, squeue, sacct, scancel). Everything that talks to Slurm
 * takes a RunTool, so tests can answer in Slurm's place; `execTool` runs them from PATH, `loginHostTool`
 * (sshTool.ts) on a login host over ssh.
 */
import { execFile } from 'node:child_process';
import { ClusterError } from './errors';

export interface ToolResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `program args`; `input`, when given, is written to its stdin (e.g. a job script for sbatch). */
export type RunTool = (program: string, args: readonly string[], input?: string) => Promise<ToolResult>;

const TIMEOUT_MS = 120_000;

/**
 * Runs `file args` with `input` (or nothing) on stdin and resolves with its exit code and output; a
 * program that is not installed rejects with a ClusterError saying `notFound`.
 */
export function runProcess(file: string, args: readonly string[], input: string | undefined, notFound: string): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, [...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: TIMEOUT_MS }, (error, stdout, stderr) => {
      if (!error) return resolve({ code: 0, stdout, stderr });
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'number') return resolve({ code, stdout, stderr });
      if (code === 'ENOENT') return reject(new ClusterError(notFound));
      return reject(new ClusterError(`${file}: ${error.killed ? `killed after ${TIMEOUT_MS / 1000} s` : `cannot run (${error.message})`}`));
    });
    // A program that does not read its stdin may close it first: that is no error.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input ?? '');
  });
}

/** Runs a program found on PATH; a program that is not installed is a ClusterError naming it. */
export const execTool: RunTool = (program, args, input) =>
  runProcess(program, args, input, `${program}: not found on PATH — run this on a machine with the Slurm client tools (a login node)`);

/** The one-line description of a failed tool run, for error messages. */
export function describeFailure(program: string, args: readonly string[], result: ToolResult): string {
  const said = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-5).join(' / ');
  return `${program} ${args.join(' ')} exited with ${result.code}${said ? `: ${said}` : ''}`;
}
