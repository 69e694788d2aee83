/**
 * "Weight Space Lab: Open Run": a run's own view (panels/compare/panel.ts, showRunPanel) — its curves,
 * best/last table, state and config, with buttons to compare it with other runs, resume it (unfinished)
 * or open its checkpoint in the inspector. What a click on a run in the Experiments view runs, and the
 * "Open Run" button of a finished training. Arguments: a run folder (absolute or workspace-relative), a
 * tree node of a run, the folder's Uri, `{ run: folder }`, or nothing (a picker of the workspace's runs).
 * Read-only: works in Restricted Mode too (its Resume button is then refused by Resume itself).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { scanExperiments } from '../../core/workspace/experimentScan';
import { RUN_FILES } from '../../core/train/runFolder';
import type { Lab } from '../lab';
import { NothingYet, UserError } from '../userError';
import { showRunPanel, type ComparePanelHandle } from '../panels/compare/panel';
import { optionsOf, pathOfArgument, pick } from './common';

export interface OpenRunArgs {
  /** The run folder (absolute or workspace-relative). */
  readonly run: string;
}

/** The picker over every run of the workspace; undefined when dismissed. */
async function pickRun(lab: Lab, root: string): Promise<string | undefined> {
  const { datasetsFolder, runsFolder } = lab.settings();
  const scan = await scanExperiments(root, { datasetsFolder, runsFolder });
  if (scan.runs.length === 0)
    throw new NothingYet('No training runs to open yet: train a config first.', { label: 'Train Experiment…', command: 'weightSpaceLab.trainExperiment' });
  return pick(
    'Open Run',
    'Which run?',
    scan.runs.map((r) => ({
      label: r.name,
      description: `${r.state} · best val ${r.bestValAccuracy === null ? '–' : `${(100 * r.bestValAccuracy).toFixed(2)}%`}`,
      detail: r.config !== r.name ? `config ${r.config}` : undefined,
      value: r.dir,
    })),
  );
}

export async function openRunCommand(lab: Lab, arg?: unknown): Promise<{ run: string; panel: ComparePanelHandle } | undefined> {
  const root = lab.requireRoot();
  const given = optionsOf<OpenRunArgs>(arg, 'run')?.run ?? pathOfArgument(arg);
  const run = given !== undefined ? resolve(root, given) : await pickRun(lab, root);
  if (run === undefined) return undefined;
  if (!existsSync(join(run, RUN_FILES.config))) throw new UserError(`${run} is not a run folder: it has no ${RUN_FILES.config}`);
  const panel = await showRunPanel({ extensionUri: lab.context.extensionUri, root, run, log: (line) => lab.log(line) });
  return { run, panel };
}
