/**
 * "Weight Space Lab: Open Run": a run's own view (panels/compare/panel.ts, showRunPanel) — its curves,
 * best/last table, state and config, with buttons to compare it with other runs, resume it (unfinished)
 * or open its checkpoint in the inspector. What a click on a run in the Experiments view runs, and the
 * "Open Run" button of a finished training. Arguments: a run folder (absolute or workspace-relative), a
 * tree node of a run, the folder's Uri, `{ run: folder }`, or nothing (a picker of the workspace's runs).
 * Read-only: works in Restricted Mode too (its Resume button is then refused by Resume itself).
 */
import type { Lab } from '../lab';
import { showRunPanel, type ComparePanelHandle } from '../panels/compare/panel';
import { optionsOf, pathOfArgument } from './common';
import { chooseRunFolder } from './runChoices';

export interface OpenRunArgs {
  /** The run folder (absolute or workspace-relative). */
  readonly run: string;
}

export async function openRunCommand(lab: Lab, arg?: unknown): Promise<{ run: string; panel: ComparePanelHandle } | undefined> {
  const root = lab.requireRoot();
  const run = await chooseRunFolder(lab, root, optionsOf<OpenRunArgs>(arg, 'run')?.run ?? pathOfArgument(arg), 'Open Run', 'open');
  if (run === undefined) return undefined;
  const panel = await showRunPanel({ extensionUri: lab.context.extensionUri, root, run, log: (line) => lab.log(line) });
  return { run, panel };
}
