/**
 * `wslab slurm SUBCOMMAND`: running wslab on a Slurm cluster as job arrays. `generate` makes an INR
 * dataset in parts (then `wslab merge`), `sweep` trains one run per grid point × seed, `study` one run
 * per run of a study, `status` follows a job of any kind.
 */
import { UsageError, type Command, type CommandIO } from '../command';
import type { CliOptions } from '../optionHelp';
import { SLURM_GENERATE_OPTIONS, slurmGenerateCommand, slurmGenerateUsage } from '../slurm/generate';
import { SLURM_STATUS_OPTIONS, slurmStatusCommand, slurmStatusUsage } from '../slurm/status';
import { SLURM_SWEEP_OPTIONS, slurmSweepCommand, slurmSweepUsage } from '../slurm/sweep';
import { SLURM_STUDY_OPTIONS, slurmStudyCommand, slurmStudyUsage } from '../slurm/study';

export const SLURM_SUBCOMMANDS: Record<string, { run: Command; usage: string; options: CliOptions }> = {
  generate: { run: slurmGenerateCommand, usage: slurmGenerateUsage, options: SLURM_GENERATE_OPTIONS },
  sweep: { run: slurmSweepCommand, usage: slurmSweepUsage, options: SLURM_SWEEP_OPTIONS },
  study: { run: slurmStudyCommand, usage: slurmStudyUsage, options: SLURM_STUDY_OPTIONS },
  status: { run: slurmStatusCommand, usage: slurmStatusUsage, options: SLURM_STATUS_OPTIONS },
};

export const slurmUsage = `wslab slurm generate|sweep|study|status …   run on a Slurm cluster as a job array (wslab slurm SUBCOMMAND --help lists its options):\n${Object.values(
  SLURM_SUBCOMMANDS,
)
  .map((s) => `    ${s.usage.replace(/\n/g, '\n    ')}`)
  .join('\n')}`;

export async function slurmCommand(args: readonly string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = args;
  const sub = name === undefined ? undefined : SLURM_SUBCOMMANDS[name];
  if (!sub) throw new UsageError(`${name === undefined ? 'slurm needs a subcommand' : `unknown slurm subcommand "${name}"`}\nusage: ${slurmUsage}`);
  return sub.run(rest, io);
}
