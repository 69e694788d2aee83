/**
 * A study as a Slurm job array: task i trains study run i (`wslab train --config OUT/experiment.json
 * --runs OUT/runs --resume --set … --name RUN`, the same arguments a local study passes), so a requeued
 * task resumes its own run. Every run's config is validated first (core/study/studyPlan.ts). The job's
 * files live in OUT/runs/slurm/ and `wslab slurm status OUT/runs` follows it; afterwards `wslab study
 * FILE --out OUT` finds every run finished and writes study.json and the report.
 */
import { prepareStudy } from '../study/studyRunner';
import { runSettings } from '../study/studyPlan';
import type { StudyConfig } from '../study/studyConfig';
import { STUDY_FILES } from '../study/studyFolder';
import { join } from 'node:path';
import type { PreparedJob } from './preparedJob';
import type { WslabArrayOptions } from './sbatchScript';
import { MAX_SWEEP_TASKS, sweepArrayJob } from './sweepArray';
import { sanitizeRunName, type SweepPoint } from './sweepPlan';
import { ClusterError } from './errors';

export interface StudyArrayOptions extends Omit<WslabArrayOptions, 'name'> {
  readonly study: StudyConfig;
  /** Absolute study folder. */
  readonly out: string;
  /** Job name; default wslab-study-<name>. */
  readonly name?: string;
  /** Where the script goes; default OUT/runs/slurm/sweep.sbatch. */
  readonly script?: string;
}

export async function prepareStudyArray(o: StudyArrayOptions): Promise<PreparedJob & { readonly points: readonly SweepPoint[] }> {
  const { plan } = await prepareStudy(o.study, o.out);
  if (plan.runs.length > MAX_SWEEP_TASKS)
    throw new ClusterError(`the study has ${plan.runs.length} runs: more than a Slurm job array takes by default (${MAX_SWEEP_TASKS}); split it`);
  const points: SweepPoint[] = plan.runs.map((run, task) => ({ task, name: run.name, settings: runSettings(run) }));
  const runs = join(o.out, STUDY_FILES.runs);
  const name = o.name ?? `wslab-study-${sanitizeRunName(o.study.name)}`.slice(0, 64);
  const { script, record } = sweepArrayJob({ ...o, name, config: join(o.out, STUDY_FILES.experiment), runs, points });
  return {
    script,
    record,
    what: `${points.length} study run(s) × ${o.cpusPerTask} CPU(s), into ${runs}`,
    after: `, then wslab study ${o.study.file} --out ${o.out} for study.json and the report`,
    points,
  };
}
