/**
 * The items of the Experiments tree, built from a workspace scan (src/core/workspace/experimentScan.ts)
 * and the tasks in flight — pure data (label, description, codicon, context value, file), so the tree is
 * tested without VS Code; experimentTreeProvider.ts turns the nodes into TreeItems.
 *
 *   Configs   one item per *.wslab.json (description: its folder and dataset)
 *   Datasets  one per INR dataset: size, mean PSNR, state (complete, partial, generating 42%, …)
 *   Runs      grouped by the config they were trained from; each with a state icon and the best
 *             validation accuracy in its description; a click opens its run view
 *   Studies   one per *.study.wslab.json: how many of its runs have finished (running: the task's progress);
 *             only when there are some; a click opens its Study view
 *   Slurm jobs  submitted job arrays and their tasks (slurmJobNodes.ts); only when there are some
 *
 * An empty workspace gives no items at all, so VS Code shows the welcome view with the first steps.
 */
import { basename } from 'node:path';
import { bareDatasetSummary, type DatasetSummary } from '../../core/workspace/datasetSummary';
import { relativeToRoot, type ExperimentScan, type RunEntry, type RunEntryState, type StudyEntry } from '../../core/workspace/experimentScan';
import { formatCount } from '../../protocol/display';
import { percentOf } from '../tasks/progressText';
import type { TaskInfo } from '../tasks/taskManager';
import { slurmJobNode } from './slurmJobNodes';
import type { SlurmJobView } from './slurmJobs';
import type { ExperimentNode, NodeIcon } from './experimentNode';

export type { ExperimentNode, NodeIcon, NodeKind } from './experimentNode';

const pct = (x: number | null) => (x === null ? '–' : `${(100 * x).toFixed(2)}%`);

const RUN_ICONS: Record<RunEntryState, NodeIcon> = {
  running: { id: 'sync~spin', color: 'charts.blue' },
  done: { id: 'pass', color: 'testing.iconPassed' },
  failed: { id: 'error', color: 'testing.iconFailed' },
  cancelled: { id: 'circle-slash', color: 'disabledForeground' },
  interrupted: { id: 'debug-pause', color: 'charts.yellow' },
  unknown: { id: 'question' },
};

function activeTaskFor(tasks: readonly TaskInfo[], path: string): TaskInfo | undefined {
  return tasks.find((t) => t.target === path && (t.state === 'running' || t.state === 'queued' || t.state === 'cancelling'));
}

function taskNote(task: TaskInfo): string {
  if (task.state === 'queued') return 'queued';
  if (task.state === 'cancelling') return 'cancelling…';
  return task.progress ? `${Math.floor(percentOf(task.progress))}%` : 'starting…';
}

function datasetNode(d: DatasetSummary, scan: ExperimentScan, task: TaskInfo | undefined): ExperimentNode {
  const size =
    d.items === null
      ? d.planned === null
        ? ''
        : `${formatCount(d.planned)} planned`
      : d.planned !== null && d.items < d.planned
        ? `${formatCount(d.items)}/${formatCount(d.planned)} INRs`
        : `${formatCount(d.items)} INRs`;
  const psnr = d.psnr ? `PSNR ${d.psnr.mean.toFixed(1)} dB` : '';
  const status = task ? `${task.job.kind === 'augment' ? 'augmenting' : 'generating'} ${taskNote(task)}` : d.state === 'complete' ? '' : d.state;
  const description = [size, psnr, status].filter(Boolean).join(' · ');
  const icon: NodeIcon = task
    ? { id: 'sync~spin', color: 'charts.blue' }
    : d.state === 'complete'
      ? { id: 'database' }
      : d.state === 'broken'
        ? { id: 'error', color: 'errorForeground' }
        : { id: 'warning', color: 'charts.yellow' };
  const tooltip = [
    relativeToRoot(scan.root, d.dir),
    d.source ? `source: ${d.source}${d.classes ? ` (${d.classes} classes)` : ''}` : '',
    d.augmentation ? `augmented: ${d.augmentation}` : '',
    d.items !== null ? `INRs: ${formatCount(d.items)}${d.planned !== null ? ` of ${formatCount(d.planned)} planned` : ''}` : '',
    d.views ? `views per image: ${d.views}` : '',
    d.fitSteps ? `fitting steps: ${formatCount(d.fitSteps)}` : '',
    d.psnr ? `PSNR: mean ${d.psnr.mean.toFixed(2)} dB, min ${d.psnr.min.toFixed(2)}, max ${d.psnr.max.toFixed(2)}` : '',
    d.manifestBytes !== null && d.items === null ? `manifest.json is large (${formatCount(d.manifestBytes)} bytes): counts not read here` : '',
    `state: ${task ? status : d.state}`,
    d.error ?? '',
  ]
    .filter(Boolean)
    .join('\n');
  return {
    id: `dataset:${d.dir}`,
    kind: 'dataset',
    label: d.name,
    description,
    tooltip,
    icon,
    contextValue: `dataset.${task ? 'busy' : d.state}`,
    path: d.dir,
  };
}

function runNode(run: RunEntry, task: TaskInfo | undefined): ExperimentNode {
  const state: RunEntryState = task && run.state !== 'running' ? 'running' : run.state;
  const parts = [`best val ${pct(run.bestValAccuracy)}`];
  if (run.testAccuracyAtBest !== null) parts.push(`test ${pct(run.testAccuracyAtBest)}`);
  if (task) parts.push(taskNote(task));
  else if (state !== 'done') parts.push(state);
  const tooltip = [
    run.dir,
    `state: ${state}`,
    run.epochsDone !== null ? `epochs: ${run.epochsDone}/${run.epochs}` : '',
    `best validation accuracy: ${pct(run.bestValAccuracy)}${run.bestEpoch !== null ? ` (epoch ${run.bestEpoch})` : ''}`,
    `test accuracy at best validation: ${pct(run.testAccuracyAtBest)}`,
    run.error ? `error: ${run.error}` : '',
  ]
    .filter(Boolean)
    .join('\n');
  return {
    id: `run:${run.dir}`,
    kind: 'run',
    label: run.name,
    description: parts.join(' · '),
    tooltip,
    icon: RUN_ICONS[state],
    contextValue: `run.${task ? 'running' : state}`,
    path: run.dir,
    // A click opens the run view: curves, best/last, state, config, and Compare / Resume / Open checkpoint.
    command: 'weightSpaceLab.openRun',
  };
}

function studyNode(study: StudyEntry, scan: ExperimentScan, task: TaskInfo | undefined): ExperimentNode {
  const progress =
    study.runsTotal === null ? 'not started' : study.complete ? `complete · ${study.runsTotal} runs` : `${study.runsFinished}/${study.runsTotal} runs`;
  const description = task ? `running ${taskNote(task)} · ${progress}` : progress;
  return {
    id: `study:${study.file}`,
    kind: 'study',
    label: basename(study.file),
    description,
    tooltip: study.error ?? `${relativeToRoot(scan.root, study.file)}\nresults in ${relativeToRoot(scan.root, study.out)}\n${progress}`,
    icon: task
      ? { id: 'sync~spin', color: 'charts.blue' }
      : study.error
        ? { id: 'warning', color: 'charts.yellow' }
        : study.complete
          ? { id: 'graph-line', color: 'testing.iconPassed' }
          : { id: 'graph-line' },
    contextValue: `study.${task ? 'running' : study.complete ? 'complete' : 'idle'}`,
    path: study.file,
    command: 'weightSpaceLab.openStudy',
  };
}

function hint(id: string, label: string, command: string): ExperimentNode {
  return { id: `hint:${id}`, kind: 'hint', label, icon: { id: 'add' }, contextValue: 'hint', command };
}

export function buildExperimentTree(scan: ExperimentScan, tasks: readonly TaskInfo[] = [], jobs: readonly SlurmJobView[] = []): ExperimentNode[] {
  // Datasets being generated before their dataset.json exists still show, as "generating".
  const known = new Set(scan.datasets.map((d) => d.dir));
  const pending = tasks
    .filter((t) => t.job.kind === 'generate' && t.target && !known.has(t.target) && activeTaskFor(tasks, t.target))
    .map((t) => bareDatasetSummary(t.target!, 'empty'));
  const datasets = [...scan.datasets, ...pending];
  if (scan.configs.length === 0 && datasets.length === 0 && scan.runs.length === 0 && scan.studies.length === 0 && jobs.length === 0) return [];

  const configs = scan.configs.map((c): ExperimentNode => {
    return {
      id: `config:${c.file}`,
      kind: 'config',
      label: basename(c.file),
      // The dataset by name (its folder's); the path is in the tooltip.
      description: c.dataset ? `on ${basename(c.dataset)}` : '',
      tooltip: c.error ?? `${relativeToRoot(scan.root, c.file)}\ntrains runs named "${c.name}"${c.dataset ? ` on ${c.dataset}` : ''}`,
      icon: c.error ? { id: 'warning', color: 'charts.yellow' } : { id: 'beaker' },
      contextValue: 'config',
      path: c.file,
      open: c.file,
    };
  });

  const groups = new Map<string, RunEntry[]>();
  for (const run of scan.runs) groups.set(run.config, [...(groups.get(run.config) ?? []), run]);
  // A config with one run shows that run itself: a group of one would repeat its name on two rows.
  const runGroups = [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([config, runs]): ExperimentNode => {
      if (runs.length === 1) return runNode(runs[0]!, activeTaskFor(tasks, runs[0]!.dir));
      const best = runs.reduce<number | null>((m, r) => (r.bestValAccuracy !== null && (m === null || r.bestValAccuracy > m) ? r.bestValAccuracy : m), null);
      return {
        id: `runGroup:${config}`,
        kind: 'runGroup',
        label: config,
        description: `${runs.length} run${runs.length === 1 ? '' : 's'}${best !== null ? ` · best ${pct(best)}` : ''}`,
        icon: { id: 'folder-library' },
        contextValue: 'runGroup',
        children: runs.map((r) => runNode(r, activeTaskFor(tasks, r.dir))),
        expanded: true,
      };
    });

  return [
    {
      id: 'group:configs',
      kind: 'group',
      label: 'Configs',
      description: String(configs.length),
      icon: { id: 'beaker' },
      contextValue: 'group.configs',
      children: configs.length ? configs : [hint('config', 'New Experiment Config…', 'weightSpaceLab.newExperimentConfig')],
      expanded: true,
    },
    {
      id: 'group:datasets',
      kind: 'group',
      label: 'Datasets',
      description: String(datasets.length),
      icon: { id: 'database' },
      contextValue: 'group.datasets',
      children: datasets.length
        ? datasets.map((d) => datasetNode(d, scan, activeTaskFor(tasks, d.dir)))
        : [hint('dataset', 'Generate INR Dataset…', 'weightSpaceLab.generateDataset')],
      expanded: true,
    },
    {
      id: 'group:runs',
      kind: 'group',
      label: 'Runs',
      description: String(scan.runs.length),
      icon: { id: 'history' },
      contextValue: 'group.runs',
      children: runGroups.length ? runGroups : [hint('run', 'Train Experiment', 'weightSpaceLab.trainExperiment')],
      expanded: true,
    },
    ...(scan.studies.length
      ? [
          {
            id: 'group:studies',
            kind: 'group' as const,
            label: 'Studies',
            description: String(scan.studies.length),
            icon: { id: 'graph-line' },
            contextValue: 'group.studies',
            children: scan.studies.map((st) => studyNode(st, scan, activeTaskFor(tasks, st.out))),
            expanded: true,
          },
        ]
      : []),
    ...(jobs.length ? [slurmGroup(jobs, scan)] : []),
  ];
}

function slurmGroup(jobs: readonly SlurmJobView[], scan: ExperimentScan): ExperimentNode {
  const complete = new Set(scan.datasets.filter((d) => d.state === 'complete').map((d) => d.dir));
  const active = jobs.filter((j) => j.status?.active).length;
  return {
    id: 'group:slurm',
    kind: 'group',
    label: 'Slurm jobs',
    description: active ? `${jobs.length} · ${active} active` : String(jobs.length),
    icon: { id: 'server-environment' },
    contextValue: 'group.slurm',
    children: jobs.map((j) => slurmJobNode(j, complete.has(j.record.out))),
    expanded: true,
  };
}

/** Every node of a tree, depth first (for lookups and tests). */
export function flattenTree(nodes: readonly ExperimentNode[]): ExperimentNode[] {
  return nodes.flatMap((n) => [n, ...flattenTree(n.children ?? [])]);
}
