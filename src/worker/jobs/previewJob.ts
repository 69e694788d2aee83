/** The worker's augmentation preview: previewAugmentations, written to a PNG. */
import { parseAugmentations } from '../../core/augment/parse';
import { previewAugmentations } from '../../core/augment/preview';
import { writeFileAtomic } from '../../core/io/atomicWrite';
import type { JobResult, PreviewJob } from '../../protocol/worker';
import type { JobContext } from '../jobContext';

export async function previewJob(job: PreviewJob, context: JobContext): Promise<JobResult> {
  context.started('cpu', `${job.aug} on ${job.input}`);
  const preview = await previewAugmentations({ input: job.input, steps: parseAugmentations(job.aug), copies: job.copies, seed: job.seed, size: job.size });
  await writeFileAtomic(job.out, preview.png);
  for (const line of preview.lines) context.log(line);
  context.progress({ done: 1, total: 1, unit: 'previews', rate: null, rateUnit: '', etaSec: 0, detail: '' });
  return { kind: 'preview', out: job.out, lines: [...preview.lines] };
}
