/**
 * The Slurm jobs the Experiments view shows, kept current: the submitted job records found in the
 * workspace (src/core/cluster/workspaceJobs.ts), each with the last status core read for it (squeue or
 * sacct, joined with the shards or runs on disk). A job is asked about once when it is first seen, then
 * every `pollMs` while it is queued or running; polling stops when no job is. A poll that fails keeps the
 * job's last status and says why. No `vscode` here: the tree provider supplies the sources and the timer.
 */
import type { JobRecord } from '../../core/cluster/jobRecord';
import type { JobStatus } from '../../core/cluster/jobStatus';
import type { FoundJob } from '../../core/cluster/workspaceJobs';

/** A submitted job as the tree shows it. */
export interface SlurmJobView {
  readonly record: JobRecord;
  /** The last status read; undefined before the first answer. */
  readonly status?: JobStatus;
  /** Why the last poll failed, or why there is none (Restricted Mode). */
  readonly error?: string;
}

export interface SlurmJobsSources {
  /** The status of a job now (throws when Slurm cannot be asked). */
  status(record: JobRecord): Promise<JobStatus>;
  /** Milliseconds between polls while a job is active. */
  pollMs(): number;
  /** Whether tools may be run at all (false in Restricted Mode). */
  enabled(): boolean;
}

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const REAL_TIMERS: Timers = {
  // Unref'd: a pending poll never keeps a process (a test, a CLI) alive.
  setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export const RESTRICTED_MESSAGE = 'Restricted Mode: trust the workspace to follow this job (it runs squeue/sacct)';

function keyOf(record: JobRecord): string {
  return `${record.out}|${record.jobId}`;
}

/** Active: queued or running as far as we know; a job never answered for counts as unknown, not active. */
export function isJobActive(view: SlurmJobView): boolean {
  return view.status?.active ?? false;
}

export class SlurmJobs {
  private views = new Map<string, SlurmJobView>();
  private unreadable: FoundJob[] = [];
  private timer: unknown;
  private inFlight: Promise<void> | undefined;
  private disposed = false;

  constructor(
    private readonly sources: SlurmJobsSources,
    private readonly onChange: () => void,
    private readonly timers: Timers = REAL_TIMERS,
  ) {}

  /** The jobs, in the order found. */
  list(): SlurmJobView[] {
    return [...this.views.values()];
  }

  /** Job records that could not be read (path and error). */
  problems(): readonly FoundJob[] {
    return this.unreadable;
  }

  /** Whether a poll is scheduled (some job is active). */
  get polling(): boolean {
    return this.timer !== undefined;
  }

  /**
   * The records found by a workspace scan: new ones are asked about now, gone ones dropped; active ones
   * keep their polling rhythm (scans can come often). Resolves once the new ones have answered.
   */
  async update(found: readonly FoundJob[]): Promise<void> {
    const next = new Map<string, SlurmJobView>();
    for (const f of found) {
      if (!('record' in f)) continue;
      const key = keyOf(f.record);
      const known = this.views.get(key);
      next.set(key, known ? { ...known, record: f.record } : { record: f.record });
    }
    this.unreadable = found.filter((f) => 'error' in f);
    const changed = [...next.keys()].join('\n') !== [...this.views.keys()].join('\n');
    this.views = next;
    if (changed) this.onChange();
    await this.poll((v) => v.status === undefined && v.error === undefined);
  }

  /** Asks about every job again (the Refresh command), finished ones too. */
  refreshAll(): Promise<void> {
    return this.poll(() => true);
  }

  /** Asks about the active jobs (and those never answered) now. */
  pollNow(): Promise<void> {
    return this.poll((v) => v.status === undefined || isJobActive(v));
  }

  dispose(): void {
    this.disposed = true;
    this.unschedule();
  }

  private async poll(which: (view: SlurmJobView) => boolean): Promise<void> {
    // One poll at a time: a second caller waits for the one under way, then polls what is still wanted.
    while (this.inFlight) await this.inFlight;
    if (this.disposed) return;
    const chosen = this.list().filter(which);
    if (chosen.length === 0) return this.schedule();
    this.unschedule();
    const run = this.queryAll(chosen).finally(() => {
      this.inFlight = undefined;
      this.schedule();
    });
    this.inFlight = run;
    await run;
  }

  private async queryAll(chosen: readonly SlurmJobView[]): Promise<void> {
    if (chosen.length === 0) return;
    if (!this.sources.enabled()) {
      for (const v of chosen) this.set(v.record, { record: v.record, ...(v.status ? { status: v.status } : {}), error: RESTRICTED_MESSAGE });
      this.onChange();
      return;
    }
    await Promise.all(
      chosen.map(async (v) => {
        try {
          const status = await this.sources.status(v.record);
          this.set(v.record, { record: v.record, status });
        } catch (e) {
          this.set(v.record, { record: v.record, ...(v.status ? { status: v.status } : {}), error: e instanceof Error ? e.message : String(e) });
        }
      }),
    );
    this.onChange();
  }

  private set(record: JobRecord, view: SlurmJobView): void {
    // A job dropped by a scan while its poll ran stays dropped.
    if (this.views.has(keyOf(record))) this.views.set(keyOf(record), view);
  }

  private schedule(): void {
    if (this.disposed || this.timer !== undefined || !this.sources.enabled()) return;
    if (!this.list().some(isJobActive)) return;
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      void this.pollNow();
    }, this.sources.pollMs());
  }

  private unschedule(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
