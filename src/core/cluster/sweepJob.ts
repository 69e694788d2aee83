/**
 * The job array of a training sweep: task i runs `wslab train --config CONFIG --runs RUNS --resume`
 * with the `--set`/`--name` arguments of sweep point i, chosen in the script by a `case` on
 * `${SLURM_ARRAY_TASK_ID}`. Run names differ per task, so no two tasks write one folder, and --resume
 * lets a requeued task continue its own run. The job's files live in RUNS/slurm/.
 */
import { join } from 'node:path';
import { slurmFolder } from './jobRecord';
import { sbatchScript, type ArrayJob, type WslabArrayOptions } from './sbatchScript';
import { shellCommand } from './shellQuote';
import { pointArgs, type SweepPoint } from './sweepPlan';

export interface SweepJobOptions extends WslabArrayOptions {
  /** Absolute path of the experiment config. */
  readonly config: string;
  /** Absolute folder of the run folders. */
  readonly runs: string;
  readonly points: readonly SweepPoint[];
}

export function sweepScriptPath(runs: string): string {
  return join(slurmFolder(runs), 'sweep.sbatch');
}

export function sweepLogPattern(runs: string): string {
  return join(slurmFolder(runs), 'logs', 'sweep-%A_%a.log');
}

export function sweepJob(o: SweepJobOptions): ArrayJob {
  const tasks = o.points.length;
  return {
    name: o.name,
    tasks,
    maxRunning: o.maxRunning,
    cpusPerTask: o.cpusPerTask,
    workdir: o.workdir,
    log: sweepLogPattern(o.runs),
    requeue: o.requeue,
    directives: o.directives,
    description: [
      `Written by wslab slurm sweep: ${tasks} training run(s) of ${o.config} into ${o.runs}.`,
      'Task i runs wslab train on sweep point i (listed in the case below) with --resume, so a requeued',
      'task continues its own run. Only some tasks: sbatch --array=1,3 THIS_FILE.',
    ],
    setup: ['case "${SLURM_ARRAY_TASK_ID}" in', ...o.points.map((p) => `  ${p.task}) TASK_ARGS=(${shellCommand(pointArgs(p))}) ;;`), 'esac'],
    command: [...o.wslab, 'train', '--config', o.config, '--runs', o.runs, '--resume', { shell: '"${TASK_ARGS[@]}"' }],
  };
}

export function sweepJobScript(o: SweepJobOptions): string {
  return sbatchScript(sweepJob(o));
}
