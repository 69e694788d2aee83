/**
 * A job that exercises the host ↔ worker channel without computing anything: it sleeps with progress
 * (cancellable), fails with an error, or exits the process mid-run — what the task manager's tests and
 * the crash path need from a real worker process.
 */
import type { JobResult, ProbeJob } from '../../protocol/worker';
import type { JobContext } from '../jobContext';

export async function probeJob(job: ProbeJob, context: JobContext): Promise<JobResult> {
  context.started('none', `probe: ${job.behaviour} for ${job.ms} ms`);
  const started = Date.now();
  while (Date.now() - started < job.ms) {
    if (context.signal.aborted) throw context.signal.reason ?? new Error('cancelled');
    const done = Date.now() - started;
    if (job.behaviour === 'exit' && done >= job.ms / 2) process.exit(3);
    context.progress({ done, total: job.ms, unit: 'ms', rate: null, rateUnit: '', etaSec: (job.ms - done) / 1000, detail: '' });
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  if (job.behaviour === 'fail') throw new Error(`probe failed on purpose after ${job.ms} ms`);
  return { kind: 'probe', ms: job.ms };
}
