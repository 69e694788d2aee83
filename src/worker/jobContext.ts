/**
 * What a job running in the worker may do besides computing: watch its cancel signal and report to the
 * host — the compute backend once known, progress (throttled: the host redraws at most a few times a
 * second, so the extension host stays idle), and log lines for the task's output channel.
 */
import type { JobResult, ProgressMessage, WorkerToHost } from '../protocol/worker';

export type ProgressReport = Omit<ProgressMessage, 'type'>;

export interface JobContext {
  readonly signal: AbortSignal;
  /** The job has begun on `backend` (and `device`, e.g. a GPU adapter). */
  started(backend: string, detail: string, device?: string | null): void;
  /** Sent at most every `intervalMs`, and always when done reaches total. */
  progress(report: ProgressReport): void;
  log(text: string): void;
}

/** A job: runs to its result, or throws (an error, or anything once `signal` is aborted). */
export type JobRunner<J> = (job: J, context: JobContext) => Promise<JobResult>;

export const PROGRESS_INTERVAL_MS = 200;

export function createJobContext(signal: AbortSignal, send: (message: WorkerToHost) => void, intervalMs = PROGRESS_INTERVAL_MS, now = Date.now): JobContext {
  let last = -Infinity;
  return {
    signal,
    started: (backend, detail, device = null) => send({ type: 'started', backend, device, detail }),
    progress: (report) => {
      const t = now();
      if (t - last < intervalMs && report.done < report.total) return;
      last = t;
      send({ type: 'progress', ...report });
    },
    log: (text) => send({ type: 'log', text }),
  };
}
