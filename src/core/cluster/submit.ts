/**
 * Submitting a job script with `sbatch --parsable`, which prints the job id (`123` or `123;cluster`), and
 * cancelling a job with `scancel`.
 */
import { ClusterError } from './errors';
import { checkJobId } from './queryJob';
import { describeFailure, type RunTool } from './runTool';

export function parseSbatchOutput(stdout: string): string {
  const m = /^(\d+)(?:;\S+)?$/.exec(stdout.trim());
  if (!m) throw new ClusterError(`sbatch printed "${stdout.trim()}" where a job id was expected`);
  return m[1]!;
}

/**
 * Submits `scriptPath`; returns the job id. With `scriptText`, the script goes to sbatch on stdin instead
 * of by path (a login host over ssh reads it so, whatever it sees of this machine's files).
 */
export async function submitScript(scriptPath: string, run: RunTool, scriptText?: string): Promise<string> {
  const args = scriptText === undefined ? ['--parsable', scriptPath] : ['--parsable'];
  const result = await run('sbatch', args, scriptText);
  if (result.code !== 0) throw new ClusterError(describeFailure('sbatch', args, result));
  return parseSbatchOutput(result.stdout);
}

/** Cancels every task of job `jobId` (`scancel JOBID`). */
export async function cancelJob(jobId: string, run: RunTool): Promise<void> {
  checkJobId(jobId);
  const result = await run('scancel', [jobId]);
  if (result.code !== 0) throw new ClusterError(describeFailure('scancel', [jobId], result));
}
