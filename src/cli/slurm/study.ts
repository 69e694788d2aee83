/**
 * `wslab slurm study FILE`: writes (and with --submit, submits) a job array with one task per run of a
 * study (src/core/cluster/studyArray.ts); rerun `wslab study FILE` with the same --out afterwards to
 * collect study.json and the report (finished runs are not trained again).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { prepareStudyArray } from '../../core/cluster/studyArray';
import { readStudy } from '../../core/study/studyConfig';
import { defaultStudyDir } from '../../core/study/studyFolder';
import { UsageError, type CommandIO } from '../command';
import type { CliOptions } from '../optionHelp';
import { SLURM_JOB_OPTIONS, SLURM_JOB_USAGE, trainingArrayOptions, writeAndSubmitJob } from './jobOptions';

export const slurmStudyUsage =
  `wslab slurm study FILE.study.wslab.json [--out DIR] ${SLURM_JOB_USAGE}\n` +
  '               write DIR/runs/slurm/sweep.sbatch, a job array with one wslab train task per study run (default DIR: studies/<name>); then wslab study FILE --out DIR';

export const SLURM_STUDY_OPTIONS = {
  out: { type: 'string', value: 'DIR', help: 'The study folder (give the same to wslab study afterwards).', defaultText: 'studies/<name>' },
  ...SLURM_JOB_OPTIONS,
} satisfies CliOptions;

export async function slurmStudyCommand(args: readonly string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], allowPositionals: true, options: SLURM_STUDY_OPTIONS });
  if (positionals.length !== 1) throw new UsageError(`slurm study takes one study file\nusage: ${slurmStudyUsage}`);
  const study = await readStudy(positionals[0]!);
  const job = await prepareStudyArray({
    study,
    out: values.out === undefined ? defaultStudyDir(process.cwd(), study.name) : resolve(values.out),
    ...trainingArrayOptions(values),
  });
  return writeAndSubmitJob({ ...job, submit: values.submit }, io);
}
