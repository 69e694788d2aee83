/**
 * `wslab slurm status OUT|JOBID`: the tasks of a job array (state, run time, node or reason, finished
 * shards or a sweep's training run, log) from sacct, or from squeue when the cluster keeps no accounting (said in the output).
 * `--wait` polls until no task is queued or running, then exits 0 when all the work is done, else 1
 * with each failed task's log tail.
 */
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ClusterError } from '../../core/cluster/errors';
import { readJobRecord, type JobRecord } from '../../core/cluster/jobRecord';
import { checkJobId, queryArrayJob } from '../../core/cluster/queryJob';
import { execTool } from '../../core/cluster/runTool';
import { recordStatus } from '../../core/cluster/recordStatus';
import { jobStatus, type JobStatus, type TaskStatus } from '../../core/cluster/jobStatus';
import type { TaskPhase } from '../../core/cluster/taskState';
import { UsageError, type CommandIO } from '../command';
import { numberOption } from '../options';
import { renderTable } from '../table';
import type { CliOptions } from '../optionHelp';

export const slurmStatusUsage =
  'wslab slurm status OUT|JOBID [--job ID] [--wait [--interval 10] [--timeout S]] [--json]\n' +
  '               the tasks of a job array and their shards; --wait until none is queued or running (exit 1 if work is missing)';

export const SLURM_STATUS_OPTIONS = {
  job: { type: 'string', value: 'ID', help: 'The job id, for a script written without --submit.', defaultText: "the folder's job record" },
  wait: { type: 'boolean', default: false, help: 'Poll until no task is queued or running (exit 1 if work is missing).' },
  interval: { type: 'string', default: '10', value: 'S', help: 'Seconds between polls with --wait.' },
  timeout: { type: 'string', value: 'S', help: 'Give up waiting after S seconds.', defaultText: 'none' },
  json: { type: 'boolean', default: false, help: 'Print the status as JSON.' },
} satisfies CliOptions;

const LOG_TAIL_LINES = 20;

interface Target {
  readonly jobId: string;
  readonly record?: JobRecord;
}

async function findTarget(target: string, job: string | undefined): Promise<Target> {
  const isFolder = existsSync(target) && statSync(target).isDirectory();
  if (!isFolder) {
    if (!/^\d+$/.test(target)) throw new ClusterError(`${target}: neither an output folder nor a job id`);
    if (job !== undefined) throw new UsageError('--job goes with an output folder, not with a job id');
    return { jobId: target };
  }
  const record = await readJobRecord(resolve(target));
  const jobId = job ?? record.jobId;
  if (jobId === null) throw new ClusterError(`${record.script} was written but not submitted with --submit: give the id sbatch printed with --job ID`);
  checkJobId(jobId);
  return { jobId, record };
}

async function currentStatus({ jobId, record }: Target): Promise<JobStatus> {
  if (record) return recordStatus(record, execTool, jobId);
  return jobStatus({ jobId, query: await queryArrayJob(jobId, execTool) });
}

const PHASE_ORDER: readonly TaskPhase[] = ['running', 'pending', 'completed', 'failed', 'gone'];

function summaryLine(status: JobStatus): string {
  const phases = PHASE_ORDER.filter((p) => status.counts[p])
    .map((p) => `${status.counts[p]} ${p}`)
    .join(', ');
  const shards = status.shards ? `; shards ${status.shards.finished}/${status.shards.total} finished` : '';
  const runs = status.runs ? `; runs ${status.runs.done}/${status.runs.total} done` : '';
  return `job ${status.jobId}: ${status.tasks.length} task(s) — ${phases || 'none listed'}${shards}${runs}`;
}

function sourceLine(status: JobStatus): string {
  if (status.source === 'sacct') return 'states from sacct';
  return `states from squeue (sacct unavailable: ${status.fallback}); squeue forgets tasks a few minutes after they end: those show as "gone"`;
}

function statusTable(status: JobStatus): string {
  const withShards = status.shards !== undefined;
  const withRuns = status.runs !== undefined;
  const columns = [
    { title: 'task', align: 'right' as const },
    { title: 'state' },
    { title: 'time', align: 'right' as const },
    { title: 'node/reason' },
    ...(withShards ? [{ title: 'shards done', align: 'right' as const }] : []),
    ...(withRuns ? [{ title: 'run' }, { title: 'run state' }] : []),
    { title: 'log' },
  ];
  const rows = status.tasks.map((t) => [
    String(t.task),
    t.state === '' ? 'gone' : `${t.state}${t.exitCode && t.exitCode !== '0:0' ? ` (${t.exitCode})` : ''}`,
    t.elapsed || '-',
    t.reason || '-',
    ...(withShards ? [`${t.finished!.length}/${t.shards!.length}`] : []),
    ...(withRuns ? [t.run?.name ?? '-', t.run?.state ?? '-'] : []),
    t.log ?? '-',
  ]);
  return renderTable(columns, rows);
}

async function logTail(path: string): Promise<string> {
  try {
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
    return lines
      .slice(-LOG_TAIL_LINES)
      .map((l) => `    ${l}`)
      .join('\n');
  } catch (e) {
    return `    (cannot read ${path}: ${(e as Error).message})`;
  }
}

async function problemReport(status: JobStatus): Promise<string> {
  const parts: string[] = [];
  for (const t of status.problems as TaskStatus[]) {
    const missing = t.shards
      ? `; shards ${t.shards.filter((k) => !t.finished!.includes(k)).join(', ')} not finished`
      : t.run
        ? `; run ${t.run.name} ${t.run.state}`
        : '';
    parts.push(`task ${t.task}: ${t.state || 'gone'}${t.exitCode ? ` (exit ${t.exitCode})` : ''}${missing}`);
    if (t.log) parts.push(`  last lines of ${t.log}:\n${await logTail(t.log)}`);
  }
  return parts.join('\n');
}

export async function slurmStatusCommand(args: readonly string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], allowPositionals: true, options: SLURM_STATUS_OPTIONS });
  if (positionals.length !== 1) throw new UsageError(`slurm status takes one output folder or job id\nusage: ${slurmStatusUsage}`);
  const interval = numberOption('interval', values.interval);
  const timeout = values.timeout === undefined ? Infinity : numberOption('timeout', values.timeout);
  if (interval <= 0 || timeout <= 0) throw new UsageError('--interval and --timeout must be positive');
  const target = await findTarget(positionals[0]!, values.job);

  const started = Date.now();
  let status = await currentStatus(target);
  if (values.wait) {
    let last = '';
    while (status.active) {
      const line = summaryLine(status);
      if (line !== last && !values.json) io.stderr(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
      last = line;
      if (Date.now() - started > timeout * 1000) {
        if (!values.json) io.stdout(`${statusTable(status)}\n${sourceLine(status)}`);
        throw new ClusterError(`job ${status.jobId} still has queued or running tasks after ${timeout} s (${summaryLine(status)})`);
      }
      await new Promise((r) => setTimeout(r, interval * 1000));
      status = await currentStatus(target);
    }
  }
  if (values.json) io.stdout(JSON.stringify(status, null, 2));
  else io.stdout([summaryLine(status), sourceLine(status), statusTable(status)].join('\n'));
  if (!values.wait) return 0;
  if (status.done) {
    const kind = target.record?.kind;
    if (!values.json)
      io.stdout(
        kind === 'generate'
          ? `all work done: join the shards with wslab merge ${target.record!.out}`
          : kind === 'sweep'
            ? `all runs done, in ${target.record!.out}`
            : 'all tasks completed',
      );
    return 0;
  }
  if (!values.json) io.stderr(`job ${status.jobId} ended with work missing:\n${await problemReport(status)}`);
  return 1;
}
