/**
 * How a training run shows on the terminal (`wslab train`, `wslab demo`): a start line, then a progress
 * bar with the loss, speed, the last epoch's validation accuracy and an ETA from this session's pace.
 */
import type { TrainEvent } from '../core/train/trainer';
import { formatCount } from '../protocol/display';
import type { CommandIO } from './command';
import type { ProgressReporter } from './progress';

export const pct = (x: number | null) => (x === null || Number.isNaN(x) ? '–' : `${(100 * x).toFixed(2)}%`);

/** An onEvent for train(): draws bar-mode progress on `progress` (and stderr); other modes draw nothing. */
export function trainProgressRenderer(progress: ProgressReporter, bar: boolean, io: CommandIO): (e: TrainEvent) => void {
  let lastEpoch = '';
  let etaFrom: { step: number; at: number } | undefined; // the first progress event of this session
  let lastStep: Extract<TrainEvent, { type: 'step' }> | undefined;
  const draw = (s: Extract<TrainEvent, { type: 'step' }>) => {
    etaFrom ??= { step: s.step, at: performance.now() };
    const perStep = (performance.now() - etaFrom.at) / 1000 / Math.max(1, s.step - etaFrom.step);
    progress.update({
      done: s.step,
      total: s.totalSteps,
      details: [`loss ${s.loss.toFixed(3)}`, `${formatCount(Math.round(s.setsPerSec))} sets/s`, ...(lastEpoch ? [lastEpoch] : [])],
      etaSec: s.step > etaFrom.step ? perStep * (s.totalSteps - s.step) : null,
    });
  };
  return (e) => {
    if (!bar) return;
    if (e.type === 'start')
      io.stderr(`${e.run}: ${formatCount(e.totalSteps)} steps on ${e.backend}${e.resumedFromEpoch ? `, resuming after epoch ${e.resumedFromEpoch}` : ''}`);
    if (e.type === 'epoch') {
      lastEpoch = `epoch ${e.epoch}/${e.epochs} · val ${pct(e.valAccuracy)} · best ${pct(e.bestValAccuracy)}`;
      // The bar says which epoch has ended as soon as it has (the last one has no step after it).
      if (lastStep) draw(lastStep);
    }
    if (e.type === 'step') {
      lastStep = e;
      draw(e);
    }
    if (e.type === 'done') progress.finish();
  };
}
