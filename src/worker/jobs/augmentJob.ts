/** The worker's dataset augmentation (augmentDataset), with progress per written shard. */
import { augmentDataset } from '../../core/augment/augmentDataset';
import { parseAugmentations } from '../../core/augment/parse';
import type { AugmentJob, JobResult } from '../../protocol/worker';
import type { JobContext } from '../jobContext';

export async function augmentJob(job: AugmentJob, context: JobContext): Promise<JobResult> {
  const steps = parseAugmentations(job.aug);
  context.started('cpu', `${job.aug}, ${job.copies} cop${job.copies === 1 ? 'y' : 'ies'} per INR of ${job.input}`);
  const started = Date.now();
  const manifest = await augmentDataset({
    input: job.input,
    out: job.out,
    steps,
    copies: job.copies,
    seed: job.seed,
    onShard: (written, total) => {
      // augmentDataset has no cancel signal of its own: stop between shards (the host kills a worker
      // that does not stop in time; every shard is written atomically either way).
      if (context.signal.aborted) throw context.signal.reason ?? new Error('cancelled');
      const seconds = (Date.now() - started) / 1000;
      const rate = seconds > 0 ? written / seconds : null;
      context.progress({ done: written, total, unit: 'INRs', rate, rateUnit: 'INRs/s', etaSec: rate ? (total - written) / rate : null, detail: '' });
    },
  });
  return { kind: 'augment', out: job.out, items: manifest.items.length };
}
