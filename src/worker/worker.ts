/**
 * The background worker process: the extension host forks one per task (child_process.fork, VS Code's
 * own Node) and all heavy work — INR fitting, TensorFlow.js training, augmentation, rendering — runs
 * here, never in the extension host. It talks the typed messages of src/protocol/worker.ts over the IPC
 * channel: `ready`, then for the one `run` it gets, `started` / `progress` / `log` and exactly one of
 * `result`, `failed`, `cancelled`; then it exits. `cancel` aborts the job's signal: generation stops
 * between networks and training between batches, keeping finished shards and checkpoints. Job modules
 * are loaded on demand, so a preview never loads TensorFlow.js.
 */
import { toErrorInfo, type ErrorCode } from '../core/labError';
import { parseHostToWorker, type AnyJob, type JobResult, type WorkerToHost } from '../protocol/worker';
import { createJobContext, type JobContext } from './jobContext';

function send(message: WorkerToHost): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

async function runJob(job: AnyJob, context: JobContext): Promise<JobResult> {
  switch (job.kind) {
    case 'generate':
      return (await import('./jobs/generateJob.js')).generateJob(job, context);
    case 'train':
      return (await import('./jobs/trainJob.js')).trainJob(job, context);
    case 'eval':
      return (await import('./jobs/evalJob.js')).evalJob(job, context);
    case 'augment':
      return (await import('./jobs/augmentJob.js')).augmentJob(job, context);
    case 'preview':
      return (await import('./jobs/previewJob.js')).previewJob(job, context);
    case 'slurmGenerate':
      return (await import('./jobs/slurmJob.js')).slurmGenerateJob(job, context);
    case 'slurmSweep':
      return (await import('./jobs/slurmJob.js')).slurmSweepJob(job, context);
    case 'merge':
      return (await import('./jobs/mergeJob.js')).mergeJob(job, context);
    case 'study':
      return (await import('./jobs/studyJob.js')).studyJob(job, context);
    case 'probe':
      return (await import('./jobs/probeJob.js')).probeJob(job, context);
  }
}

function errorOf(e: unknown): { name: string; code: ErrorCode; message: string; stack: string | null } {
  const { code, message } = toErrorInfo(e, '');
  return { name: e instanceof Error ? e.name : 'Error', code, message, stack: e instanceof Error ? (e.stack ?? null) : null };
}

async function finish(message: WorkerToHost, code: number): Promise<never> {
  await send(message);
  process.exit(code);
}

const controller = new AbortController();
let running = false;

process.on('message', (value: unknown) => {
  let message;
  try {
    message = parseHostToWorker(value);
  } catch (e) {
    void finish({ type: 'failed', error: errorOf(e) }, 2);
    return;
  }
  if (message.type === 'cancel') {
    controller.abort(new Error('cancelled'));
    if (!running) void finish({ type: 'cancelled', message: 'cancelled before it started' }, 0);
    return;
  }
  if (running) {
    void finish(
      { type: 'failed', error: { name: 'ProtocolError', code: 'internal', message: 'a worker runs one job: a second "run" was sent', stack: null } },
      2,
    );
    return;
  }
  running = true;
  const context = createJobContext(controller.signal, (m) => void send(m));
  runJob(message.job, context).then(
    (result) => finish({ type: 'result', result }, 0),
    (e) =>
      controller.signal.aborted
        ? finish({ type: 'cancelled', message: e instanceof Error ? e.message : String(e) }, 0)
        : finish({ type: 'failed', error: errorOf(e) }, 1),
  );
});

// The host went away (window closed, extension host crashed): stop, finished files stay valid.
process.on('disconnect', () => {
  controller.abort(new Error('the extension host disconnected'));
  setTimeout(() => process.exit(0), 2000).unref();
});

for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
  process.on(event, (e: unknown) => void finish({ type: 'failed', error: errorOf(e) }, 1));
}

void send({ type: 'ready', pid: process.pid });
