/** `wslab study FILE`: plans, trains (resumably) and reports a data-efficiency study (core/study). */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readStudy } from '../../core/study/studyConfig';
import { defaultStudyDir, STUDY_FILES } from '../../core/study/studyFolder';
import { runStudy, StudyCancelled, type StudyEvent } from '../../core/study/studyRunner';
import { trainProcessLauncher } from '../../core/study/trainProcess';
import { UsageError, type CommandIO } from '../command';
import { integerOption } from '../options';
import type { CliOptions } from '../optionHelp';
import { PROGRESS_OPTION, ProgressReporter, progressMode } from '../progress';
import { cancelOnSignal } from '../cancelOnSignal';
import { distFile } from '../../core/io/bundledWorker';

export const studyUsage =
  'wslab study FILE.study.wslab.json [--out DIR] [--parallel N] [--progress bar|json|none]\n' +
  '               train every run of a study (sizes × conditions × seeds), resumably; writes DIR/study.json and DIR/report.html (default DIR: studies/<name>)';

export const STUDY_OPTIONS = {
  out: { type: 'string', value: 'DIR', help: 'The study folder (rerun with the same DIR to resume).', defaultText: 'studies/<name>' },
  parallel: { type: 'string', value: 'N', help: 'Runs trained at once.', defaultText: "the study's parallel, else 1" },
  progress: PROGRESS_OPTION,
} satisfies CliOptions;

export async function studyCommand(args: readonly string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], allowPositionals: true, options: STUDY_OPTIONS });
  if (positionals.length !== 1) throw new UsageError(`study needs one study file\nusage: ${studyUsage}`);
  const mode = progressMode(values.progress);
  const parallel = values.parallel === undefined ? undefined : integerOption('parallel', values.parallel, 1);
  const study = await readStudy(positionals[0]!);
  const out = values.out === undefined ? defaultStudyDir(process.cwd(), study.name) : resolve(values.out);
  const reporter = new ProgressReporter(mode);
  const onEvent = (e: StudyEvent) => {
    reporter.event(e.type === 'result' ? { type: 'result', runsFinished: e.result.runsFinished, runsTotal: e.result.runsTotal } : e);
    if (mode === 'json') return;
    if (e.type === 'plan') io.stderr(`study ${study.name}: ${e.total} runs (${e.finished} already finished) → ${out}`);
    if (e.type === 'run-failed') io.stderr(`wslab: run ${e.run} failed: ${e.error}`);
    if (e.type === 'progress')
      reporter.update({
        done: e.finished,
        total: e.total,
        details: [`${(100 * e.fraction).toFixed(0)}% of steps`, ...e.running.map((r) => `training ${r}`)],
        etaSec: e.etaSec,
      });
  };
  const cancellation = cancelOnSignal();
  try {
    const result = await runStudy({ study, out, parallel, signal: cancellation.controller.signal, onEvent, launch: trainProcessLauncher(distFile('cli.js')) });
    if (mode !== 'json')
      io.stdout(`${join(out, STUDY_FILES.result)}: ${result.runsFinished} of ${result.runsTotal} runs; report ${join(out, STUDY_FILES.report)}`);
    return 0;
  } catch (e) {
    if (e instanceof StudyCancelled) {
      io.stderr(`wslab: ${e.message}`);
      return 130;
    }
    throw e;
  } finally {
    reporter.finish();
    cancellation.dispose();
  }
}
