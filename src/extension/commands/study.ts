/**
 * "Weight Space Lab: Run Study" trains every run of a *.study.wslab.json (core/study) in a worker task —
 * progress with the share of steps done, runs finished and ETA; cancel stops cleanly, Resume (or running
 * it again) continues, keeping finished runs — into <workspace>/studies/<name>, and opens its Study view.
 * "Open Study View" shows a study's accuracy-vs-size plot in the comparison panel (live while it runs).
 * Arguments: the study file (tree node, explorer Uri, path), `{ file }`, or nothing (the active editor's
 * study file, else a pick from the workspace's studies).
 */
import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { defaultStudyDir, STUDY_SUFFIX, studyName } from '../../core/study/studyFolder';
import { scanExperiments } from '../../core/workspace/experimentScan';
import type { StudyJob } from '../../protocol/worker';
import type { Lab } from '../lab';
import { showComparePanel, type ComparePanelHandle } from '../panels/compare/panel';
import type { TaskInfo } from '../tasks/taskManager';
import { refuseWhenUntrusted, type Refusal } from '../trust';
import { NothingYet, UserError } from '../userError';
import { errorMessage, inWorkspace, optionsOf, pathOfArgument, pick } from './common';

export interface StudyArgs {
  /** The *.study.wslab.json file (absolute, or relative to the workspace). */
  readonly file: string;
}

async function chooseStudy(lab: Lab, root: string, arg: unknown, title: string): Promise<string | undefined> {
  const given = optionsOf<StudyArgs>(arg, 'file')?.file ?? pathOfArgument(arg);
  if (given) return inWorkspace(root, given, 'the study file');
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.scheme === 'file' && active.fsPath.endsWith(STUDY_SUFFIX)) return active.fsPath;
  const { datasetsFolder, runsFolder } = lab.settings();
  const scan = await scanExperiments(root, { datasetsFolder, runsFolder });
  if (scan.studies.length === 0)
    throw new NothingYet(
      `No study (*${STUDY_SUFFIX}) in this workspace yet: a study file names a config, the augmentations to compare and the training-set sizes.`,
    );
  if (scan.studies.length === 1) return scan.studies[0]!.file;
  return pick(
    title,
    'Which study?',
    scan.studies.map((s) => ({
      label: vscode.workspace.asRelativePath(s.file),
      description: s.runsTotal === null ? 'not started' : `${s.runsFinished}/${s.runsTotal} runs`,
      value: s.file,
    })),
  );
}

async function studyFolder(root: string, file: string): Promise<string> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new UserError(`${file}: ${errorMessage(e)}`);
  }
  return defaultStudyDir(root, studyName(file, raw));
}

async function openStudyPanel(lab: Lab, root: string, out: string): Promise<ComparePanelHandle> {
  return showComparePanel({
    extensionUri: lab.context.extensionUri,
    root,
    runs: [],
    study: out,
    pickRuns: async () => undefined,
    log: (line) => lab.log(line),
  });
}

export async function runStudyCommand(lab: Lab, arg?: unknown): Promise<TaskInfo | Refusal | undefined> {
  const refusal = refuseWhenUntrusted('Running a study');
  if (refusal) return refusal;
  const root = lab.requireRoot();
  const file = await chooseStudy(lab, root, arg, 'Run Study');
  if (!file) return undefined;
  const out = await studyFolder(root, file);
  const job: StudyJob = { kind: 'study', file, out, parallel: null };
  const task = lab.startTask({ title: `Study ${studyName(file, null)}`, job, target: out });
  await openStudyPanel(lab, root, out);
  return task;
}

export async function openStudyCommand(lab: Lab, arg?: unknown): Promise<{ out: string; panel: ComparePanelHandle } | undefined> {
  const root = lab.requireRoot();
  const file = await chooseStudy(lab, root, arg, 'Open Study View');
  if (!file) return undefined;
  const out = await studyFolder(root, file);
  return { out, panel: await openStudyPanel(lab, root, out) };
}
