/**
 * "Weight Space Lab: Submit to Slurm…" and the Slurm jobs' menu in the Experiments view. Submitting asks
 * what the local commands ask (the generation quick picks; for a config, one run or a sweep with its grid
 * and seeds), then runs the submission as a short background task: the worker prepares the job array with
 * the core code of `wslab slurm generate|sweep` and submits it with sbatch — on PATH, or on
 * `weightSpaceLab.slurm.loginHost` over ssh with the script on stdin — writing the job record where the
 * CLI does, so the Experiments view lists the job and polls it. Cancel runs scancel, Show Log opens a
 * task's log, Merge joins a finished generation's shards (`wslab merge`) in a worker. Everything that
 * runs a program is refused in Restricted Mode.
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import * as vscode from 'vscode';
import type { JobRecord } from '../../core/cluster/jobRecord';
import type { JobStatus, TaskStatus } from '../../core/cluster/jobStatus';
import { recordStatus } from '../../core/cluster/recordStatus';
import { execTool, type RunTool } from '../../core/cluster/runTool';
import { loginHostTool } from '../../core/cluster/sshTool';
import { cancelJob } from '../../core/cluster/submit';
import { parseGridAxis, sanitizeRunName } from '../../core/cluster/sweepPlan';
import { CONFIG_SUFFIX, configRunName, scanExperiments } from '../../core/workspace/experimentScan';
import type { JobResult, SlurmGenerateJob, SlurmSweepJob, SlurmTarget } from '../../protocol/worker';
import type { Lab } from '../lab';
import type { SlurmSettings } from '../settings';
import type { TaskInfo } from '../tasks/taskManager';
import type { ExperimentNode } from '../tree/experimentModel';
import { slurmTaskLog } from '../tree/slurmJobNodes';
import type { SlurmJobView } from '../tree/slurmJobs';
import { refuseWhenUntrusted, type Refusal } from '../trust';
import { UserError } from '../userError';
import { errorMessage, exists, inWorkspace, optionsOf, pathOfArgument, pick } from './common';
import { chooseGeneration, type GenerateArgs } from './generate';
import { uniqueName } from './naming';

const TITLE = 'Submit to Slurm';

/** What a caller may pass instead of answering the quick picks (tests, other extensions). */
export interface SlurmSubmitArgs {
  readonly what: 'generate' | 'train' | 'sweep';
  /** For 'generate': the generation, as for "Generate INR Dataset…". */
  readonly generate?: GenerateArgs;
  /** For 'generate': array tasks (default one per shard). */
  readonly tasks?: number | null;
  /** For 'train' and 'sweep': the *.wslab.json (absolute, or relative to the workspace). */
  readonly config?: string;
  /** For 'sweep': `key=v1,v2` axes. */
  readonly grid?: readonly string[];
  /** For 'sweep': seeds (default none: the config's own seed). */
  readonly seeds?: readonly number[] | null;
}

/** What a submission returns: the job id and where its record is. */
export interface SlurmSubmitted {
  readonly jobId: string;
  readonly out: string;
  readonly tasks: number;
  readonly task: TaskInfo;
}

/** The Slurm tools the settings say to use: on PATH, or on the login host over ssh. */
export function slurmTool(settings: SlurmSettings): RunTool {
  return settings.loginHost === null ? execTool : loginHostTool(settings.loginHost);
}

/** A job's status now (the Experiments view polls through this; it is loaded with the commands). */
export function slurmJobStatus(record: JobRecord, settings: SlurmSettings): Promise<JobStatus> {
  return recordStatus(record, slurmTool(settings));
}

function slurmTarget(lab: Lab, root: string): SlurmTarget {
  const s = lab.settings().slurm;
  return { loginHost: s.loginHost, cpusPerTask: s.cpusPerTask, sbatchOptions: [...s.sbatchOptions], wslab: s.wslabCommand, workdir: root };
}

async function requireSlurm(lab: Lab): Promise<void> {
  if (await lab.tree.slurmAvailability()) return;
  throw new UserError(
    'Submit to Slurm needs the Slurm tools: sbatch is not on PATH here, and the setting weightSpaceLab.slurm.loginHost (an ssh host of the cluster) is empty.',
  );
}

// ── submitting ─────────────────────────────────────────────────────────────────────────────────────

function configOf(arg: unknown): string | undefined {
  const path = pathOfArgument(arg);
  return path?.endsWith(CONFIG_SUFFIX) ? path : undefined;
}

/**
 * An input box whose text `parse` checks as it is typed (its error is shown under the box); resolves with
 * what `parse` makes of the accepted text, or undefined when the box is dismissed.
 */
async function askParsed<T>(step: string, prompt: string, placeHolder: string, parse: (text: string) => T): Promise<T | undefined> {
  const text = await vscode.window.showInputBox({
    title: `${TITLE}: ${step}`,
    prompt,
    placeHolder,
    ignoreFocusOut: true,
    validateInput: (value) => {
      try {
        parse(value);
        return undefined;
      } catch (e) {
        return errorMessage(e);
      }
    },
  });
  return text === undefined ? undefined : parse(text);
}

function askGrid(): Promise<string[] | undefined> {
  return askParsed(
    'sweep (1/2)',
    'Grid: dotted config keys and their values; one run per combination. Separate axes with ";".',
    'optimizer.lr=0.001,0.003; model.kind=dwsnet,nfn-np',
    (text) => {
      const axes = splitGrid(text);
      axes.forEach(parseGridAxis);
      return axes;
    },
  );
}

function splitGrid(text: string): string[] {
  return text
    .split(';')
    .map((a) => a.replace(/\s+/g, ''))
    .filter((a) => a !== '');
}

function parseSeeds(text: string): number[] | null {
  if (text.trim() === '') return null;
  return text.split(',').map((s) => {
    const seed = Number(s.trim());
    if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 32 - 1) throw new UserError(`seeds: "${s.trim()}" is not a seed (an integer ≥ 0)`);
    return seed;
  });
}

function askSeeds(): Promise<number[] | null | undefined> {
  return askParsed('sweep (2/2)', "Seeds, comma-separated: every grid point runs once per seed. Empty: the config's own seed.", '0,1,2', parseSeeds);
}

/**
 * The config's JSON, with its dataset path checked to stay in the workspace (as "Train Experiment" does);
 * the worker validates the rest.
 */
async function readConfig(root: string, config: string): Promise<unknown> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(config, 'utf8'));
  } catch (e) {
    throw new UserError(`${config}: ${errorMessage(e)}`);
  }
  const dataset = (raw as { dataset?: unknown } | null)?.dataset;
  if (typeof dataset === 'string') await inWorkspace(root, resolve(dirname(config), dataset), `the dataset path in ${basename(config)}`);
  return raw;
}

/** Refuses a second job for a runs folder whose job is still queued or running (one job record per folder). */
function refuseBusyFolder(lab: Lab, out: string): void {
  const busy = lab.tree.slurm.list().find((v: SlurmJobView) => v.record.out === out && v.status?.active);
  if (busy)
    throw new UserError(
      `${out} already has Slurm job ${busy.record.jobId} (${busy.record.name}) queued or running, and one job record per folder: cancel it or wait until it ends.`,
    );
}

async function sweepJob(
  lab: Lab,
  root: string,
  config: string,
  single: boolean,
  given: Partial<SlurmSubmitArgs> | undefined,
): Promise<SlurmSweepJob | undefined> {
  const runs = lab.inRoot(lab.settings().runsFolder);
  refuseBusyFolder(lab, runs);
  const raw = await readConfig(root, config);
  if (single) {
    // A fresh run folder, as "Train Experiment" picks one.
    const name = uniqueName(sanitizeRunName(configRunName(config, raw)), (n) => exists(join(runs, n)));
    return { kind: 'slurmSweep', config, runs, grid: [], seeds: null, runName: name, slurm: slurmTarget(lab, root) };
  }
  const grid = given?.grid ? [...given.grid] : await askGrid();
  if (grid === undefined) return undefined;
  grid.forEach(parseGridAxis);
  const seeds = given?.grid ? (given.seeds ? [...given.seeds] : null) : await askSeeds();
  if (seeds === undefined) return undefined;
  if (grid.length === 0 && seeds === null) throw new UserError('A sweep needs a grid or seeds; for one run choose "Train once".');
  return { kind: 'slurmSweep', config, runs, grid, seeds, runName: null, slurm: slurmTarget(lab, root) };
}

async function generateJob(lab: Lab, root: string, given: Partial<SlurmSubmitArgs> | undefined): Promise<SlurmGenerateJob | undefined> {
  const generate = await chooseGeneration(lab, given?.generate);
  if (!generate) return undefined;
  let tasks = given?.tasks;
  if (tasks === undefined) {
    const shards = generate.limit === null ? undefined : Math.ceil((generate.limit * generate.views) / generate.shardSize);
    const choices = [
      {
        label: shards === undefined ? 'One task per shard' : `${shards} task${shards === 1 ? '' : 's'}`,
        description: 'one per shard: the most parallel',
        value: null as number | null,
      },
      ...[2, 4, 8, 16, 32]
        .filter((n) => shards === undefined || n < shards)
        .map((n) => ({ label: `${n} tasks`, description: `each makes every ${n}th shard`, value: n as number | null })),
    ];
    tasks = await pick(
      `${TITLE}: array tasks`,
      `How many array tasks? (${lab.settings().slurm.cpusPerTask} CPUs each: setting weightSpaceLab.slurm.cpusPerTask)`,
      choices,
    );
    if (tasks === undefined) return undefined;
  }
  return { kind: 'slurmGenerate', generate, tasks, slurm: slurmTarget(lab, root) };
}

export async function submitToSlurmCommand(lab: Lab, arg?: unknown): Promise<SlurmSubmitted | TaskInfo | Refusal | undefined> {
  const refusal = refuseWhenUntrusted('Submitting to Slurm');
  if (refusal) return refusal;
  const root = lab.requireRoot();
  await requireSlurm(lab);
  const given = optionsOf<SlurmSubmitArgs>(arg, 'what');
  const configGiven = given?.config ?? configOf(arg);
  const config = configGiven === undefined ? undefined : await inWorkspace(root, configGiven, 'the experiment config');
  const node = arg as Partial<ExperimentNode> | undefined;
  let what = given?.what ?? (config ? undefined : node?.contextValue === 'group.datasets' ? 'generate' : undefined);
  if (!what) {
    what = await pick(TITLE, config ? `${basename(config)} on the cluster` : 'What should the cluster do?', [
      ...(config ? [] : [{ label: '$(database) Generate an INR dataset', description: 'a job array: each task fits some shards', value: 'generate' as const }]),
      { label: '$(play) Train once', description: config ? 'one run of this config' : 'one run of a config', value: 'train' as const },
      { label: '$(symbol-array) Sweep', description: 'one run per grid point × seed', value: 'sweep' as const },
    ]);
    if (!what) return undefined;
  }
  let job: SlurmGenerateJob | SlurmSweepJob | undefined;
  if (what === 'generate') job = await generateJob(lab, root, given);
  else {
    const file = config ?? (await pickConfig(lab, root));
    if (!file) return undefined;
    job = await sweepJob(lab, root, file, what === 'train', given);
  }
  if (!job) return undefined;
  const title =
    job.kind === 'slurmGenerate' ? `Submit ${basename(job.generate.out)} to Slurm` : `Submit ${job.runName ?? basename(job.config, CONFIG_SUFFIX)} to Slurm`;
  const task = lab.startTask({ title, job });
  const settled = await lab.tasks.whenSettled(task.id);
  const result = settled.result as Extract<JobResult, { kind: 'slurmGenerate' | 'slurmSweep' }> | undefined;
  if (settled.state !== 'done' || !result) return settled;
  await lab.tree.refreshNow();
  const where = lab.settings().slurm.loginHost;
  void vscode.window.showInformationMessage(
    `Submitted Slurm job ${result.jobId}${where ? ` on ${where}` : ''}: ${result.what}. It is listed under "Slurm jobs" in the Experiments view.`,
  );
  return { jobId: result.jobId, out: result.out, tasks: result.tasks, task: settled };
}

async function pickConfig(lab: Lab, root: string): Promise<string | undefined> {
  const { datasetsFolder, runsFolder } = lab.settings();
  const { configs } = await scanExperiments(root, { datasetsFolder, runsFolder });
  if (configs.length === 0) throw new UserError('There is no experiment config (*.wslab.json) in this workspace: create one with "New Experiment Config…".');
  return pick(
    TITLE,
    'Which experiment config?',
    configs.map((c) => ({ label: vscode.workspace.asRelativePath(c.file), description: c.dataset ? `→ ${c.dataset}` : '', value: c.file })),
  );
}

// ── the jobs' menu ─────────────────────────────────────────────────────────────────────────────────

/** The job a tree node (a job or one of its tasks) stands for. */
function jobOfNode(lab: Lab, arg: unknown): { view: SlurmJobView; task?: number } {
  const node = arg as Partial<ExperimentNode> | undefined;
  const id = typeof node?.id === 'string' ? node.id : '';
  // Greedy: a task's id ends in :JOBID:TASK, a job's in :JOBID.
  const m = /^slurm(Job|Task):(.*):(\d+)$/.exec(id);
  const view = m ? lab.tree.slurm.list().find((v) => `${v.record.out}:${v.record.jobId}` === (m[1] === 'Job' ? `${m[2]}:${m[3]}` : m[2])) : undefined;
  if (!m || !view) throw new UserError('Choose a job under "Slurm jobs" in the Experiments view.');
  return m[1] === 'Task' ? { view, task: Number(m[3]) } : { view };
}

export async function cancelSlurmJobCommand(lab: Lab, arg?: unknown): Promise<{ cancelled: string } | Refusal | undefined> {
  const refusal = refuseWhenUntrusted('Cancelling a Slurm job');
  if (refusal) return refusal;
  const { view } = jobOfNode(lab, arg);
  const { jobId, name, tasks } = view.record;
  if ((arg as { confirmed?: unknown })?.confirmed !== true) {
    const ok = await vscode.window.showWarningMessage(
      `Cancel Slurm job ${jobId} (${name}, ${tasks} task(s))? Finished shards and checkpoints stay; running tasks stop.`,
      { modal: true },
      'Cancel Job',
    );
    if (ok !== 'Cancel Job') return undefined;
  }
  await cancelJob(jobId!, slurmTool(lab.settings().slurm));
  lab.log(`cancelled Slurm job ${jobId} (${name})`);
  await lab.tree.slurm.pollNow();
  return { cancelled: jobId! };
}

function taskLabel(t: TaskStatus): string {
  return `task ${t.task}: ${t.state || 'gone'}${t.elapsed ? ` · ${t.elapsed}` : ''}`;
}

/** Opens a task's log: the task clicked, or one picked (failed and running tasks first). */
export async function showSlurmLogCommand(lab: Lab, arg?: unknown): Promise<string | undefined> {
  const { view, task } = jobOfNode(lab, arg);
  let chosen = task;
  if (chosen === undefined) {
    const tasks = [...(view.status?.tasks ?? [])];
    const rank = (t: TaskStatus) => ({ failed: 0, running: 1, completed: 2, pending: 3, gone: 4 })[t.phase];
    tasks.sort((a, b) => rank(a) - rank(b) || a.task - b.task);
    if (tasks.length <= 1) chosen = tasks[0]?.task ?? 0;
    else
      chosen = await pick(
        'Show Slurm Task Log',
        `${view.record.name}: which task?`,
        tasks.map((t) => ({ label: taskLabel(t), value: t.task })),
      );
    if (chosen === undefined) return undefined;
  }
  const log = slurmTaskLog(view, chosen);
  if (!exists(log)) {
    void vscode.window.showInformationMessage(`Task ${chosen} of Slurm job ${view.record.jobId} has no log yet (${log}): it has not started.`);
    return undefined;
  }
  await vscode.window.showTextDocument(vscode.Uri.file(log), { preview: true });
  return log;
}

/** `wslab merge` of a finished generation array, in a worker; the dataset is complete afterwards. */
export async function mergeSlurmDatasetCommand(lab: Lab, arg?: unknown): Promise<TaskInfo | Refusal | undefined> {
  const refusal = refuseWhenUntrusted('Merging a dataset');
  if (refusal) return refusal;
  const { view } = jobOfNode(lab, arg);
  if (view.record.kind !== 'generate') throw new UserError(`${view.record.name} is a training sweep: there is nothing to merge.`);
  const dir = view.record.out;
  const task = lab.startTask({ title: `Merge ${basename(dir)}`, job: { kind: 'merge', dir } });
  const settled = await lab.tasks.whenSettled(task.id);
  await lab.tree.refreshNow();
  return settled;
}
