/**
 * Task commands: "Cancel Task" (the running one, or one picked when several are queued or running),
 * "Show Log", and Resume — of a task that failed (a crashed worker too) or was cancelled, or of a
 * dataset or run in the tree that was left unfinished.
 */
import { join } from 'node:path';
import * as vscode from 'vscode';
import { readDatasetSettings } from '../../core/dataset/manifest';
import { readRunConfig, RUN_FILES } from '../../core/train/runFolder';
import type { GenerateJob } from '../../protocol/worker';
import type { Lab } from '../lab';
import { UserError } from '../userError';
import { fitBackendFor } from '../settings';
import { taskSummary } from '../tasks/progressText';
import type { TaskInfo } from '../tasks/taskManager';
import type { ExperimentNode } from '../tree/experimentModel';
import { refuseWhenUntrusted, type Refusal } from '../trust';
import { inWorkspace, pick } from './common';
import { isBundledDataset } from '../../core/dataset/bundledDatasets';

export async function cancelTaskCommand(lab: Lab, arg?: unknown): Promise<TaskInfo | undefined> {
  const active = lab.hasTasks ? lab.tasks.active() : [];
  const id = typeof arg === 'number' ? arg : typeof (arg as { id?: unknown })?.id === 'number' ? (arg as { id: number }).id : undefined;
  let chosen = id === undefined ? undefined : active.find((t) => t.id === id);
  if (!chosen && id === undefined) {
    if (active.length === 0) {
      void vscode.window.showInformationMessage('Weight Space Lab: no task is running.');
      return undefined;
    }
    chosen =
      active.length === 1
        ? active[0]
        : await pick(
            'Cancel Task',
            'Which task?',
            active.map((t) => ({ label: taskSummary(t), value: t })),
          );
  }
  if (!chosen) return undefined;
  lab.tasks.cancel(chosen.id);
  return lab.tasks.get(chosen.id);
}

export function showLogCommand(lab: Lab): void {
  lab.output.show(true);
}

/** The generation that finishes a partial dataset: its own recorded settings, run again. */
async function datasetResumeJob(lab: Lab, dir: string): Promise<GenerateJob> {
  const settings = await readDatasetSettings(dir);
  if ((settings as { augment?: unknown }).augment) throw new UserError(`${dir} is an augmented dataset: augment its source again instead`);
  const source = settings.source.name;
  if (!isBundledDataset(source) && source !== 'shapes3d') {
    throw new UserError(`${dir} was made from the folder "${source}": resume it with wslab generate --dataset FOLDER --out ${dir} and the same settings`);
  }
  const lab0 = lab.settings();
  return {
    kind: 'generate',
    dataset: source,
    out: dir,
    limit: settings.plan.limit,
    views: settings.plan.views,
    hidden: settings.spec.hidden,
    steps: settings.fit.steps,
    targetPsnr: settings.fit.targetPsnr,
    seed: settings.plan.seed,
    shardSize: settings.plan.shardSize,
    valFraction: settings.plan.valFraction,
    testFraction: settings.plan.testFraction,
    backend: fitBackendFor(lab0.backend),
    workers: lab0.workerThreads > 0 ? lab0.workerThreads : null,
  };
}

export async function resumeCommand(lab: Lab, arg?: unknown): Promise<TaskInfo | Refusal | undefined> {
  const refusal = refuseWhenUntrusted('Resuming a task');
  if (refusal) return refusal;
  if (typeof arg === 'number') return lab.tasks.resume(arg);
  const node = arg as Partial<ExperimentNode> | undefined;
  if (node?.kind === 'dataset' && typeof node.path === 'string') {
    const dir = await inWorkspace(lab.requireRoot(), node.path, 'the dataset folder');
    return lab.startTask({ title: `Generate ${node.label} (resumed)`, job: await datasetResumeJob(lab, dir), target: dir });
  }
  if (node?.kind === 'run' && typeof node.path === 'string') {
    const root = lab.requireRoot();
    const dir = await inWorkspace(root, node.path, 'the run folder');
    // The dataset the run's config names must be in the workspace too.
    const dataset = (await readRunConfig<{ dataset?: unknown }>(dir).catch(() => undefined))?.dataset;
    if (typeof dataset === 'string') await inWorkspace(root, dataset, `the dataset path in ${join(dir, RUN_FILES.config)}`);
    // The run's own resolved config.json reads back to the same config, so the trainer accepts it.
    return lab.startTask({
      title: `Train ${node.label} (resumed)`,
      job: { kind: 'train', config: join(dir, RUN_FILES.config), runDir: dir, resume: true, overrides: [] },
      target: dir,
    });
  }
  const resumable = lab.hasTasks
    ? lab.tasks.list().filter((t) => (t.state === 'failed' || t.state === 'cancelled') && t.job.kind !== 'preview' && t.job.kind !== 'probe')
    : [];
  if (resumable.length === 0) {
    void vscode.window.showInformationMessage('Weight Space Lab: nothing to resume (no failed or cancelled task in this window).');
    return undefined;
  }
  const chosen = await pick(
    'Resume',
    'Which task?',
    resumable.reverse().map((t) => ({ label: t.title, description: t.state, value: t.id })),
  );
  return chosen === undefined ? undefined : lab.tasks.resume(chosen);
}
