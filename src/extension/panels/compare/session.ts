/**
 * The host side of the run comparison panel, without `vscode` (panel.ts wires it to a webview,
 * file watchers and the save dialog; tests drive it with fakes). It owns the run list — ids the webview
 * names runs by, each mapped here to a run folder — reads the runs (core/workspace/runSeries), sends
 * them as float32 columns, and, when a watched run changes, sends only the records appended since (or
 * the whole set again when metrics.jsonl was rewritten by a resume). Notices go through parseCompareMessage
 * (a malformed one is logged and dropped), `save` requests through an RpcServer of COMPARE_RPC (a malformed
 * one is answered with code bad-message). Work is done one step at a time (a queue),
 * so a file change during a full read cannot interleave with it.
 *
 * A session may also show a study (its folder, made by `wslab study`): the Study view's curves come from
 * its study.json, sent again whenever that file is rewritten (after every finished run); a click on a
 * point shows that point's runs in the runs view.
 */
import { writeFileAtomic } from '../../../core/io/atomicWrite';
import { readStatus, readSummary, type MetricRecord, type RunSummary } from '../../../core/train/runFolder';
import { equivalentText } from '../../../core/report/studyReport';
import { STUDY_FILES, studyRunDir } from '../../../core/study/studyFolder';
import { readStudyResult, type StudyResult } from '../../../core/study/studyResult';
import { MetricsFollower, readRunSeries, toColumns, type RunSeries, type SplitColumns } from '../../../core/workspace/runSeries';
import {
  COMPARE_RPC,
  COMPARE_SPLITS,
  parseCompareMessage,
  type CompareRpc,
  type StudyWire,
  type CompareRun,
  type CompareSummary,
  type HostToCompare,
  type MetricColumns,
} from '../../../protocol/compare';
import { RpcServer, type ParamsOf, type RpcReply } from '../../../protocol/rpc';
import { encodeFloat32 } from '../../../protocol/wire';
import { RemoteError, toErrorInfo } from '../../../core/labError';

export interface CompareHost {
  post(message: HostToCompare | RpcReply): void;
  /** The host's save dialog, suggesting `name`; undefined when cancelled. */
  askSavePath(name: string, format: 'png' | 'csv'): Promise<string | undefined>;
  /** The host's run picker; undefined when dismissed. */
  pickRuns(): Promise<string[] | undefined>;
  /** The set of runs changed (to retitle the panel and watch the new folders). */
  runsChanged(runs: readonly string[]): void;
  /** The study shown changed (to retitle the panel and watch its study.json). */
  studyShown(dir: string): void;
  log(line: string): void;
}

/** Changes come in bursts (metrics, then summary, then status): read once the run has been quiet this long. */
export const CHANGE_DEBOUNCE_MS = 250;

function wireColumns(metrics: SplitColumns): Record<(typeof COMPARE_SPLITS)[number], MetricColumns> {
  const out = {} as Record<(typeof COMPARE_SPLITS)[number], MetricColumns>;
  for (const split of COMPARE_SPLITS) {
    const c = metrics[split];
    out[split] = {
      step: encodeFloat32(c.step),
      epoch: encodeFloat32(c.epoch),
      time: encodeFloat32(c.time),
      loss: encodeFloat32(c.loss),
      accuracy: encodeFloat32(c.accuracy),
    };
  }
  return out;
}

function wireSummary(s: RunSummary | undefined): CompareSummary | null {
  return s
    ? {
        epochs: s.epochs,
        epochsDone: s.epochsDone,
        bestValAccuracy: s.bestValAccuracy,
        bestEpoch: s.bestEpoch,
        testAccuracyAtBest: s.testAccuracyAtBest,
        durationSec: s.durationSec,
      }
    : null;
}

/** A study result as the Study view gets it. */
export function studyToWire(result: StudyResult): StudyWire {
  return {
    name: result.name,
    metric: result.metric,
    sizes: [...result.sizes],
    seeds: result.seeds.length,
    runsFinished: result.runsFinished,
    runsTotal: result.runsTotal,
    complete: result.complete,
    failed: result.failed.length,
    curves: result.curves.map((c) => ({
      key: c.key,
      label: c.label,
      reference: c.reference,
      points: c.points.map((p) => ({ size: p.size, mean: p.mean, std: p.std, runs: p.runs.length })),
      equivalents: Object.fromEntries(c.equivalents.map((q) => [String(q.size), equivalentText(q.equivalent, q.size)])),
    })),
  };
}

const folderName = (dir: string) => dir.split(/[\\/]/).filter(Boolean).pop() ?? dir;

/** A run as the webview gets it. */
export function runToWire(id: string, run: RunSeries): CompareRun {
  return {
    id,
    name: run.name,
    state: run.status?.state ?? 'unknown',
    ...(run.status?.error ? { reason: run.status.error } : {}),
    summary: wireSummary(run.summary),
    config: { ...run.config },
    metrics: wireColumns(run.metrics),
  };
}

function unreadableRun(id: string, dir: string, e: unknown): CompareRun {
  return { id, name: folderName(dir), state: 'unknown', summary: null, config: {}, metrics: wireColumns(toColumns([])), error: toErrorInfo(e, dir) };
}

export class CompareSession {
  private dirs: string[] = [];
  /** Stable ids per folder for the life of the panel, so the webview's hidden/highlighted runs survive "Add runs…". */
  private readonly ids = new Map<string, string>();
  private readonly followers = new Map<string, MetricsFollower>();
  /** The state last sent per folder, to tell a state change from nothing new. */
  private readonly states = new Map<string, string>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private queue: Promise<unknown> = Promise.resolve();
  private ready = false;
  private disposed = false;
  /** The study folder shown in the Study view, and its study.json as last read. */
  private studyDir: string | null = null;
  private study: StudyResult | undefined;
  private studyTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: CompareHost,
    dirs: readonly string[],
  ) {
    this.setDirs(dirs);
  }

  /** The study folder shown, if any. */
  get studyFolder(): string | null {
    return this.studyDir;
  }

  /** Shows a study (its folder) in the Study view and switches to it (before the webview is ready: once it is). */
  showStudy(dir: string): Promise<void> {
    this.studyDir = dir;
    this.host.studyShown(dir);
    if (!this.ready) return Promise.resolve();
    return this.enqueue(async () => {
      await this.sendStudy();
      this.post({ type: 'view', view: 'study' });
    });
  }

  /** The study's study.json changed: read it again once it has been quiet. */
  studyChanged(): void {
    if (this.disposed || !this.studyDir) return;
    clearTimeout(this.studyTimer);
    this.studyTimer = setTimeout(() => {
      this.studyTimer = undefined;
      void this.enqueue(() => this.sendStudy());
    }, CHANGE_DEBOUNCE_MS);
  }

  /** The run folders shown, in order. */
  get runs(): readonly string[] {
    return this.dirs;
  }

  idOf(dir: string): string | undefined {
    return this.ids.get(dir);
  }

  private setDirs(dirs: readonly string[]): void {
    this.dirs = [...new Set(dirs)];
    for (const dir of this.dirs) if (!this.ids.has(dir)) this.ids.set(dir, `r${this.ids.size}`);
  }

  /** Shows another set of runs (the command run again, or "Add runs…"). */
  showRuns(dirs: readonly string[]): Promise<void> {
    this.setDirs(dirs);
    this.host.runsChanged(this.dirs);
    return this.ready ? this.enqueue(() => this.sendAll()) : Promise.resolve();
  }

  private readonly rpc = new RpcServer(
    COMPARE_RPC,
    { save: (p) => this.save(p) },
    (reply) => this.post(reply),
    '',
    (why) => this.host.log(`Compare Runs: refused a request from the panel: ${why}`),
  );

  /** Handles one message from the webview; resolves when it is answered. */
  async receive(value: unknown): Promise<void> {
    if (await this.rpc.receive(value)) return;
    let message;
    try {
      message = parseCompareMessage(value);
    } catch (e) {
      this.host.log(`Compare Runs: ignored a malformed message from the panel: ${(e as Error).message}`);
      return;
    }
    switch (message.type) {
      case 'ready':
        this.ready = true;
        return this.enqueue(async () => {
          await this.sendAll();
          await this.sendStudy();
        });
      case 'openStudyPoint':
        return this.openStudyPoint(message.curve, message.size);
      case 'pickRuns':
        return this.host.pickRuns().then(
          (chosen) => (chosen?.length ? this.showRuns([...this.dirs, ...chosen]) : undefined),
          (e: unknown) => this.host.log(`Compare Runs: ${(e as Error).message}`),
        );
    }
  }

  /** A file of a run folder changed: read the run again once it has been quiet. */
  runChanged(dir: string): void {
    if (this.disposed || !this.ids.has(dir)) return;
    clearTimeout(this.timers.get(dir));
    this.timers.set(
      dir,
      setTimeout(() => {
        this.timers.delete(dir);
        void this.enqueue(() => this.refresh(dir));
      }, CHANGE_DEBOUNCE_MS),
    );
  }

  /** Resolves when everything queued so far is done (tests). */
  idle(): Promise<void> {
    return this.queue.then(() => undefined);
  }

  dispose(): void {
    this.disposed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    clearTimeout(this.studyTimer);
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    const next = this.queue.then(step).catch((e: unknown) => this.host.log(`Compare Runs: ${(e as Error).message}`));
    this.queue = next;
    return next;
  }

  private post(message: HostToCompare | RpcReply): void {
    if (!this.disposed) this.host.post(message);
  }

  private async sendStudy(): Promise<void> {
    if (!this.studyDir) return;
    try {
      this.study = await readStudyResult(this.studyDir);
      this.post({ type: 'study', study: this.study ? studyToWire(this.study) : null });
    } catch (e) {
      this.study = undefined;
      this.post({ type: 'study', study: null, error: toErrorInfo(e, `${this.studyDir}/${STUDY_FILES.result}`) });
    }
  }

  /** Shows the finished runs of one point of the study in the runs view. */
  private async openStudyPoint(curve: string, size: number): Promise<void> {
    const point = this.study?.curves.find((c) => c.key === curve)?.points.find((p) => p.size === size);
    if (!point || !this.studyDir) {
      this.host.log(`Compare Runs: the study has no point ${curve} at ${size}`);
      return;
    }
    const dirs = point.runs.map((r) => studyRunDir(this.studyDir!, r.name));
    if (dirs.length === 0) return;
    await this.showRuns(dirs);
    this.post({ type: 'view', view: 'runs' });
  }

  /** Reads every run afresh (new followers: the webview starts from nothing) and sends the set. */
  private async sendAll(): Promise<void> {
    this.followers.clear();
    const runs = await Promise.all(this.dirs.map((dir) => this.read(dir)));
    this.post({ type: 'runs', runs });
  }

  private async read(dir: string): Promise<CompareRun> {
    const id = this.ids.get(dir)!;
    const follower = new MetricsFollower(dir);
    let run: CompareRun;
    try {
      run = runToWire(id, await readRunSeries(dir, follower));
      this.followers.set(dir, follower);
    } catch (e) {
      run = unreadableRun(id, dir, e);
    }
    this.states.set(dir, run.state);
    return run;
  }

  /**
   * Sends what was appended to a run since the last read. When the run cannot be followed (metrics.jsonl
   * rewritten by a resume, a file now malformed, or unreadable before), everything is read and sent again.
   */
  private async refresh(dir: string): Promise<void> {
    if (!this.ready || !this.dirs.includes(dir)) return;
    const follower = this.followers.get(dir);
    if (!follower) return this.sendAll();
    let update, status, summary;
    try {
      [update, status, summary] = await Promise.all([follower.read(), readStatus(dir), readSummary(dir)]);
    } catch {
      return this.sendAll();
    }
    if (update.kind === 'rewritten') return this.sendAll();
    const state = status?.state ?? 'unknown';
    if (update.records.length === 0 && state === this.states.get(dir)) return;
    this.states.set(dir, state);
    this.post({
      type: 'append',
      id: this.ids.get(dir)!,
      state,
      summary: wireSummary(summary),
      metrics: wireColumns(toColumns(update.records as MetricRecord[])),
    });
  }

  private async save(p: ParamsOf<CompareRpc, 'save'>): Promise<string | null> {
    const path = await this.host.askSavePath(p.name, p.format);
    if (!path) return null;
    const bytes = p.format === 'png' ? Buffer.from(p.data.slice(p.data.indexOf(',') + 1), 'base64') : new TextEncoder().encode(p.data);
    try {
      await writeFileAtomic(path, bytes);
      return path;
    } catch (e) {
      throw new RemoteError(toErrorInfo(e, path));
    }
  }
}
