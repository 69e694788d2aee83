/**
 * The "Slurm jobs" group of the Experiments tree: one node per submitted job array (its state —
 * pending, running, done, failed — and how many tasks have done their work), with one child per task
 * (Slurm's state, run time, node, shards or run; a click opens its log). Pure data, like experimentModel.ts.
 *
 * Context values, for the menus: `slurmJob.<generate|sweep>.<pending|running|done|failed|unknown>`, with
 * `slurmJob.generate.merged` for a finished generation whose manifest is complete; `slurmTask.<phase>`.
 */
import { basename } from 'node:path';
import { taskLogPath } from '../../core/cluster/jobRecord';
import { summarizeJob, type JobState } from '../../core/cluster/jobSummary';
import type { TaskStatus } from '../../core/cluster/jobStatus';
import type { TaskPhase } from '../../core/cluster/taskState';
import type { ExperimentNode, NodeIcon } from './experimentNode';
import type { SlurmJobView } from './slurmJobs';

const JOB_ICONS: Record<JobState | 'unknown', NodeIcon> = {
  pending: { id: 'watch', color: 'charts.yellow' },
  running: { id: 'sync~spin', color: 'charts.blue' },
  done: { id: 'pass', color: 'testing.iconPassed' },
  failed: { id: 'error', color: 'testing.iconFailed' },
  unknown: { id: 'question' },
};

const TASK_ICONS: Record<TaskPhase, NodeIcon> = {
  pending: { id: 'watch', color: 'charts.yellow' },
  running: { id: 'sync~spin', color: 'charts.blue' },
  completed: { id: 'pass', color: 'testing.iconPassed' },
  failed: { id: 'error', color: 'testing.iconFailed' },
  gone: { id: 'circle-outline' },
};

function taskNode(jobKey: string, t: TaskStatus): ExperimentNode {
  const work = t.shards ? `shards ${t.finished!.length}/${t.shards.length}` : t.run ? `${t.run.name}: ${t.run.state}` : '';
  const state = t.state === '' ? 'gone' : `${t.state}${t.exitCode && t.exitCode !== '0:0' ? ` (${t.exitCode})` : ''}`;
  return {
    id: `slurmTask:${jobKey}:${t.task}`,
    kind: 'slurmTask',
    label: `task ${t.task}`,
    description: [state, t.elapsed, t.reason, work].filter(Boolean).join(' · '),
    tooltip: [
      `Slurm state: ${state}`,
      t.elapsed ? `run time: ${t.elapsed}` : '',
      t.reason ? `node or reason: ${t.reason}` : '',
      work,
      t.log ? `log: ${t.log}` : '',
    ]
      .filter(Boolean)
      .join('\n'),
    icon: TASK_ICONS[t.phase],
    contextValue: `slurmTask.${t.phase}`,
    ...(t.log ? { path: t.log, open: t.log } : {}),
  };
}

/** A job's node; `merged`: its dataset's manifest is complete (a generation that was merged). */
export function slurmJobNode(view: SlurmJobView, merged = false): ExperimentNode {
  const { record, status, error } = view;
  const key = `${record.out}:${record.jobId}`;
  const summary = status ? summarizeJob(status) : undefined;
  const state: JobState | 'unknown' = summary?.state ?? 'unknown';
  const stateText = !summary
    ? error
      ? 'unknown'
      : 'checking…'
    : state === 'done' && record.kind === 'generate'
      ? merged
        ? 'done · merged'
        : 'done · merge the shards'
      : state;
  const description = [stateText, summary ? `${summary.tasksDone}/${summary.tasks} tasks` : `${record.tasks} tasks`, `job ${record.jobId}`].join(' · ');
  const what = record.kind === 'generate' ? `INR dataset ${record.out}` : `training runs in ${record.out}`;
  const tooltip = [
    `${record.name}: Slurm job ${record.jobId}, ${record.tasks} task(s)`,
    what,
    `script: ${record.script}`,
    record.submitted ? `submitted: ${record.submitted}` : '',
    status?.shards ? `shards: ${status.shards.finished}/${status.shards.total} finished` : '',
    status?.runs ? `runs: ${status.runs.done}/${status.runs.total} done` : '',
    status ? `states from ${status.source}${status.fallback ? ` (${status.fallback})` : ''}` : '',
    error ? `last poll failed: ${error}` : '',
  ]
    .filter(Boolean)
    .join('\n');
  const tasks = (status?.tasks ?? []).map((t) => taskNode(key, t));
  return {
    id: `slurmJob:${key}`,
    kind: 'slurmJob',
    label: record.kind === 'generate' ? basename(record.out) : record.name,
    description,
    tooltip,
    icon: error && !summary ? { id: 'warning', color: 'charts.yellow' } : JOB_ICONS[state],
    contextValue: record.kind === 'generate' && state === 'done' && merged ? 'slurmJob.generate.merged' : `slurmJob.${record.kind}.${state}`,
    path: record.out,
    open: record.script,
    ...(tasks.length ? { children: tasks, expanded: false } : {}),
  };
}

/** The log file of task `task` of a job (Slurm's %A/%a/%x expanded). */
export function slurmTaskLog(view: SlurmJobView, task: number): string {
  return taskLogPath(view.record.log, view.record.jobId!, task, view.record.name);
}
