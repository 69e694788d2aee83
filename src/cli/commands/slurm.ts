/**
 * `wslab slurm SUBCOMMAND`: running wslab on a Slurm cluster as job arrays. `generate` makes an INR
 * dataset in parts (then `wslab merge`), `sweep` trains one run per grid point × seed, `study` one run
 * per run of a study, `status` follows a job of any kind.
 */
import { UsageError, type Command, type CommandIO } from '../command';
import { slurmGenerateCommand, slurmGenerateUsage } from '../slurm/generate';
import { slurmStatusCommand, slurmStatusUsage } from '../slurm/status';
import { slurmSweepCommand, slurmSweepUsage } from '../slurm/sweep';
import { slurmStudyCommand, slurmStudyUsage } from '../slurm/study';

const SUBCOMMANDS: Record<string, { run: Command; usage: string }> = {
  generate: { run: slurmGenerateCommand, usage: slurmGenerateUsage },
  sweep: { run: slurmSweepCommand, usage: slurmSweepUsage },
  study: { run: slurmStudyCommand, usage: slurmStudyUsage },
  status: { run: slurmStatusCommand, usage: slurmStatusUsage },
};

export const slurmUsage = `wslab slurm generate|sweep|study|status …   run on a Slurm cluster as a job array:\n${Object.values(SUBCOMMANDS)
  .map((s) => `    ${s.usage.replace(/\n/g, '\n    ')}`)
  .join('\n')}`;

export async function slurmCommand(args: readonly string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = args;
  const sub = name === undefined ? undefined : SUBCOMMANDS[name];
  if (!sub) throw new UsageError(`${name === undefined ? 'slurm needs a subcommand' : `unknown slurm subcommand "${name}"`}\nusage: ${slurmUsage}`);
  return sub.run(rest, io);
}
