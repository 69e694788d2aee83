/**
 * `wslab slurm study FILE`: writes (and with --submit, submits) a job array with one task per run of a
 * study (src/core/cluster/studyArray.ts); rerun `wslab study FILE` with the same --out afterwards to
 * collect study.json and the report (finished runs are not trained again).
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { prepareStudyArray } from '../../core/cluster/studyArray';
import { readStudy } from '../../core/study/studyConfig';
import { UsageError, type CommandIO } from '../command';
import { integerOption } from '../options';
import { jobDirectives, SLURM_JOB_OPTIONS, SLURM_JOB_USAGE, writeAndSubmitJob } from './jobOptions';
import { wslabCommand } from './wslabCommand';

export const slurmStudyUsage =
  `wslab slurm study FILE.study.wslab.json [--out DIR] ${SLURM_JOB_USAGE}\n` +
  '               write DIR/runs/slurm/sweep.sbatch, a job array with one wslab train task per study run (default DIR: studies/<name>); then wslab study FILE --out DIR';

export async function slurmStudyCommand(args: readonly string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], allowPositionals: true, options: { out: { type: 'string' }, ...SLURM_JOB_OPTIONS } });
  if (positionals.length !== 1) throw new UsageError(`slurm study takes one study file\nusage: ${slurmStudyUsage}`);
  const study = await readStudy(positionals[0]!);
  const job = await prepareStudyArray({
    study,
    out: resolve(values.out ?? join('studies', study.name)),
    cpusPerTask: values['cpus-per-task'] === undefined ? 4 : integerOption('cpus-per-task', values['cpus-per-task'], 1),
    maxRunning: values['max-running'] === undefined ? undefined : integerOption('max-running', values['max-running'], 1),
    directives: jobDirectives(values),
    wslab: wslabCommand(values.wslab),
    workdir: process.cwd(),
    requeue: !values['no-requeue'],
    name: values['job-name'],
    script: values.script === undefined ? undefined : resolve(values.script),
  });
  return writeAndSubmitJob({ ...job, submit: values.submit }, io);
}
