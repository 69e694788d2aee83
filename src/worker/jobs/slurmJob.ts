/**
 * The worker's Slurm submissions ("Submit to Slurm…" in the extension): prepare the job array with the
 * core code `wslab slurm generate|sweep` uses (open the images and plan the shards, or validate every
 * sweep point's config), write the script and the job record, and submit with sbatch — on PATH, or on a
 * login host over ssh with the script on stdin. The result carries the job id.
 */
import { join } from 'node:path';
import { prepareGenerateArray } from '../../core/cluster/generateArray';
import { submitPreparedJob, type PreparedJob } from '../../core/cluster/preparedJob';
import { execTool } from '../../core/cluster/runTool';
import type { ShellWord } from '../../core/cluster/shellQuote';
import { loginHostTool } from '../../core/cluster/sshTool';
import { prepareSweepArray } from '../../core/cluster/sweepArray';
import { parseGridAxis } from '../../core/cluster/sweepPlan';
import { nodeWslabCommand } from '../../core/cluster/wslabCommand';
import type { JobResult, SlurmGenerateJob, SlurmSweepJob, SlurmTarget } from '../../protocol/worker';
import { distFile } from '../../core/io/bundledWorker';
import type { JobContext } from '../jobContext';

function arrayOptions(slurm: SlurmTarget): { wslab: ShellWord[]; workdir: string; cpusPerTask: number; directives: string[]; requeue: boolean } {
  return {
    wslab: slurm.wslab === null ? nodeWslabCommand(distFile('cli.js')) : [{ shell: slurm.wslab }],
    workdir: slurm.workdir,
    cpusPerTask: slurm.cpusPerTask,
    directives: [...slurm.sbatchOptions],
    requeue: true,
  };
}

async function submit(job: PreparedJob, slurm: SlurmTarget, context: JobContext): Promise<{ jobId: string }> {
  if (context.signal.aborted) throw context.signal.reason ?? new Error('cancelled');
  context.log(`${job.record.script}: ${job.what}`);
  const run = slurm.loginHost === null ? execTool : loginHostTool(slurm.loginHost);
  const record = await submitPreparedJob(job, run, { scriptOnStdin: slurm.loginHost !== null });
  context.log(`submitted job ${record.jobId}${slurm.loginHost === null ? '' : ` on ${slurm.loginHost}`}; record: ${join(record.out, 'slurm', 'job.json')}`);
  return { jobId: record.jobId! };
}

export async function slurmGenerateJob(job: SlurmGenerateJob, context: JobContext): Promise<JobResult> {
  const g = job.generate;
  context.started('slurm', `planning ${g.out} as a job array`);
  const prepared = await prepareGenerateArray({ ...arrayOptions(job.slurm), request: g, tasks: job.tasks ?? undefined });
  const { jobId } = await submit(prepared, job.slurm, context);
  return { kind: 'slurmGenerate', jobId, out: g.out, tasks: prepared.record.tasks, what: prepared.what };
}

export async function slurmSweepJob(job: SlurmSweepJob, context: JobContext): Promise<JobResult> {
  context.started('slurm', `validating the sweep of ${job.config}`);
  const prepared = await prepareSweepArray({
    ...arrayOptions(job.slurm),
    config: job.config,
    runs: job.runs,
    axes: job.grid.map(parseGridAxis),
    seeds: job.seeds ?? undefined,
    runName: job.runName ?? undefined,
  });
  const { jobId } = await submit(prepared, job.slurm, context);
  return { kind: 'slurmSweep', jobId, out: job.runs, tasks: prepared.record.tasks, what: prepared.what };
}
