/**
 * Runs `wslab train` jobs (the built dist/cli.js, one process each) at most `parallel` at a time, with
 * --resume so an interrupted benchmark continues where it stopped and finished runs are kept. Each job's
 * output goes to LOG; a failed job fails the whole pool, naming its log.
 */
import { spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { resolve } from 'node:path';

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
  return new Promise((done, fail) => {
    const out = openSync(job.log, 'a');
    const child = spawn(process.execPath, [CLI, 'train', '--config', job.config, '--seeds', String(job.seed), '--runs', job.runs, '--resume', '--progress', 'none'], { stdio: ['ignore', out, out] });
    closeSync(out);
    const stop = () => child.kill('SIGINT');
    signal.addEventListener('abort', stop);
    child.on('error', fail);
    child.on('exit', (code) => {
      signal.removeEventListener('abort', stop);
      if (code === 0) done();
      else fail(new Error(`${job.name}: wslab train exited with ${code}; see ${job.log}`));
    });
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
