/**
 * Everything before a training sweep is submitted, for `wslab slurm sweep` and the extension alike:
 * expand the grid × seeds into points (one array task each), validate every point's config (a bad key
 * or value fails now with the config error naming the point, not in the queue), and build the script
 * and the job record (RUNS/slurm/job.json, naming each task's run folder). One point without a grid or
 * seeds is a single training run.
 */
import { ConfigError, readExperimentConfig } from '../train/experimentConfig';
import { ClusterError } from './errors';
import { JOB_RECORD_VERSION, type JobRecord } from './jobRecord';
import type { PreparedJob } from './preparedJob';
import { checkJobName, type WslabArrayOptions } from './sbatchScript';
import { sweepJobScript, sweepLogPattern, sweepScriptPath, type SweepJobOptions } from './sweepJob';
import { expandSweep, sanitizeRunName, type GridAxis, type SweepPoint } from './sweepPlan';

/** Slurm arrays are limited by MaxArraySize (1001 by default). */
export const MAX_SWEEP_TASKS = 1001;

export interface SweepArrayOptions extends Omit<WslabArrayOptions, 'name'> {
  /** Absolute path of the experiment config. */
  readonly config: string;
  /** Absolute folder of the run folders. */
  readonly runs: string;
  readonly axes: readonly GridAxis[];
  readonly seeds?: readonly number[];
  /** The first part of every run name; default the config's name. */
  readonly runName?: string;
  /** Job name; default wslab-sweep-<config name>. */
  readonly name?: string;
  /** Where the script goes; default RUNS/slurm/sweep.sbatch. */
  readonly script?: string;
}

export interface PreparedSweepArray extends PreparedJob {
  readonly points: readonly SweepPoint[];
}

export async function prepareSweepArray(o: SweepArrayOptions): Promise<PreparedSweepArray> {
  const base = await readExperimentConfig(o.config);
  const points = expandSweep(o.runName ?? base.name, o.axes, o.seeds);
  if (points.length > MAX_SWEEP_TASKS)
    throw new ClusterError(`the sweep has ${points.length} runs: more than a Slurm job array takes by default (${MAX_SWEEP_TASKS}); split it`);
  for (const p of points) {
    try {
      await readExperimentConfig(o.config, p.settings);
    } catch (e) {
      if (e instanceof ConfigError) throw new ConfigError(`sweep run ${p.name} (--set ${p.settings.join(' --set ')}): ${e.message}`);
      throw e;
    }
  }
  const name = o.name ?? `wslab-sweep-${sanitizeRunName(base.name)}`.slice(0, 64);
  return { ...sweepArrayJob({ ...o, name, points }), what: `${points.length} training run(s) × ${o.cpusPerTask} CPU(s), into ${o.runs}`, points };
}

/** The script and job record (RUNS/slurm/job.json, naming each task's run) of a job array over sweep points. */
export function sweepArrayJob(o: SweepJobOptions & { readonly script?: string }): Pick<PreparedJob, 'script' | 'record'> {
  checkJobName(o.name);
  const record: JobRecord = {
    version: JOB_RECORD_VERSION,
    kind: 'sweep',
    jobId: null,
    name: o.name,
    tasks: o.points.length,
    out: o.runs,
    script: o.script ?? sweepScriptPath(o.runs),
    log: sweepLogPattern(o.runs),
    submitted: null,
    runs: o.points.map((p) => p.name),
  };
  return { script: sweepJobScript(o), record };
}
