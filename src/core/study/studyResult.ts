/**
 * study.json: what a study has measured so far, read from its run folders' summaries alone — test accuracy
 * at the best validation epoch per run, mean ± std (n − 1) over seeds per point, and each condition's
 * data-equivalents against the first condition of its group. Nothing in it depends on when or in how many
 * sessions the runs trained (no times, no dates), so a study interrupted and resumed writes the same file
 * as one that ran straight through.
 */
import { join } from 'node:path';
import { readJsonFile } from '../io/readJsonFile';
import { readStatus, readSummary } from '../train/runFolder';
import { dataEquivalent, type Equivalent } from './dataEquivalent';
import { STUDY_FILES, studyRunDir } from './studyFolder';
import type { StudyConfig } from './studyConfig';
import type { StudyPlan, StudySeries } from './studyPlan';
import { mean, std } from './seedStats';
import { LabError } from '../labError';

export const STUDY_RESULT_VERSION = 1;

export interface StudyRunResult {
  readonly name: string;
  readonly seed: number;
  /** Test accuracy of the best-validation model. */
  readonly test: number | null;
  readonly bestVal: number | null;
  readonly bestEpoch: number | null;
  /** Training INRs the run actually used (fewer than the size when the split is smaller). */
  readonly trainCount: number;
}

export interface StudyPoint {
  readonly size: number;
  /** Finished runs only. */
  readonly runs: readonly StudyRunResult[];
  /** Over the finished runs' test accuracies; null before any finished. */
  readonly mean: number | null;
  readonly std: number | null;
}

export interface StudyEquivalent {
  readonly size: number;
  readonly accuracy: number;
  /** The reference size of equal accuracy, or a bound ('above' the largest / 'below' the smallest reference size). */
  readonly equivalent: Equivalent | null;
  /** equivalent size ÷ size, when it is a size. */
  readonly ratio: number | null;
}

/** A curve of the plan (studyPlan.ts's StudySeries, without the keys it sets) and what it measured. */
export interface StudyCurve extends Omit<StudySeries, 'settings'> {
  /** The curve data-equivalents are measured against (null for the reference itself). */
  readonly reference: string | null;
  readonly points: readonly StudyPoint[];
  readonly equivalents: readonly StudyEquivalent[];
}

export interface StudyResult {
  readonly version: number;
  readonly name: string;
  readonly description?: string;
  readonly metric: 'test accuracy at best validation epoch';
  readonly sizes: readonly number[];
  readonly seeds: readonly number[];
  readonly runsTotal: number;
  readonly runsFinished: number;
  readonly complete: boolean;
  readonly curves: readonly StudyCurve[];
  /** Runs whose folder says they failed (their error), if any. */
  readonly failed: readonly { readonly name: string; readonly error: string }[];
}

/** A finished run's result, a failed run's error, or null for a run not (yet) finished. */
async function finishedRun(out: string, name: string, seed: number): Promise<StudyRunResult | { readonly error: string } | null> {
  const dir = studyRunDir(out, name);
  const status = await readStatus(dir);
  if (status?.state === 'failed') return { error: status.error ?? 'failed' };
  if (status?.state !== 'done') return null;
  const summary = await readSummary(dir);
  if (!summary) return null;
  return { name, seed, test: summary.testAccuracyAtBest, bestVal: summary.bestValAccuracy, bestEpoch: summary.bestEpoch, trainCount: summary.counts.train };
}

function curveOf(series: StudySeries, points: StudyPoint[], reference: { key: string; points: StudyPoint[] } | null): StudyCurve {
  const referencePoints = reference?.points.filter((p) => p.mean !== null).map((p) => ({ size: p.size, accuracy: p.mean! })) ?? [];
  const equivalents: StudyEquivalent[] = reference
    ? points
        .filter((p) => p.mean !== null)
        .map((p) => {
          const equivalent = dataEquivalent(referencePoints, p.mean!);
          return { size: p.size, accuracy: p.mean!, equivalent, ratio: equivalent?.kind === 'size' ? equivalent.size / p.size : null };
        })
    : [];
  const { settings: _settings, ...curve } = series;
  return { ...curve, reference: reference?.key ?? null, points, equivalents };
}

/** The study's results from whatever its run folders hold now. */
export async function collectStudyResult(study: StudyConfig, plan: StudyPlan, out: string): Promise<StudyResult> {
  const failed: { name: string; error: string }[] = [];
  const pointsOf = new Map<string, StudyPoint[]>();
  let finished = 0;
  for (const series of plan.series) {
    const points: StudyPoint[] = [];
    for (const size of study.sizes) {
      const runs: StudyRunResult[] = [];
      for (const run of plan.runs.filter((r) => r.series === series.key && r.size === size)) {
        const result = await finishedRun(out, run.name, run.seed);
        if (result && 'error' in result) failed.push({ name: run.name, error: result.error });
        else if (result) runs.push(result);
      }
      finished += runs.length;
      const tests = runs.map((r) => r.test).filter((t): t is number => t !== null);
      points.push({ size, runs, mean: tests.length ? mean(tests) : null, std: tests.length ? std(tests) : null });
    }
    pointsOf.set(series.key, points);
  }
  const firstOfGroup = new Map<string, string>();
  for (const s of plan.series) if (!firstOfGroup.has(s.group)) firstOfGroup.set(s.group, s.key);
  const curves = plan.series.map((s) => {
    const referenceKey = firstOfGroup.get(s.group)!;
    const reference = referenceKey === s.key || s.condition === null ? null : { key: referenceKey, points: pointsOf.get(referenceKey)! };
    return curveOf(s, pointsOf.get(s.key)!, reference);
  });
  return {
    version: STUDY_RESULT_VERSION,
    name: study.name,
    ...(study.description !== undefined ? { description: study.description } : {}),
    metric: 'test accuracy at best validation epoch',
    sizes: study.sizes,
    seeds: study.seeds,
    runsTotal: plan.runs.length,
    runsFinished: finished,
    complete: finished === plan.runs.length,
    curves,
    failed,
  };
}

export class StudyResultError extends LabError {
  override readonly name = 'StudyResultError';
  constructor(message: string) {
    super('bad-study', message);
  }
}

/** Reads OUT/study.json (undefined when there is none yet); a file of another shape is an error naming it. */
export async function readStudyResult(out: string): Promise<StudyResult | undefined> {
  const path = join(out, STUDY_FILES.result);
  const value = await readJsonFile(path, (message) => new StudyResultError(message));
  if (value === undefined) return undefined;
  const r = value as Partial<StudyResult>;
  if (
    typeof r !== 'object' ||
    r === null ||
    r.version !== STUDY_RESULT_VERSION ||
    !Array.isArray(r.curves) ||
    !Array.isArray(r.sizes) ||
    !Array.isArray(r.seeds)
  ) {
    throw new StudyResultError(`${path}: not a study result of version ${STUDY_RESULT_VERSION} (made by wslab study)`);
  }
  return r as StudyResult;
}
