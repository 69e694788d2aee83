/**
 * Part of `npm run test:slurm`: the extension's "Submit to Slurm…" path on the real cluster, in Node
 * (no VS Code): the worker's submission job (src/worker/jobs/slurmJob.ts: core prepareSweepArray +
 * submitPreparedJob) submits one training run of CONFIG into RUNS, then the Experiments view's poller
 * (src/extension/tree/slurmJobs.ts, core recordStatus through squeue/sacct) follows the job until it
 * ends; the job must end done, and its tree node say so.
 *
 *   node --import tsx scripts/slurm/extension-submit.ts CONFIG RUNS TIMEOUT_S
 */
import { join } from 'node:path';
import { recordStatus } from '../../src/core/cluster/recordStatus';
import { execTool } from '../../src/core/cluster/runTool';
import { findWorkspaceJobs } from '../../src/core/cluster/workspaceJobs';
import { slurmJobNode } from '../../src/extension/tree/slurmJobNodes';
import { SlurmJobs } from '../../src/extension/tree/slurmJobs';
import { slurmSweepJob } from '../../src/worker/jobs/slurmJob';

async function main(): Promise<void> {
  const [config, runs, timeoutText] = process.argv.slice(2);
  if (!config || !runs || !timeoutText) throw new Error('usage: extension-submit.ts CONFIG RUNS TIMEOUT_S');
  const context = { signal: new AbortController().signal, started: () => undefined, progress: () => undefined, log: (t: string) => console.log(`  ${t}`) };
  const slurm = { loginHost: null, cpusPerTask: 1, sbatchOptions: [], wslab: null, workdir: process.cwd() };
  const result = await slurmSweepJob({ kind: 'slurmSweep', config, runs, grid: [], seeds: null, runName: 'tiny-ext', slurm }, context);
  if (!('jobId' in result)) throw new Error(`unexpected result ${JSON.stringify(result)}`);

  let changes = 0;
  const jobs = new SlurmJobs({ status: (r) => recordStatus(r, execTool), pollMs: () => 250, enabled: () => true }, () => changes++);
  // The record is found where the Experiments view looks (RUNS is the workspace's runs folder here).
  const found = await findWorkspaceJobs(join(runs, '..'), { datasetsFolder: 'no-datasets', runsFolder: runs });
  await jobs.update(found.filter((f) => 'record' in f && f.record.jobId === result.jobId));
  const deadline = Date.now() + Number(timeoutText) * 1000;
  while (jobs.polling || jobs.list()[0]?.status?.active !== false) {
    if (Date.now() > deadline) throw new Error(`job ${result.jobId} still active after ${timeoutText} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const view = jobs.list()[0]!;
  const node = slurmJobNode(view);
  jobs.dispose();
  if (!view.status?.done || !/^done · 1\/1 tasks · job \d+$/.test(node.description ?? '')) {
    throw new Error(`job ${result.jobId} ended ${JSON.stringify(node.description)}${view.error ? ` (${view.error})` : ''}`);
  }
  console.log(`extension submission (job ${result.jobId}): run tiny-ext done, polled ${changes} time(s); tree: ${node.description}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
