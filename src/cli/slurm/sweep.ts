/**
 * `wslab slurm sweep CONFIG --grid key=v1,v2 …`: writes (and with --submit, submits) the sbatch script
 * of a job array with one training run per point of the grid × --seeds, task i running
 * `wslab train --config CONFIG --set … --name RUN --runs RUNS --resume`. Every point's config is
 * validated first (src/core/cluster/sweepArray.ts), so a bad key or value fails now, not in the queue.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { prepareSweepArray } from '../../core/cluster/sweepArray';
import { parseGridAxis } from '../../core/cluster/sweepPlan';
import { UsageError, type CommandIO } from '../command';
import { integerOption } from '../options';
import type { CliOptions } from '../optionHelp';
import { SLURM_JOB_OPTIONS, SLURM_JOB_USAGE, trainingArrayOptions, writeAndSubmitJob } from './jobOptions';

export const slurmSweepUsage =
  `wslab slurm sweep CONFIG --grid key=v1,v2 … [--seeds 0,1,2] [--runs DIR] ${SLURM_JOB_USAGE}\n` +
  '               write RUNS/slurm/sweep.sbatch, a job array with one wslab train run per grid point × seed; --submit runs sbatch and prints the job id';

export const SLURM_SWEEP_OPTIONS = {
  grid: { type: 'string', multiple: true, default: [], value: 'key=v1,v2', help: 'An axis of the grid: a config key (dotted) and its values.' },
  seeds: { type: 'string', value: '0,1,2', help: 'One run per grid point and seed.', defaultText: "the config's seed" },
  runs: { type: 'string', default: 'runs', value: 'DIR', help: 'Where the run folders are made.' },
  ...SLURM_JOB_OPTIONS,
} satisfies CliOptions;

export async function slurmSweepCommand(args: readonly string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], allowPositionals: true, options: SLURM_SWEEP_OPTIONS });
  if (positionals.length !== 1) throw new UsageError(`slurm sweep takes one config file\nusage: ${slurmSweepUsage}`);
  const job = await prepareSweepArray({
    config: resolve(positionals[0]!),
    runs: resolve(values.runs!),
    axes: values.grid!.map(parseGridAxis),
    seeds: values.seeds?.split(',').map((s) => integerOption('seeds', s.trim(), 0)),
    ...trainingArrayOptions(values),
  });
  return writeAndSubmitJob({ ...job, submit: values.submit }, io);
}
