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
 *
 * A run view is a session on one run (`{ runView: true }`): besides its curves and tables it sends the
 * run's state, config.json and which checkpoints exist (`runView`, again whenever the run changes), and
 * turns the panel's buttons into commands of the extension (runViewCommand: Compare with…, Resume, Open
 * checkpoint) — refusing those the run's current files do not allow.
 */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../../core/io/atomicWrite';
import { readRunConfig, readStatus, readSummary, RUN_FILES, RunFolderError, type MetricRecord, type RunSummary } from '../../../core/train/runFolder';
import { processIsAlive, runEntryState } from '../../../core/workspace/experimentScan';
import { equivalentText } from '../../../core/report/studyReport';
import { STUDY_FILES, studyRunDir } from '../../../core/study/studyFolder';
import { readStudyResult, type StudyResult } from '../../../core/study/studyResult';
import { MetricsFollower, readRunSeries, toColumns, type RunSeries, type SplitColumns } from '../../../core/workspace/runSeries';
import {
  COMPARE_RPC,
  COMPARE_SPLITS,
  parseCompareMessage,
  type CompareRpc,
  type CompareToHost,
  type RunViewState,
  type RunViewWire,
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
  /** Runs a command of the extension (a run view's buttons). */
  execute(command: string, args: readonly unknown[]): Promise<unknown>;
  log(line: string): void;
}

export interface CompareSessionOptions {
  /** A run view: one run, with its state, config and buttons (runViewCommand). */
  readonly runView?: boolean;
  /** Whether a process id is alive: a "running" run whose process is gone is interrupted (tests replace it). */
  readonly isAlive?: (pid: number) => boolean;
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

/** A run view's button: the notices of COMPARE's TO_HOST table it sends. */
export type RunViewAction = Extract<CompareToHost, { type: 'compareWith' | 'resumeRun' | 'openCheckpoint' | 'evaluateRun' }>;

/** The command a run view's button runs, with its arguments (the commands' own argument forms). */
export function runViewCommand(action: RunViewAction, dir: string): { readonly command: string; readonly args: readonly unknown[] } {
  switch (action.type) {
    case 'compareWith':
      return { command: 'weightSpaceLab.compareRuns', args: [{ runs: [dir], pick: true }] };
    case 'resumeRun':
      return { command: 'weightSpaceLab.resume', args: [{ kind: 'run', path: dir, label: folderName(dir) }] };
    case 'openCheckpoint':
      return { command: 'weightSpaceLab.inspectWeightFile', args: [join(dir, RUN_FILES[action.checkpoint])] };
    case 'evaluateRun':
      return { command: 'weightSpaceLab.evaluateRun', args: [dir] };
  }
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/** What a run view shows of a run folder besides its curves: state, epochs, config.json, checkpoints. */
export async function readRunView(id: string, dir: string, isAlive: (pid: number) => boolean = processIsAlive): Promise<RunViewWire> {
  const [status, summary, best, last] = await Promise.all([
    readStatus(dir).catch(() => undefined),
    readSummary(dir).catch(() => undefined),
    exists(join(dir, RUN_FILES.best)),
    exists(join(dir, RUN_FILES.last)),
  ]);
  let config: unknown;
  let configError;
  try {
    config = await readRunConfig(dir);
    if (config === undefined) throw new RunFolderError(`${join(dir, RUN_FILES.config)}: not found`);
  } catch (e) {
    configError = toErrorInfo(e, join(dir, RUN_FILES.config));
  }
  const state: RunViewState = runEntryState(status, isAlive);
  const planned = (config as { optimizer?: { epochs?: unknown } } | undefined)?.optimizer?.epochs;
  return {
    id,
    name: folderName(dir),
    state,
    ...(status?.error ? { reason: status.error } : {}),
    epochsDone: summary?.epochsDone ?? null,
    epochs: summary?.epochs ?? (typeof planned === 'number' ? planned : null),
    config: configError ? null : JSON.stringify(config, null, 2),
    ...(configError ? { configError } : {}),
    checkpoints: { best, last },
    resumable: state === 'failed' || state === 'cancelled' || state === 'interrupted',
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
  private readonly runView: boolean;
  private readonly isAlive: (pid: number) => boolean;

  constructor(
    private readonly host: CompareHost,
    dirs: readonly string[],
    options: CompareSessionOptions = {},
  ) {
    this.runView = options.runView ?? false;
    this.isAlive = options.isAlive ?? processIsAlive;
    this.setDirs(this.runView ? dirs.slice(0, 1) : dirs);
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

  /** Shows another set of runs (the command run again, or "Add runs…"); a run view keeps its run. */
  showRuns(dirs: readonly string[]): Promise<void> {
    if (this.runView) return Promise.resolve();
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
      case 'compareWith':
      case 'resumeRun':
      case 'openCheckpoint':
      case 'evaluateRun':
        return this.runViewAction(message);
      case 'pickRuns':
        if (this.runView) return this.host.log('Compare Runs: a run view has no "Add runs…"; ignored');
        return this.host.pickRuns().then(
          (chosen) => (chosen?.length ? this.showRuns([...this.dirs, ...chosen]) : undefined),
          (e: unknown) => this.host.log(`Compare Runs: ${(e as Error).message}`),
        );
    }
  }

  /**
   * A run view's button: checked against the run's files as they are now (Resume only when the run can be
   * resumed, a checkpoint only when it exists), then the command runs; a refusal is logged.
   */
  private async runViewAction(action: RunViewAction): Promise<void> {
    const dir = this.dirs[0];
    if (!this.runView || dir === undefined) return this.host.log(`Compare Runs: "${action.type}" comes only from a run view; ignored`);
    const run = await readRunView(this.ids.get(dir)!, dir, this.isAlive);
    if (action.type === 'resumeRun' && !run.resumable) return this.host.log(`Run ${run.name}: not resumed, it is ${run.state}`);
    if (action.type === 'openCheckpoint' && !run.checkpoints[action.checkpoint])
      return this.host.log(`Run ${run.name}: it has no ${RUN_FILES[action.checkpoint]} yet`);
    if (action.type === 'evaluateRun' && !run.checkpoints.best && !run.checkpoints.last) return this.host.log(`Run ${run.name}: no checkpoint to evaluate yet`);
    const { command, args } = runViewCommand(action, dir);
    try {
      await this.host.execute(command, args);
    } catch (e) {
      this.host.log(`Run ${run.name}: ${command} failed: ${(e as Error).message}`);
    }
  }

  /** A run view's state, config and checkpoints, sent after the runs and on every change of the run. */
  private async sendRunView(): Promise<void> {
    const dir = this.dirs[0];
    if (!this.runView || dir === undefined) return;
    this.post({ type: 'runView', run: await readRunView(this.ids.get(dir)!, dir, this.isAlive) });
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
    await this.sendRunView();
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
    // A run view's state and checkpoints also when no record is new (sendAll sends them itself).
    if (await this.appendNew(dir, follower)) await this.sendRunView();
  }

  /** Sends the records appended since the last read; false when everything was sent again instead. */
  private async appendNew(dir: string, follower: MetricsFollower): Promise<boolean> {
    let update, status, summary;
    try {
      [update, status, summary] = await Promise.all([follower.read(), readStatus(dir), readSummary(dir)]);
    } catch {
      await this.sendAll();
      return false;
    }
    if (update.kind === 'rewritten') {
      await this.sendAll();
      return false;
    }
    const state = status?.state ?? 'unknown';
    if (update.records.length === 0 && state === this.states.get(dir)) return true;
    this.states.set(dir, state);
    this.post({
      type: 'append',
      id: this.ids.get(dir)!,
      state,
      summary: wireSummary(summary),
      metrics: wireColumns(toColumns(update.records as MetricRecord[])),
    });
    return true;
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
