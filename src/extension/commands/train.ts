/**
 * "Weight Space Lab: Train Experiment": trains the config that was clicked in the tree or the explorer,
 * or the one open in the editor, or one picked from the workspace, into <runs folder>/<run name>. The
 * worker validates the config (a bad one fails the task at once, the error naming the file and the key);
 * when the run folder exists, it offers to resume it (unfinished) or to train again under a new name.
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import * as vscode from 'vscode';
import { readRunConfig, readStatus } from '../../core/train/runFolder';
import { STUDY_SUFFIX } from '../../core/study/studyFolder';
import { configRunName, CONFIG_SUFFIX, scanExperiments } from '../../core/workspace/experimentScan';
import type { TrainJob } from '../../protocol/worker';
import type { Lab } from '../lab';
import { UserError } from '../userError';
import { trainBackendFor } from '../settings';
import type { TaskInfo } from '../tasks/taskManager';
import { refuseWhenUntrusted, type Refusal } from '../trust';
import { errorMessage, exists, inWorkspace, optionsOf, pathOfArgument, pick } from './common';
import { uniqueName } from './naming';

export interface TrainArgs {
  /** The *.wslab.json file (absolute, or relative to the workspace). */
  readonly config: string;
  /** Run folder name (default: the config's name). */
  readonly name?: string;
  /** When the run folder exists: resume it, or train a new run under a fresh name. Default: ask. */
  readonly ifExists?: 'resume' | 'new';
}

async function chooseConfig(lab: Lab, root: string): Promise<string | undefined> {
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.scheme === 'file' && active.fsPath.endsWith(CONFIG_SUFFIX) && !active.fsPath.endsWith(STUDY_SUFFIX)) return active.fsPath;
  const { datasetsFolder, runsFolder } = lab.settings();
  const scan = await scanExperiments(root, { datasetsFolder, runsFolder });
  if (scan.configs.length === 0) {
    const create = await vscode.window.showInformationMessage('There is no experiment config (*.wslab.json) in this workspace yet.', 'New Experiment Config…');
    if (create) await vscode.commands.executeCommand('weightSpaceLab.newExperimentConfig');
    return undefined;
  }
  if (scan.configs.length === 1) return scan.configs[0]!.file;
  return pick(
    'Train Experiment',
    'Which experiment config?',
    scan.configs.map((c) => ({ label: vscode.workspace.asRelativePath(c.file), description: c.dataset ? `→ ${c.dataset}` : '', value: c.file })),
  );
}

export async function trainExperimentCommand(lab: Lab, arg?: unknown): Promise<TaskInfo | Refusal | undefined> {
  const refusal = refuseWhenUntrusted('Training');
  if (refusal) return refusal;
  const root = lab.requireRoot();
  const options = optionsOf<TrainArgs>(arg, 'config');
  const given = options?.config ?? pathOfArgument(arg);
  const config = given ? await inWorkspace(root, given, 'the experiment config') : await chooseConfig(lab, root);
  if (!config) return undefined;
  // The worker validates the config against the schema (its errors name the file and the key); here only
  // what names the run and picks the backend is read.
  let raw: { backend?: unknown; dataset?: unknown };
  try {
    raw = JSON.parse(await readFile(config, 'utf8')) as { backend?: unknown; dataset?: unknown };
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error('the config must be a JSON object');
  } catch (e) {
    throw new UserError(`${config}: ${errorMessage(e)}`);
  }
  // The dataset it names (relative to the config's folder) must be inside the workspace too.
  if (typeof raw.dataset === 'string') await inWorkspace(root, resolve(dirname(config), raw.dataset), `the dataset path in ${basename(config)}`);
  const configBackend = typeof raw.backend === 'string' ? raw.backend : 'auto';
  const settings = lab.settings();
  const runsDir = lab.inRoot(settings.runsFolder);
  let name = options?.name ?? configRunName(config, raw);
  let resume = false;
  const runDir = () => join(runsDir, name);
  if (exists(join(runDir(), 'config.json'))) {
    const state = (await readStatus(runDir()).catch(() => undefined))?.state;
    const fresh = uniqueName(name, (n) => exists(join(runsDir, n)));
    let decision = options?.ifExists;
    if (!decision) {
      decision = await pick('Train Experiment', `runs/${name} exists (${state ?? 'unknown state'})`, [
        ...(state !== 'done' ? [{ label: `Resume ${name}`, description: 'continue from its last finished epoch', value: 'resume' as const }] : []),
        { label: `Train a new run: ${fresh}`, value: 'new' as const },
      ]);
    }
    if (!decision) return undefined;
    if (decision === 'resume' && state !== 'done') resume = true;
    else name = fresh;
  }
  // The backend setting overrides a config that leaves the choice to "auto"; a resumed run keeps its own.
  const forced = trainBackendFor(settings.backend);
  let overrides: string[] = forced && configBackend === 'auto' ? [`backend=${forced}`] : [];
  if (resume) {
    const stored = await readRunConfig<{ backend?: string }>(runDir()).catch(() => undefined);
    overrides = stored?.backend && stored.backend !== configBackend ? [`backend=${stored.backend}`] : [];
  }
  const job: TrainJob = { kind: 'train', config, runDir: runDir(), resume, overrides };
  return lab.startTask({ title: `Train ${name}`, job, target: runDir() });
}
