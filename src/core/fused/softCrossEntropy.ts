/**
 * The soft-target cross-entropy of the fused engine, in JavaScript (a batch of logits is small):
 *   loss_n = −Σ_c t_nc · log softmax(z_n)_c,   ∂loss_n/∂z_n = softmax(z_n)·Σ_c t_nc − t_n
 * as evaluate.ts's softCrossEntropy (mean over the batch). Label smoothing and MixUp come as soft targets.
 */

/**
 * Over `rows` rows: the summed loss and how many rows' largest logit is the target's largest class (first on
 * ties); writes ∂(mean loss)/∂z into `dz` when given, the mean taken over `batch` rows (the whole batch when
 * these rows are one thread's shard of it).
 */
export function softCrossEntropyGrad(
  logits: Float32Array,
  targets: Float32Array,
  rows: number,
  classes: number,
  dz?: Float32Array,
  batch = rows,
): { lossSum: number; correct: number } {
  let lossSum = 0;
  let correct = 0;
  for (let n = 0; n < rows; n++) {
    const o = n * classes;
    let zMax = -Infinity;
    let predicted = 0;
    let tMax = -Infinity;
    let label = 0;
    let tSum = 0;
    for (let c = 0; c < classes; c++) {
      if (logits[o + c]! > zMax) {
        zMax = logits[o + c]!;
        predicted = c;
      }
      if (targets[o + c]! > tMax) {
        tMax = targets[o + c]!;
        label = c;
      }
      tSum += targets[o + c]!;
    }
    let expSum = 0;
    for (let c = 0; c < classes; c++) expSum += Math.exp(logits[o + c]! - zMax);
    const logZ = zMax + Math.log(expSum);
    for (let c = 0; c < classes; c++) {
      lossSum -= targets[o + c]! * (logits[o + c]! - logZ);
      if (dz) dz[o + c] = (Math.exp(logits[o + c]! - logZ) * tSum - targets[o + c]!) / batch;
    }
    if (predicted === label) correct++;
  }
  return { lossSum, correct };
}
