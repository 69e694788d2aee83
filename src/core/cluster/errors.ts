/** The one error type of cluster operations (Slurm tools missing or failing, bad job scripts or records). */
import { LabError } from '../labError';
export class ClusterError extends LabError {
  override readonly name = 'ClusterError';
  constructor(message: string) {
    super('cluster', message);
  }
}
