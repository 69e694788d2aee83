/**
 * The worker's study: every run of a study, each a `wslab train` process of the extension's own CLI bundle
 * (dist/cli.js beside this worker), at most `parallel` at once; progress is the share of the study's
 * optimizer steps done, with the runs finished and the ETA. Cancelling stops the running trainings (they
 * resume from their last epoch) and keeps every finished run.
 */
import { join } from 'node:path';
import { readStudy } from '../../core/study/studyConfig';
import { STUDY_FILES } from '../../core/study/studyFolder';
import { runStudy } from '../../core/study/studyRunner';
import { trainProcessLauncher } from '../../core/study/trainProcess';
import type { JobResult, StudyJob } from '../../protocol/worker';
import { distFile } from '../../core/io/bundledWorker';
import type { JobContext } from '../jobContext';

const pct = (x: number | null) => (x === null ? '–' : `${(100 * x).toFixed(2)}%`);

export async function studyJob(job: StudyJob, context: JobContext): Promise<JobResult> {
  const study = await readStudy(job.file);
  const result = await runStudy({
    study,
    out: job.out,
    parallel: job.parallel ?? undefined,
    signal: context.signal,
    launch: trainProcessLauncher(distFile('cli.js')),
    onEvent: (e) => {
      switch (e.type) {
        case 'plan':
          context.started('wslab train processes', `${study.name}: ${e.total} runs, ${e.finished} finished before`);
          break;
        case 'progress':
          context.progress({
            done: e.finished,
            total: e.total,
            unit: 'runs',
            rate: null,
            rateUnit: '',
            etaSec: e.etaSec,
            detail: [`${(100 * e.fraction).toFixed(0)}% of steps`, ...e.running].join(' · '),
          });
          break;
        case 'run-done':
          context.log(`${e.run}: test at best val ${pct(e.test)}`);
          break;
        case 'run-failed':
          context.log(`${e.run} failed: ${e.error}`);
          break;
      }
    },
  });
  context.log(`study ${study.name}: ${result.runsFinished} of ${result.runsTotal} runs; ${join(job.out, STUDY_FILES.report)}`);
  return { kind: 'study', out: job.out, runsFinished: result.runsFinished, runsTotal: result.runsTotal };
}
