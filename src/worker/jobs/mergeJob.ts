/** The worker's `wslab merge`: joins the shards a job array made into the dataset's manifest. */
import { mergeDataset } from '../../core/dataset/merge';
import type { JobResult, MergeJob } from '../../protocol/worker';
import type { JobContext } from '../jobContext';

export async function mergeJob(job: MergeJob, context: JobContext): Promise<JobResult> {
  context.started('cpu', `merging the shards of ${job.dir}`);
  const manifest = await mergeDataset(job.dir);
  context.log(`${job.dir}: merged ${manifest.items.length} INRs into manifest.json`);
  return { kind: 'merge', dir: job.dir, items: manifest.items.length };
}
