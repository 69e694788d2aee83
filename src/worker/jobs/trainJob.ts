/** The worker's training: one run of an experiment config, its events turned into progress and log lines. */
import { readExperimentConfig } from '../../core/train/experimentConfig';
import { train } from '../../core/train/trainer';
import { formatCount } from '../../protocol/display';
import type { JobResult, TrainJob } from '../../protocol/worker';
import type { JobContext } from '../jobContext';

const pct = (x: number | null) => (x === null || Number.isNaN(x) ? '–' : `${(100 * x).toFixed(2)}%`);

export async function trainJob(job: TrainJob, context: JobContext): Promise<JobResult> {
  const config = await readExperimentConfig(job.config, job.overrides);
  let epochNote = '';
  const summary = await train({
    config,
    dir: job.runDir,
    resume: job.resume,
    signal: context.signal,
    onEvent: (e) => {
      switch (e.type) {
        case 'start':
          context.started(e.backend, `${e.run}: ${formatCount(e.totalSteps)} steps${e.resumedFromEpoch ? `, resuming after epoch ${e.resumedFromEpoch}` : ''}`);
          break;
        case 'step':
          context.progress({
            done: e.step,
            total: e.totalSteps,
            unit: 'steps',
            rate: e.setsPerSec,
            rateUnit: 'sets/s',
            etaSec: null,
            detail: [`loss ${e.loss.toFixed(3)}`, epochNote].filter(Boolean).join(' · '),
          });
          break;
        case 'epoch':
          epochNote = `epoch ${e.epoch}/${e.epochs} · best val ${pct(e.bestValAccuracy)}`;
          context.log(
            `epoch ${e.epoch}/${e.epochs}: train loss ${e.trainLoss.toFixed(4)}, train acc ${pct(e.trainAccuracy)}, val acc ${pct(e.valAccuracy)}${e.improved ? ' (best so far)' : ''}`,
          );
          break;
        case 'done':
          context.log(
            `done: best val ${pct(e.summary.bestValAccuracy)} at epoch ${e.summary.bestEpoch ?? '–'}, test at best val ${pct(e.summary.testAccuracyAtBest)}`,
          );
          break;
      }
    },
  });
  return {
    kind: 'train',
    runDir: job.runDir,
    bestValAccuracy: summary.bestValAccuracy,
    bestEpoch: summary.bestEpoch,
    testAccuracyAtBest: summary.testAccuracyAtBest,
    durationSec: summary.durationSec,
  };
}
