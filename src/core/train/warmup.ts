/**
 * The learning-rate schedule of AdamW in both training engines (adamw.ts on TensorFlow.js, the fused
 * kernels' fusedShard.ts): linear warm-up, then constant — lr_t = lr · min(1, t / warmupSteps), t 1-based.
 * Free of TensorFlow.js, so the fused worker threads share it.
 */
export function warmupLearningRate(settings: { readonly lr: number; readonly warmupSteps: number }, t: number): number {
  const { lr, warmupSteps } = settings;
  return warmupSteps > 0 ? lr * Math.min(1, t / warmupSteps) : lr;
}
