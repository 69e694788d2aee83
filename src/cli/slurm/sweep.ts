/**
 * `wslab slurm sweep CONFIG --grid key=v1,v2 …`: writes (and with --submit, submits) the sbatch script
 * of a job array with one training run per point of the grid × --seeds, task i running
 * `wslab train --config CONFIG --set … --name RUN --runs RUNS --resume`. Every point's config is
 * validated here, so a bad key or value fails now with the config error, not in the queue.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { JOB_RECORD_VERSION, type JobRecord } from '../../core/cluster/jobRecord';
import { checkJobName } from '../../core/cluster/sbatchScript';
import { sweepJobScript, sweepLogPattern, sweepScriptPath } from '../../core/cluster/sweepJob';
import { expandSweep, parseGridAxis, sanitizeRunName } from '../../core/cluster/sweepPlan';
import { ConfigError, readExperimentConfig } from '../../core/train/experimentConfig';
import { UsageError, type CommandIO } from '../command';
import { integerOption } from '../options';
import { jobDirectives, SLURM_JOB_OPTIONS, SLURM_JOB_USAGE, writeAndSubmitJob } from './jobOptions';
import { wslabCommand } from './wslabCommand';

/** Slurm arrays are limited by MaxArraySize (1001 by default). */
const MAX_TASKS = 1001;

export const slurmSweepUsage =
  `wslab slurm sweep CONFIG --grid key=v1,v2 … [--seeds 0,1,2] [--runs DIR] ${SLURM_JOB_USAGE}\n` +
  '               write RUNS/slurm/sweep.sbatch, a job array with one wslab train run per grid point × seed; --submit runs sbatch and prints the job id';

export async function slurmSweepCommand(args: readonly string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { grid: { type: 'string', multiple: true, default: [] }, seeds: { type: 'string' }, runs: { type: 'string', default: 'runs' }, ...SLURM_JOB_OPTIONS },
  });
  if (positionals.length !== 1) throw new UsageError(`slurm sweep takes one config file\nusage: ${slurmSweepUsage}`);
  const configFile = resolve(positionals[0]!);
  const runs = resolve(values.runs!);
  const axes = values.grid!.map(parseGridAxis);
  const seeds = values.seeds?.split(',').map((s) => integerOption('seeds', s.trim(), 0));
  const cpusPerTask = values['cpus-per-task'] === undefined ? 4 : integerOption('cpus-per-task', values['cpus-per-task'], 1);
  const maxRunning = values['max-running'] === undefined ? undefined : integerOption('max-running', values['max-running'], 1);
  const directives = jobDirectives(values);
  const wslab = wslabCommand(values.wslab);

  const base = await readExperimentConfig(configFile);
  const points = expandSweep(base.name, axes, seeds);
  if (points.length > MAX_TASKS) throw new UsageError(`the sweep has ${points.length} runs: more than a Slurm job array takes by default (${MAX_TASKS}); split it`);
  for (const p of points) {
    try {
      await readExperimentConfig(configFile, p.settings);
    } catch (e) {
      if (e instanceof ConfigError) throw new ConfigError(`sweep run ${p.name} (--set ${p.settings.join(' --set ')}): ${e.message}`);
      throw e;
    }
  }
  const name = values['job-name'] ?? `wslab-sweep-${sanitizeRunName(base.name)}`.slice(0, 64);
  checkJobName(name);

  const script = sweepJobScript({ config: configFile, runs, workdir: process.cwd(), name, points, maxRunning, cpusPerTask, requeue: !values['no-requeue'], directives, wslab });
  const scriptPath = values.script === undefined ? sweepScriptPath(runs) : resolve(values.script);
  const record: JobRecord = {
    version: JOB_RECORD_VERSION,
    kind: 'sweep',
    jobId: null,
    name,
    tasks: points.length,
    out: runs,
    script: scriptPath,
    log: sweepLogPattern(runs),
    submitted: null,
    runs: points.map((p) => p.name),
  };
  const what = `${points.length} training run(s) × ${cpusPerTask} CPU(s), into ${runs}`;
  return writeAndSubmitJob({ script, record, what, submit: values.submit }, io);
}
