/**
 * "Weight Space Lab: Compare Runs…": the runs selected in the tree (context menu "Add to Comparison"),
 * or picked from all runs, in the run comparison panel (panels/compare/panel.ts: curves, tables, live
 * updates). Arguments: `{ runs: [folders] }` (absolute or workspace-relative; with `pick: true` the
 * picker opens with those runs preselected — a run view's "Compare with…"), a tree node (a run or a run
 * group) with the tree's selection, a run folder's Uri or path, or nothing (the picker). Read-only: works
 * in Restricted Mode too.
 */
import { resolve } from 'node:path';
import type { Lab } from '../lab';
import { showComparePanel, type ComparePanelHandle } from '../panels/compare/panel';
import type { ExperimentNode } from '../tree/experimentModel';
import { optionsOf, pathOfArgument, pickMany } from './common';
import { runChoice, workspaceRuns } from './runChoices';

export interface CompareArgs {
  /** Run folders (absolute or workspace-relative). */
  readonly runs: readonly string[];
  /** Show the picker with `runs` preselected (instead of comparing them at once). */
  readonly pick?: boolean;
}

/** Run folders of tree nodes: runs themselves, and the runs of a run group. */
function runsOfNodes(nodes: readonly unknown[]): string[] {
  return nodes.flatMap((n) => {
    const node = n as Partial<ExperimentNode>;
    if (node?.kind === 'run' && node.path) return [node.path];
    if (node?.kind === 'runGroup') return (node.children ?? []).filter((c) => c.kind === 'run' && c.path).map((c) => c.path!);
    return [];
  });
}

/** The picker over every run of the workspace (`preselected`, by default the finished ones); undefined when dismissed. */
async function pickRuns(lab: Lab, root: string, preselected?: readonly string[]): Promise<string[] | undefined> {
  const runs = await workspaceRuns(lab, root, 'compare');
  const chosen = await pickMany(
    'Compare Runs',
    'Runs to compare',
    runs.map((r) => ({ ...runChoice(r), picked: preselected ? preselected.includes(r.dir) : r.state === 'done' })),
  );
  return chosen?.length ? chosen : undefined;
}

export async function compareRunsCommand(lab: Lab, arg?: unknown, selected?: unknown): Promise<{ runs: string[]; panel: ComparePanelHandle } | undefined> {
  const root = lab.requireRoot();
  const given = optionsOf<CompareArgs>(arg, 'runs');
  let runs = given?.runs?.map((r) => resolve(root, r)) ?? runsOfNodes(Array.isArray(selected) && selected.length ? selected : arg ? [arg] : []);
  if (runs.length === 0 && pathOfArgument(arg) && !given) runs = [pathOfArgument(arg)!];
  if (runs.length === 0 || given?.pick) {
    const chosen = await pickRuns(lab, root, given?.pick ? runs : undefined);
    if (!chosen) return undefined;
    runs = chosen;
  }
  const panel = await showComparePanel({
    extensionUri: lab.context.extensionUri,
    root,
    runs,
    pickRuns: () => pickRuns(lab, root),
    log: (line) => lab.log(line),
  });
  return { runs, panel };
}
