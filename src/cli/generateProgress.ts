/**
 * How an INR generation shows on the terminal (`wslab generate`, `wslab demo`): what is planned and
 * already done, a progress bar with speed, mean PSNR and ETA, and the time and peak memory at the end.
 */
import type { GenerateEvent } from '../core/dataset/generate';
import { formatCount } from '../protocol/display';
import type { CommandIO } from './command';
import { formatDuration, type ProgressReporter } from './progress';

/** An onEvent for generateDataset(): bar-mode lines on stderr and `progress`; other modes draw nothing. */
export function generateProgressRenderer(progress: ProgressReporter, bar: boolean, io: CommandIO, sourceName: string): (e: GenerateEvent) => void {
  return (e) => {
    if (e.type === 'start' && bar) {
      io.stderr(`${sourceName}: ${formatCount(e.total)} INRs planned; ${formatCount(e.kept)} already done, ${formatCount(e.todo)} to fit on ${e.backend}`);
    }
    if (e.type === 'progress') {
      progress.update({
        done: e.done,
        total: e.todo,
        details: [`${formatCount(Math.round(e.inrStepsPerSec))} INR-steps/s`, ...(e.meanPsnr === null ? [] : [`PSNR ${e.meanPsnr.toFixed(2)} dB`])],
        etaSec: e.etaSec,
      });
    }
    if (e.type === 'done') {
      progress.finish();
      if (bar)
        io.stderr(
          `fitted ${formatCount(e.fitted)} INRs in ${formatDuration(e.elapsedMs / 1000)}, peak memory ${Math.round(e.peakRssMiB)} MiB${e.complete ? '' : ' (this part; run wslab merge when all parts are done)'}`,
        );
    }
  };
}
