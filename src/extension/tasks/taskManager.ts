/**
 * Runs the extension's long jobs, each in its own worker process, and keeps what the UI shows of them.
 *
 * - Queue: at most `maxConcurrent` tasks run at once (default 1: on a laptop two fits or trainings only
 *   share the same cores); later ones wait, in order, as `queued`.
 * - Progress: the worker's throttled `progress` messages, with an ETA estimated from done/total over time
 *   when the job does not give one.
 * - Cancel: `cancel` asks the worker to stop (generation stops between networks, training between
 *   batches; finished shards and checkpoints are written atomically, so they stay valid); a worker that
 *   has not exited after `cancelGraceMs` is killed. Cancelling a queued task just drops it.
 * - Crash: a worker that exits without a final message fails the task with its exit code and the last
 *   lines it printed; `resume` starts the same job again (training with resume on), which keeps what
 *   was finished.
 *
 * No `vscode` here: the process comes from a WorkerLauncher (src/extension/tasks/workerProcess.ts forks
 * dist/worker.js; tests pass fakes or fork the worker source), and the UI subscribes to the events.
 */
import type { ErrorCode } from '../../core/labError';
import { parseWorkerToHost, type AnyJob, type HostToWorker, type JobResult, type ProgressMessage, type WorkerToHost } from '../../protocol/worker';

/** A started worker process, as the task manager needs it. */
export interface WorkerProcess {
  readonly pid: number | undefined;
  send(message: HostToWorker): void;
  /** Ends the process at once (SIGKILL). */
  kill(): void;
  onMessage(listener: (value: unknown) => void): void;
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  /** Text the process printed (stdout and stderr). */
  onOutput(listener: (text: string) => void): void;
}

export type WorkerLauncher = () => WorkerProcess;

export type TaskState = 'queued' | 'running' | 'cancelling' | 'done' | 'failed' | 'cancelled';

/** A task's latest progress: the worker's progress message (its own ETA, else the host's estimate from done/total over time). */
export type TaskProgress = Omit<ProgressMessage, 'type'>;

export interface TaskError {
  readonly name: string;
  /** What kind of problem (labError.ts): a code other than `io` or `internal` is the user's input. */
  readonly code: ErrorCode;
  readonly message: string;
  readonly stack: string | null;
}

export interface TaskInfo {
  readonly id: number;
  readonly title: string;
  readonly job: AnyJob;
  /** The folder the task writes (a dataset or a run), so views can mark it as in the making. */
  readonly target: string | undefined;
  readonly state: TaskState;
  /** The compute backend the worker reported. */
  readonly backend: string | undefined;
  /** Its device, when the worker named one (a GPU adapter). */
  readonly device: string | undefined;
  /** What the job said it is about to do. */
  readonly detail: string | undefined;
  readonly progress: TaskProgress | undefined;
  readonly queuedAt: number;
  readonly startedAt: number | undefined;
  readonly endedAt: number | undefined;
  readonly result: JobResult | undefined;
  readonly error: TaskError | undefined;
  /** The worker process died without saying why (killed, out of memory, a native crash). */
  readonly crashed: boolean;
  /** The task this one resumes. */
  readonly resumes: number | undefined;
  readonly pid: number | undefined;
}

export interface StartRequest {
  readonly title: string;
  readonly job: AnyJob;
  readonly target?: string;
}

export interface TaskManagerOptions {
  /** Tasks run at once (read again whenever a task could start, so a settings change applies). */
  readonly maxConcurrent?: number | (() => number);
  readonly cancelGraceMs?: number;
  /** How long a worker may take to exit after its final message before it is killed. */
  readonly exitGraceMs?: number;
  readonly now?: () => number;
}

type Listener<T extends unknown[]> = (...args: T) => void;

/** Lines of a crashed worker's output kept for its error message. */
const OUTPUT_TAIL_LINES = 20;

interface TaskRecord {
  info: Mutable<TaskInfo>;
  worker?: WorkerProcess;
  ready: boolean;
  outcome?: { state: 'done' | 'failed' | 'cancelled'; result?: JobResult; error?: TaskError };
  output: string[];
  baseline?: { t: number; done: number };
  timers: ReturnType<typeof setTimeout>[];
  waiters: ((info: TaskInfo) => void)[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const FINAL_STATES: ReadonlySet<TaskState> = new Set(['done', 'failed', 'cancelled']);

export function isFinal(state: TaskState): boolean {
  return FINAL_STATES.has(state);
}

/** The job that continues a failed or cancelled task: the same job, training with resume on. */
export function resumedJob(job: AnyJob): AnyJob {
  return job.kind === 'train' ? { ...job, resume: true } : job;
}

/** Whether a job picks up what an earlier attempt finished (shards, checkpoints) when started again. */
export function isResumable(info: Pick<TaskInfo, 'state' | 'job'>): boolean {
  return (
    (info.state === 'failed' || info.state === 'cancelled') &&
    (info.job.kind === 'generate' || info.job.kind === 'train' || info.job.kind === 'augment' || info.job.kind === 'study')
  );
}

/**
 * Whether resuming the task as it is can succeed: not when it failed on the user's input (a missing
 * dataset, a bad config or file), which a resume would read again and fail on; after a crash, an I/O error
 * or a cancel it can.
 */
export function resumeCanSucceed(info: Pick<TaskInfo, 'state' | 'job' | 'error'>): boolean {
  const code = info.error?.code;
  return isResumable(info) && (info.state !== 'failed' || code === undefined || code === 'io' || code === 'internal');
}

export class TaskManager {
  private readonly tasks = new Map<number, TaskRecord>();
  private readonly queue: TaskRecord[] = [];
  private nextId = 1;
  private running = 0;
  private readonly changeListeners = new Set<Listener<[TaskInfo]>>();
  private readonly logListeners = new Set<Listener<[TaskInfo, string]>>();
  private readonly maxConcurrent: () => number;
  private readonly cancelGraceMs: number;
  private readonly exitGraceMs: number;
  private readonly now: () => number;
  private disposed = false;

  constructor(
    private readonly launch: WorkerLauncher,
    options: TaskManagerOptions = {},
  ) {
    const max = options.maxConcurrent ?? 1;
    this.maxConcurrent = () => Math.max(1, typeof max === 'function' ? max() : max);
    this.cancelGraceMs = options.cancelGraceMs ?? 5000;
    this.exitGraceMs = options.exitGraceMs ?? 5000;
    this.now = options.now ?? Date.now;
  }

  /** Called with a fresh snapshot whenever a task changes (state, progress, backend). */
  onDidChange(listener: Listener<[TaskInfo]>): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Called for every line a task logs (its own messages and the worker's output). */
  onLog(listener: Listener<[TaskInfo, string]>): () => void {
    this.logListeners.add(listener);
    return () => this.logListeners.delete(listener);
  }

  start(request: StartRequest, resumes?: number): TaskInfo {
    if (this.disposed) throw new Error('the task manager has been disposed');
    const record: TaskRecord = {
      info: {
        id: this.nextId++,
        title: request.title,
        job: request.job,
        target: request.target,
        state: 'queued',
        backend: undefined,
        device: undefined,
        detail: undefined,
        progress: undefined,
        queuedAt: this.now(),
        startedAt: undefined,
        endedAt: undefined,
        result: undefined,
        error: undefined,
        crashed: false,
        resumes,
        pid: undefined,
      },
      ready: false,
      output: [],
      timers: [],
      waiters: [],
    };
    this.tasks.set(record.info.id, record);
    this.queue.push(record);
    this.changed(record);
    this.pump();
    return this.snapshot(record);
  }

  /** Starts the job of a failed or cancelled task again; it keeps what that task finished. */
  resume(id: number): TaskInfo {
    const record = this.record(id);
    if (!isResumable(record.info))
      throw new Error(
        `task ${id} (${record.info.title}) is ${record.info.state}: only a failed or cancelled generation, training or augmentation can be resumed`,
      );
    const title = record.info.title.replace(/ \(resumed\)$/, '');
    return this.start({ title: `${title} (resumed)`, job: resumedJob(record.info.job), target: record.info.target }, id);
  }

  cancel(id: number): void {
    const record = this.record(id);
    const { info } = record;
    if (info.state === 'queued') {
      this.queue.splice(this.queue.indexOf(record), 1);
      this.settle(record, 'cancelled');
      return;
    }
    if (info.state === 'cancelling') {
      record.worker?.kill(); // a second cancel: no more waiting
      return;
    }
    if (info.state !== 'running') return;
    info.state = 'cancelling';
    this.log(record, 'cancel requested');
    if (record.ready) record.worker?.send({ type: 'cancel' });
    record.timers.push(
      setTimeout(() => {
        if (record.info.state === 'cancelling') {
          this.log(record, `the worker did not stop within ${this.cancelGraceMs} ms: killed`);
          record.worker?.kill();
        }
      }, this.cancelGraceMs),
    );
    this.changed(record);
  }

  get(id: number): TaskInfo | undefined {
    const record = this.tasks.get(id);
    return record && this.snapshot(record);
  }

  list(): TaskInfo[] {
    return [...this.tasks.values()].map((r) => this.snapshot(r));
  }

  /** Tasks queued, running or cancelling. */
  active(): TaskInfo[] {
    return this.list().filter((t) => !isFinal(t.state));
  }

  /** Resolves with the task's final snapshot (done, failed or cancelled). */
  whenSettled(id: number): Promise<TaskInfo> {
    const record = this.record(id);
    if (isFinal(record.info.state)) return Promise.resolve(this.snapshot(record));
    return new Promise((resolve) => record.waiters.push(resolve));
  }

  /** Cancels everything and kills the workers that do not stop in time. */
  dispose(): void {
    this.disposed = true;
    for (const record of [...this.queue]) this.cancel(record.info.id);
    for (const record of this.tasks.values()) if (record.info.state === 'running') this.cancel(record.info.id);
  }

  private record(id: number): TaskRecord {
    const record = this.tasks.get(id);
    if (!record) throw new Error(`no task ${id}`);
    return record;
  }

  private pump(): void {
    while (this.running < this.maxConcurrent() && this.queue.length > 0 && !this.disposed) {
      this.run(this.queue.shift()!);
    }
  }

  private run(record: TaskRecord): void {
    const { info } = record;
    this.running++;
    info.state = 'running';
    info.startedAt = this.now();
    let worker: WorkerProcess;
    try {
      worker = this.launch();
    } catch (e) {
      record.info.error = {
        name: 'WorkerStartError',
        code: 'internal',
        message: `could not start the worker process: ${(e as Error).message}`,
        stack: (e as Error).stack ?? null,
      };
      this.running--;
      this.settle(record, 'failed');
      this.pump();
      return;
    }
    record.worker = worker;
    info.pid = worker.pid;
    worker.onOutput((text) => {
      for (const line of text.split(/\r?\n/)) {
        if (line.trim() === '') continue;
        record.output.push(line);
        if (record.output.length > OUTPUT_TAIL_LINES) record.output.shift();
        this.log(record, line);
      }
    });
    worker.onMessage((value) => {
      let message: WorkerToHost;
      try {
        message = parseWorkerToHost(value);
      } catch (e) {
        record.outcome ??= {
          state: 'failed',
          error: { name: 'ProtocolError', code: 'internal', message: `the worker sent a bad message: ${(e as Error).message}`, stack: null },
        };
        worker.kill();
        return;
      }
      this.handle(record, message);
    });
    worker.onExit((code, signal) => {
      this.running--;
      const cancelling = record.info.state === 'cancelling';
      if (record.outcome) {
        const { state, result, error } = record.outcome;
        record.info.result = result;
        record.info.error = error;
        this.settle(record, state);
      } else if (cancelling) {
        this.settle(record, 'cancelled');
      } else {
        const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        const tail = record.output.length ? `; its last output:\n${record.output.join('\n')}` : '';
        record.info.crashed = true;
        record.info.error = {
          name: 'WorkerCrash',
          code: 'internal',
          message: `the worker process${worker.pid ? ` (pid ${worker.pid})` : ''} ${how} before the task finished${tail}`,
          stack: null,
        };
        this.settle(record, 'failed');
      }
      this.pump();
    });
    this.changed(record);
  }

  private handle(record: TaskRecord, message: WorkerToHost): void {
    const { info } = record;
    switch (message.type) {
      case 'ready':
        record.ready = true;
        record.worker!.send({ type: 'run', job: info.job });
        if (info.state === 'cancelling') record.worker!.send({ type: 'cancel' });
        return;
      case 'started':
        info.backend = message.backend;
        info.device = message.device ?? undefined;
        info.detail = message.detail;
        this.log(record, `${message.detail} (backend: ${message.backend}${message.device ? ` on ${message.device}` : ''})`);
        this.changed(record);
        return;
      case 'progress': {
        const t = this.now();
        record.baseline ??= { t, done: message.done };
        const { t: t0, done: d0 } = record.baseline;
        const estimate = message.done > d0 && t > t0 ? ((message.total - message.done) * (t - t0)) / (message.done - d0) / 1000 : null;
        info.progress = {
          done: message.done,
          total: message.total,
          unit: message.unit,
          rate: message.rate,
          rateUnit: message.rateUnit,
          etaSec: message.etaSec ?? estimate,
          detail: message.detail,
        };
        this.changed(record);
        return;
      }
      case 'log':
        this.log(record, message.text);
        return;
      case 'result':
        record.outcome = { state: 'done', result: message.result };
        break;
      case 'failed':
        record.outcome = { state: 'failed', error: message.error };
        break;
      case 'cancelled':
        record.outcome = { state: 'cancelled' };
        this.log(record, message.message);
        break;
    }
    // A final message: the worker exits by itself; one that hangs is killed.
    record.timers.push(setTimeout(() => record.worker?.kill(), this.exitGraceMs));
  }

  private settle(record: TaskRecord, state: 'done' | 'failed' | 'cancelled'): void {
    const { info } = record;
    for (const timer of record.timers) clearTimeout(timer);
    record.timers = [];
    info.state = state;
    info.endedAt = this.now();
    if (state === 'failed' && info.error) this.log(record, `failed: ${info.error.message}`);
    this.log(record, state === 'done' ? `done in ${((info.endedAt - (info.startedAt ?? info.endedAt)) / 1000).toFixed(1)} s` : state);
    const snapshot = this.snapshot(record);
    for (const waiter of record.waiters.splice(0)) waiter(snapshot);
    this.changed(record);
  }

  private snapshot(record: TaskRecord): TaskInfo {
    return { ...record.info };
  }

  private changed(record: TaskRecord): void {
    const snapshot = this.snapshot(record);
    for (const listener of this.changeListeners) listener(snapshot);
  }

  private log(record: TaskRecord, line: string): void {
    const snapshot = this.snapshot(record);
    for (const listener of this.logListeners) listener(snapshot, line);
  }
}
