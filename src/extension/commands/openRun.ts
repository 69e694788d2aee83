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
import { RUN_FILES } from '../../core/train/runFolder';
import type { Lab } from '../lab';
import { UserError } from '../userError';
import { showRunPanel, type ComparePanelHandle } from '../panels/compare/panel';
import { optionsOf, pathOfArgument, pick } from './common';
import { runChoice, workspaceRuns } from './runChoices';

export interface OpenRunArgs {
  /** The run folder (absolute or workspace-relative). */
  readonly run: string;
}

/** The picker over every run of the workspace; undefined when dismissed. */
async function pickRun(lab: Lab, root: string): Promise<string | undefined> {
  const runs = await workspaceRuns(lab, root, 'open');
  return pick('Open Run', 'Which run?', runs.map(runChoice));
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
