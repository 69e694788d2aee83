/** The one error type of cluster operations (Slurm tools missing or failing, bad job scripts or records). */
export class ClusterError extends Error {
  override readonly name = 'ClusterError';
}
