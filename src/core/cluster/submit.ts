/** Submitting a job script with `sbatch --parsable`, which prints the job id (`123` or `123;cluster`). */
import { ClusterError } from './errors';
import { describeFailure, type RunTool } from './runTool';

export function parseSbatchOutput(stdout: string): string {
  const m = /^(\d+)(?:;\S+)?$/.exec(stdout.trim());
  if (!m) throw new ClusterError(`sbatch printed "${stdout.trim()}" where a job id was expected`);
  return m[1]!;
}

/** Submits `scriptPath`; returns the job id. */
export async function submitScript(scriptPath: string, run: RunTool): Promise<string> {
  const args = ['--parsable', scriptPath];
  const result = await run('sbatch', args);
  if (result.code !== 0) throw new ClusterError(describeFailure('sbatch', args, result));
  return parseSbatchOutput(result.stdout);
}
