/** The worker's run evaluation (evaluateRun: what `wslab eval` prints). */
import { evaluateRun } from '../../core/train/evaluateRun';
import type { EvalJob, JobResult } from '../../protocol/worker';
import type { JobContext } from '../jobContext';

export async function evalJob(job: EvalJob, context: JobContext): Promise<JobResult> {
  context.started('tensorflow', `the ${job.checkpoint} checkpoint of ${job.runDir} on its ${job.split} split`);
  const score = await evaluateRun(job.runDir, job.split, job.checkpoint);
  return { kind: 'eval', runDir: job.runDir, split: job.split, checkpoint: job.checkpoint, ...score };
}
