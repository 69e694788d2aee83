/** The workspace's runs as quick-pick choices, for the commands that pick runs (Compare Runs…, Open Run, Evaluate Run…). */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RUN_FILES } from '../../core/train/runFolder';
import { scanExperiments, type RunEntry } from '../../core/workspace/experimentScan';
import type { Lab } from '../lab';
import { NothingYet, UserError } from '../userError';
import { pick, type Choice } from './common';

/** Every run of the workspace; with none, "nothing yet to `purpose`" offering Train Experiment. */
export async function workspaceRuns(lab: Lab, root: string, purpose: string): Promise<readonly RunEntry[]> {
  const { datasetsFolder, runsFolder } = lab.settings();
  const scan = await scanExperiments(root, { datasetsFolder, runsFolder });
  if (scan.runs.length === 0)
    throw new NothingYet(`No training runs to ${purpose} yet: train a config first.`, {
      label: 'Train Experiment…',
      command: 'weightSpaceLab.trainExperiment',
    });
  return scan.runs;
}

/** A run as a choice: its name, state and best validation accuracy, and its config when named otherwise. */
export function runChoice(r: RunEntry): Choice<string> {
  return {
    label: r.name,
    description: `${r.state} · best val ${r.bestValAccuracy === null ? '–' : `${(100 * r.bestValAccuracy).toFixed(2)}%`}`,
    detail: r.config !== r.name ? `config ${r.config}` : undefined,
    value: r.dir,
  };
}

/**
 * The run folder a command is about: `given` (absolute or workspace-relative), else one picked from the
 * workspace's runs (undefined when dismissed); refused when it is not a run folder.
 */
export async function chooseRunFolder(lab: Lab, root: string, given: string | undefined, title: string, purpose: string): Promise<string | undefined> {
  const run = given !== undefined ? resolve(root, given) : await pick(title, 'Which run?', (await workspaceRuns(lab, root, purpose)).map(runChoice));
  if (run !== undefined && !existsSync(join(run, RUN_FILES.config))) throw new UserError(`${run} is not a run folder: it has no ${RUN_FILES.config}`);
  return run;
}
