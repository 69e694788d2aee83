/**
 * Runs a study into its folder OUT:
 *   OUT/experiment.json   the base experiment (dataset made absolute); every run is it plus `--set`s
 *   OUT/runs/<run>/       one ordinary run folder per (curve, size, seed)
 *   OUT/logs/<run>.log    what each run's `wslab train` printed
 *   OUT/study.json        the results so far (studyResult.ts), rewritten after every finished run
 *   OUT/report.html       the same as a self-contained page
 * At most `parallel` runs train at once, each a `wslab train … --resume` process (a `launch` function, so
 * tests and the extension can run them their own way). Finished runs are kept: a rerun after a crash or a
 * cancel skips them and resumes the unfinished ones from their last epoch, so study.json ends the same as
 * after an uninterrupted study. A run that fails does not stop the others; the study fails at the end,
 * naming it and its log. Progress reports the whole study's share of optimizer steps done, and an ETA.
 * One process runs a study folder at a time: OUT/.lock holds its pid, and a second `wslab study` on the
 * same folder is refused while that process lives (a lock left by a killed one is taken over).
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomicWrite';
import { studyReportHtml, type StudyReportContext } from '../report/studyReport';
import { processIsAlive } from '../workspace/experimentScan';
import type { TrainEvent } from '../train/trainer';
import { StudyError, type StudyConfig } from './studyConfig';
import { planStudy, runSettings, validatePlan, type StudyPlan, type StudyRun } from './studyPlan';
import { STUDY_FILES } from './studyFolder';
import { collectStudyResult, type StudyResult } from './studyResult';

export type StudyEvent =
  | { readonly type: 'plan'; readonly total: number; readonly finished: number; readonly out: string }
  | { readonly type: 'run-start'; readonly run: string }
  | { readonly type: 'run-done'; readonly run: string; readonly test: number | null }
  | { readonly type: 'run-failed'; readonly run: string; readonly error: string }
  | {
      readonly type: 'progress';
      /** Share of the whole study's optimizer steps done, 0…1. */
      readonly fraction: number;
      readonly finished: number;
      readonly total: number;
      readonly running: readonly string[];
      /** Seconds left at this invocation's pace; null until there is a pace. */
      readonly etaSec: number | null;
    }
  | { readonly type: 'result'; readonly result: StudyResult };

/** Trains one run: `args` are the `wslab train` arguments (after the program). Rejects on failure. */
export type StudyLauncher = (
  run: { readonly name: string; readonly args: readonly string[]; readonly log: string },
  signal: AbortSignal,
  onEvent: (e: TrainEvent) => void,
) => Promise<void>;

export interface RunStudyOptions {
  readonly study: StudyConfig;
  readonly out: string;
  /** Runs at once (default: the study's `parallel`). */
  readonly parallel?: number;
  readonly signal?: AbortSignal;
  readonly launch: StudyLauncher;
  readonly onEvent?: (event: StudyEvent) => void;
}

export class StudyCancelled extends Error {
  override readonly name = 'StudyCancelled';
}

/** The `wslab train` arguments of one study run (local process or Slurm task alike). */
export function studyRunArgs(out: string, run: StudyRun): string[] {
  return [
    'train',
    '--config',
    join(out, STUDY_FILES.experiment),
    '--runs',
    join(out, STUDY_FILES.runs),
    '--name',
    run.name,
    '--resume',
    ...runSettings(run).flatMap((setting) => ['--set', setting]),
  ];
}

/** Plans and validates a study, and writes its experiment.json (what a local or a Slurm run needs). */
export async function prepareStudy(study: StudyConfig, out: string): Promise<{ plan: StudyPlan; steps: Map<string, number> }> {
  const plan = planStudy(study);
  const configs = validatePlan(study, plan);
  const steps = new Map<string, number>();
  for (const run of plan.runs) {
    const { optimizer } = configs.get(run.name)!;
    steps.set(run.name, Math.ceil(run.size / optimizer.batchSize) * optimizer.epochs);
  }
  await mkdir(join(out, STUDY_FILES.runs), { recursive: true });
  await mkdir(join(out, STUDY_FILES.logs), { recursive: true });
  await writeFileAtomic(join(out, STUDY_FILES.experiment), new TextEncoder().encode(`${JSON.stringify(study.base, null, 2)}\n`));
  return { plan, steps };
}

/** The report's setup lines: the study and base files, the dataset, this machine. */
function reportContext(study: StudyConfig): StudyReportContext {
  const machine = `${availableParallelism()} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.versions.node}`;
  return {
    setup: [
      ['study file', study.file],
      ['base experiment', study.baseFile],
      ['dataset', String(study.base.dataset)],
      ['machine', machine],
    ],
  };
}

/** Writes study.json and report.html from the run folders as they are now. */
export async function writeStudyResult(study: StudyConfig, plan: StudyPlan, out: string): Promise<StudyResult> {
  const result = await collectStudyResult(study, plan, out);
  await writeFileAtomic(join(out, STUDY_FILES.result), new TextEncoder().encode(`${JSON.stringify(result, null, 2)}\n`));
  await writeFileAtomic(join(out, STUDY_FILES.report), new TextEncoder().encode(studyReportHtml(result, reportContext(study))));
  return result;
}

/** Takes OUT/.lock for this process; refuses while another live process holds it. Returns its release. */
async function lockStudy(out: string): Promise<() => Promise<void>> {
  const path = join(out, '.lock');
  await mkdir(out, { recursive: true });
  for (;;) {
    try {
      await writeFile(path, String(process.pid), { flag: 'wx' });
      return () => rm(path, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (Number.isSafeInteger(holder) && holder > 0 && holder !== process.pid && processIsAlive(holder)) {
        throw new StudyError(`${out} is being run by process ${holder} (${path}); wait for it, or stop it first`);
      }
      await rm(path, { force: true });
    }
  }
}

export async function runStudy(o: RunStudyOptions): Promise<StudyResult> {
  const release = await lockStudy(o.out);
  try {
    return await runLockedStudy(o);
  } finally {
    await release();
  }
}

async function runLockedStudy(o: RunStudyOptions): Promise<StudyResult> {
  const { study, out } = o;
  const emit = o.onEvent ?? (() => undefined);
  const { plan, steps } = await prepareStudy(study, out);
  let result = await writeStudyResult(study, plan, out);
  const done = new Set(result.curves.flatMap((c) => c.points.flatMap((p) => p.runs.map((r) => r.name))));
  const queue = plan.runs.filter((r) => !done.has(r.name));
  emit({ type: 'plan', total: plan.runs.length, finished: done.size, out });
  emit({ type: 'result', result });

  const signal = o.signal ?? new AbortController().signal;
  const total = [...steps.values()].reduce((a, b) => a + b, 0);
  const stepsOf = (name: string) => steps.get(name)!;
  let doneSteps = plan.runs.filter((r) => done.has(r.name)).reduce((a, r) => a + stepsOf(r.name), 0);
  const startSteps = doneSteps;
  const running = new Map<string, number>();
  const started = performance.now();
  let lastProgress = 0;
  const progress = (force = false) => {
    const now = performance.now();
    if (!force && now - lastProgress < 500) return;
    lastProgress = now;
    const current = doneSteps + [...running.values()].reduce((a, b) => a + b, 0);
    const pace = (current - startSteps) / ((now - started) / 1000);
    emit({
      type: 'progress',
      fraction: total ? current / total : 1,
      finished: done.size,
      total: plan.runs.length,
      running: [...running.keys()],
      etaSec: pace > 0 ? (total - current) / pace : null,
    });
  };

  const failures: { run: string; error: string }[] = [];
  let next = 0;
  const worker = async () => {
    while (next < queue.length && !signal.aborted) {
      const run = queue[next++]!;
      running.set(run.name, 0);
      emit({ type: 'run-start', run: run.name });
      progress(true);
      try {
        await o.launch({ name: run.name, args: studyRunArgs(out, run), log: join(out, STUDY_FILES.logs, `${run.name}.log`) }, signal, (e) => {
          // Steps count from the run's beginning, so a resumed run's earlier steps count from its first step event.
          if (e.type !== 'step') return;
          running.set(run.name, Math.min(stepsOf(run.name), (e.step / Math.max(1, e.totalSteps)) * stepsOf(run.name)));
          progress();
        });
        done.add(run.name);
        doneSteps += stepsOf(run.name);
        result = await writeStudyResult(study, plan, out);
        const test = result.curves.flatMap((c) => c.points.flatMap((p) => p.runs)).find((r) => r.name === run.name)?.test ?? null;
        emit({ type: 'run-done', run: run.name, test });
        emit({ type: 'result', result });
      } catch (e) {
        if (signal.aborted) return;
        const error = (e as Error).message;
        failures.push({ run: run.name, error });
        emit({ type: 'run-failed', run: run.name, error });
      } finally {
        running.delete(run.name);
        progress(true);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.parallel ?? study.parallel, queue.length || 1)) }, worker));
  result = await writeStudyResult(study, plan, out);
  emit({ type: 'result', result });
  if (signal.aborted)
    throw new StudyCancelled(
      `study ${study.name} cancelled with ${result.runsFinished} of ${result.runsTotal} runs finished; rerun it to continue (finished runs are kept, unfinished ones resume from their last epoch)`,
    );
  if (failures.length)
    throw new StudyError(
      `study ${study.name}: ${failures.length} of ${plan.runs.length} runs failed: ${failures.map((f) => `${f.run} (${f.error})`).join('; ')}`,
    );
  return result;
}
