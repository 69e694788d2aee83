/** The worker's INR generation: runGeneration with its events turned into progress and log lines. */
import { runGeneration } from '../../core/dataset/runGeneration';
import { formatCount } from '../../protocol/display';
import type { GenerateJob, JobResult } from '../../protocol/worker';
import type { JobContext } from '../jobContext';

export async function generateJob(job: GenerateJob, context: JobContext): Promise<JobResult> {
  const manifest = await runGeneration(job, {
    signal: context.signal,
    onEvent: (e, source) => {
      switch (e.type) {
        case 'start':
          context.started(
            e.backend,
            `${source.name}: ${formatCount(e.total)} INRs planned; ${formatCount(e.kept)} already done, ${formatCount(e.todo)} to fit`,
            e.device,
          );
          context.progress({ done: 0, total: e.todo, unit: 'INRs', rate: null, rateUnit: 'INR-steps/s', etaSec: null, detail: '' });
          break;
        case 'progress':
          context.progress({
            done: e.done,
            total: e.todo,
            unit: 'INRs',
            rate: e.inrStepsPerSec,
            rateUnit: 'INR-steps/s',
            etaSec: e.etaSec,
            detail: e.meanPsnr === null ? '' : `PSNR ${e.meanPsnr.toFixed(2)} dB`,
          });
          break;
        case 'shard':
          context.log(`shard ${e.shard} written: ${formatCount(e.items)} INRs (${e.path})`);
          break;
        case 'done':
          context.log(
            `fitted ${formatCount(e.fitted)} INRs in ${(e.elapsedMs / 1000).toFixed(1)} s (${formatCount(e.kept)} kept from before), peak memory ${Math.round(e.peakRssMiB)} MiB`,
          );
          break;
      }
    },
  });
  return { kind: 'generate', out: job.out, items: manifest.items.length, complete: manifest.complete };
}
