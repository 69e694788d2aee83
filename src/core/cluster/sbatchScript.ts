/**
 * The text of an sbatch script for a job array: `#SBATCH` directives (name, `--array`, CPUs per task,
 * working folder, log files), then one command per task, in which `${SLURM_ARRAY_TASK_ID}` selects the
 * task's share of the work. Generic: `wslab slurm generate` runs `wslab generate --shard i/n` in it, a
 * training sweep can run `wslab train` on configuration i.
 */
import { isAbsolute } from 'node:path';
import { arrayRange } from './arrayTasks';
import { ClusterError } from './errors';
import { shellCommand, type ShellText, type ShellWord } from './shellQuote';

/** The id of the running task, for use in a command. */
export const TASK_ID: ShellText = { shell: '"${SLURM_ARRAY_TASK_ID}"' };

export interface ArrayJob {
  /** `--job-name`: letters, digits, `.`, `_`, `-`. */
  readonly name: string;
  readonly tasks: number;
  /** At most this many tasks run at once (`--array=0-(n−1)%m`). */
  readonly maxRunning?: number;
  readonly cpusPerTask: number;
  /** Absolute folder the tasks run in (`--chdir`), so relative paths mean what they meant at submission. */
  readonly workdir: string;
  /**
   * Absolute path of each task's log (stdout and stderr, `--output`), with Slurm's patterns: %A the job
   * id, %a the task id, %x the job name. Opened in append mode, so a requeued task adds to its log.
   */
  readonly log: string;
  /** Let Slurm requeue a task after a node failure or preemption (`--requeue`); it then resumes. */
  readonly requeue: boolean;
  /** Further directives as written on sbatch's command line, e.g. `--time=02:00:00`, `--partition=cpu`. */
  readonly directives?: readonly string[];
  /** Comment lines at the top, saying what the job does. */
  readonly description: readonly string[];
  /** Shell lines run before the command, e.g. choosing the task's arguments by `${SLURM_ARRAY_TASK_ID}`. */
  readonly setup?: readonly string[];
  /** What each task runs. */
  readonly command: readonly ShellWord[];
}

/** What a wslab job array takes from its caller, whatever its tasks do: the resources and how to start wslab. */
export interface WslabArrayOptions extends Pick<ArrayJob, 'name' | 'workdir' | 'maxRunning' | 'cpusPerTask' | 'requeue' | 'directives'> {
  /** How to start wslab on the nodes, e.g. ['/usr/bin/node', '/home/me/wslab/dist/cli.js']. */
  readonly wslab: readonly ShellWord[];
}

function checkDirectiveValue(what: string, value: string): void {
  if (value === '' || /[\s'"\\]/.test(value))
    throw new ClusterError(`${what} "${value}" cannot go in an #SBATCH line (it is empty or holds a space, quote or backslash)`);
}

/** The directive `--name=value`, refusing a value sbatch would misread. */
export function sbatchOption(name: string, value: string): string {
  checkDirectiveValue(`--${name}`, value);
  return `--${name}=${value}`;
}

export function checkJobName(name: string): void {
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new ClusterError(`job name "${name}" may only hold letters, digits, ".", "_" and "-"`);
}

export function sbatchScript(job: ArrayJob): string {
  checkJobName(job.name);
  if (!Number.isInteger(job.cpusPerTask) || job.cpusPerTask < 1) throw new ClusterError(`CPUs per task must be a positive integer, got ${job.cpusPerTask}`);
  for (const [what, path] of [
    ['working folder', job.workdir],
    ['log path', job.log],
  ] as const) {
    if (!isAbsolute(path)) throw new ClusterError(`the ${what} of a job script must be absolute, got "${path}"`);
    checkDirectiveValue(`the ${what}`, path);
  }
  for (const d of job.directives ?? []) {
    if (!/^--?[A-Za-z]/.test(d)) throw new ClusterError(`sbatch option "${d}" must start with - or --`);
    if (/[\n\r]/.test(d)) throw new ClusterError(`sbatch option ${JSON.stringify(d)} holds a line break`);
  }
  if (job.command.length === 0) throw new ClusterError('a job script needs a command');
  const last = job.tasks - 1;
  const lines = [
    '#!/bin/bash',
    ...job.description.map((line) => `# ${line}`.trimEnd()),
    `#SBATCH --job-name=${job.name}`,
    `#SBATCH --array=${arrayRange(job.tasks, job.maxRunning)}`,
    `#SBATCH --ntasks=1`,
    `#SBATCH --cpus-per-task=${job.cpusPerTask}`,
    `#SBATCH --chdir=${job.workdir}`,
    `#SBATCH --output=${job.log}`,
    `#SBATCH --open-mode=append`,
    ...(job.requeue ? ['#SBATCH --requeue'] : []),
    ...(job.directives ?? []).map((d) => `#SBATCH ${d}`),
    '',
    'set -euo pipefail',
    ': "${SLURM_ARRAY_TASK_ID:?is not set: submit this script with sbatch (or set it to run one task by hand)}"',
    `if [ "\${SLURM_ARRAY_TASK_ID}" -gt ${last} ]; then`,
    `  echo "task \${SLURM_ARRAY_TASK_ID} is not in the array 0-${last} this script was written for" >&2`,
    '  exit 2',
    'fi',
    `echo "[$(date '+%F %T')] task \${SLURM_ARRAY_TASK_ID} of ${job.tasks} (job \${SLURM_ARRAY_JOB_ID:-none}) on $(hostname)"`,
    ...(job.setup ?? []),
    `exec ${shellCommand(job.command)}`,
    '',
  ];
  return lines.join('\n');
}
