/** The workspace's runs as quick-pick choices, for the commands that pick runs (Compare Runs…, Open Run). */
import { scanExperiments, type RunEntry } from '../../core/workspace/experimentScan';
import type { Lab } from '../lab';
import { NothingYet } from '../userError';
import type { Choice } from './common';

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
