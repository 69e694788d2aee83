/**
 * Runs `wslab train` jobs (the built dist/cli.js, one process each) at most `parallel` at a time, with
 * --resume so an interrupted benchmark continues where it stopped and finished runs are kept. Each job's
 * output goes to LOG; a failed job fails the whole pool, naming its log.
 */
import { resolve } from 'node:path';
import { runTrainProcess } from '../../src/core/study/trainProcess';

export interface TrainJob {
  /** The run folder's name under `runs` (the config's name, or NAME-seedS with one seed). */
  readonly name: string;
  readonly config: string;
  readonly seed: number;
  readonly runs: string;
  readonly log: string;
}

const CLI = resolve(__dirname, '..', '..', 'dist', 'cli.js');

function runOne(job: TrainJob, signal: AbortSignal): Promise<void> {
  return runTrainProcess({
    cli: CLI,
    args: ['train', '--config', job.config, '--seeds', String(job.seed), '--runs', job.runs, '--resume', '--progress', 'none'],
    log: job.log,
    signal,
  });
}

export async function runTrainJobs(jobs: readonly TrainJob[], parallel: number, signal: AbortSignal, onDone: (job: TrainJob) => void): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < jobs.length && !signal.aborted) {
      const job = jobs[next++]!;
      await runOne(job, signal);
      onDone(job);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, parallel) }, worker));
  signal.throwIfAborted();
}
