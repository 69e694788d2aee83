/**
 * A study's file name and folder: the base experiment every run starts from, one ordinary run folder per run, the
 * runs' logs, study.json (the results so far) and report.html.
 */
import { basename, join, resolve } from 'node:path';

export const STUDY_SUFFIX = '.study.wslab.json';

/** Where a study writes by default: studies/<name> under the working folder (CLI) or the workspace (VS Code). */
export const STUDIES_FOLDER = 'studies';

export function defaultStudyDir(root: string, name: string): string {
  return resolve(root, STUDIES_FOLDER, name);
}

/** The name of a study: its "name", else the file name without .study.wslab.json. */
export function studyName(file: string, raw: unknown): string {
  const name = (raw as { name?: unknown } | null)?.name;
  return typeof name === 'string' && name !== '' ? name : basename(file).replace(/(\.study)?(\.wslab)?\.json$/i, '');
}

export const STUDY_FILES = { experiment: 'experiment.json', result: 'study.json', report: 'report.html', runs: 'runs', logs: 'logs' } as const;

/** The run folder of a study run. */
export function studyRunDir(out: string, run: string): string {
  return join(out, STUDY_FILES.runs, run);
}
