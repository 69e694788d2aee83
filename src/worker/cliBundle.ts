/** The wslab CLI bundle a worker job starts (training processes, Slurm tasks): dist/cli.js. */
import { dirname, join, resolve } from 'node:path';

/** dist/cli.js next to this bundle (dist/worker.js), or the built one when running from the sources. */
export function cliBundlePath(): string {
  return __filename.endsWith('.js') ? join(dirname(__filename), 'cli.js') : resolve(__dirname, '..', '..', 'dist', 'cli.js');
}
