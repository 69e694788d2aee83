/**
 * Whether this machine can submit to Slurm: a login host is set (`weightSpaceLab.slurm.loginHost`: its
 * tools are reached over ssh), or `sbatch` is on PATH — looked up with a few stat calls, never run, so it
 * costs the extension nothing at activation. The tree provider mirrors it in a context key for the menus.
 */
import { findOnPath } from '../../core/cluster/findTool';
import type { SlurmSettings } from '../settings';

export async function slurmAvailable(
  settings: Pick<SlurmSettings, 'loginHost'>,
  find: (program: string) => Promise<string | undefined> = findOnPath,
): Promise<boolean> {
  return settings.loginHost !== null || (await find('sbatch')) !== undefined;
}
