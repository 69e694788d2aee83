/**
 * Plumbing shared by the SIREN fitting backends (contract in backend.ts): options checked and
 * defaulted, tasks checked against the spec, layers flattened for messages, and the fit loop of the
 * backends that run on the calling thread. The PSNR target becomes an MSE threshold once, here:
 * PSNR ≥ p ⇔ MSE ≤ 10^(−p/10), so every backend stops on exactly the same test.
 */
import { DEFAULT_FIT, type FitHooks, type FitOptions, type FitResult, type FitTask } from './fitBackend';
import { mseFromPsnr } from './psnr';
import { sirenWidths, validateSirenSpec, type SirenSpec } from './spec';
import type { Layer } from '../weights/network';

/** FitOptions checked, with defaults filled in and the PSNR target turned into an MSE threshold. */
export interface ResolvedFit {
  readonly spec: SirenSpec;
  readonly coords: Float32Array;
  readonly pixels: number;
  readonly steps: number;
  /** Stop when MSE ≤ stopMse (⇔ PSNR ≥ targetPsnr); −1 when targetPsnr is null. */
  readonly stopMse: number;
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
}

export function resolveFitOptions(options: FitOptions): ResolvedFit {
  const { spec, coords, steps, targetPsnr } = options;
  validateSirenSpec(spec);
  if (coords.length === 0 || coords.length % spec.inputDim !== 0) {
    throw new Error(`coordinate array length ${coords.length} is not a positive multiple of the input dimension ${spec.inputDim}`);
  }
  if (!Number.isInteger(steps) || steps < 0) throw new Error(`steps must be a non-negative integer, got ${steps}`);
  if (targetPsnr !== null && Number.isNaN(targetPsnr)) throw new Error('targetPsnr must be a number or null, got NaN');
  const lr = options.lr ?? DEFAULT_FIT.lr;
  const beta1 = options.beta1 ?? DEFAULT_FIT.beta1;
  const beta2 = options.beta2 ?? DEFAULT_FIT.beta2;
  const eps = options.eps ?? DEFAULT_FIT.eps;
  if (!(lr > 0 && Number.isFinite(lr))) throw new Error(`lr must be a positive number, got ${lr}`);
  if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1)) throw new Error(`Adam betas must be in [0, 1), got ${beta1}, ${beta2}`);
  if (!(eps > 0)) throw new Error(`Adam eps must be positive, got ${eps}`);
  const stopMse = targetPsnr === null ? -1 : mseFromPsnr(targetPsnr);
  return { spec, coords, pixels: coords.length / spec.inputDim, steps, stopMse, lr, beta1, beta2, eps };
}

/** Throws a message naming the task when its target or initial weights do not fit the spec. */
export function checkFitTask(task: FitTask, fit: ResolvedFit): void {
  const { spec, pixels } = fit;
  const expected = pixels * spec.outputDim;
  if (task.coords && task.coords.length !== fit.coords.length) {
    throw new Error(`task ${task.id}: ${task.coords.length / spec.inputDim} coordinates of its own, the fit has ${pixels}`);
  }
  if (task.target.length !== expected) {
    throw new Error(`task ${task.id}: target has ${task.target.length} values, expected ${pixels} pixels × ${spec.outputDim} channels = ${expected}`);
  }
  const widths = sirenWidths(spec);
  if (task.init.length !== widths.length - 1) throw new Error(`task ${task.id}: ${task.init.length} initial layers, the spec has ${widths.length - 1}`);
  task.init.forEach((layer, l) => {
    const [inF, outF] = [widths[l]!, widths[l + 1]!];
    if (layer.inFeatures !== inF || layer.outFeatures !== outF || layer.W.length !== inF * outF || layer.b.length !== outF) {
      throw new Error(
        `task ${task.id}: initial layer ${l} is ${layer.outFeatures}×${layer.inFeatures} (W ${layer.W.length}, b ${layer.b.length}), the spec needs ${outF}×${inF}`,
      );
    }
  });
}

export function abortError(): DOMException {
  return new DOMException('SIREN fitting was cancelled', 'AbortError');
}

/** All weights and biases in layer order (W_0, b_0, W_1, b_1, …), the PyTorch state-dict order. */
export function flattenLayers(layers: readonly Layer[]): Float32Array {
  const out = new Float32Array(layers.reduce((n, l) => n + l.W.length + l.b.length, 0));
  let at = 0;
  for (const { W, b } of layers) {
    out.set(W, at);
    out.set(b, at + W.length);
    at += W.length + b.length;
  }
  return out;
}

export function unflattenLayers(spec: SirenSpec, flat: Float32Array): Layer[] {
  const widths = sirenWidths(spec);
  let at = 0;
  return widths.slice(1).map((outFeatures, l) => {
    const inFeatures = widths[l]!;
    const W = flat.slice(at, at + outFeatures * inFeatures);
    const b = flat.slice(at + W.length, at + W.length + outFeatures);
    at += W.length + outFeatures;
    return { inFeatures, outFeatures, W, b };
  });
}

/**
 * The fit loop of the backends that run on the calling thread: one network at a time, yielding to
 * the event loop between networks so an abort is seen.
 */
export async function fitOneByOne(
  tasks: readonly FitTask[],
  options: FitOptions,
  hooks: FitHooks,
  fitOne: (task: FitTask, fit: ResolvedFit) => Promise<FitResult> | FitResult,
): Promise<FitResult[]> {
  const fit = resolveFitOptions(options);
  tasks.forEach((task) => checkFitTask(task, fit));
  const results: FitResult[] = [];
  let inrSteps = 0;
  for (const task of tasks) {
    await new Promise((resolve) => setImmediate(resolve));
    if (hooks.signal?.aborted) throw abortError();
    const result = await fitOne(task, fit);
    results.push(result);
    inrSteps += result.steps;
    hooks.onResult?.(result);
    hooks.onProgress?.({ done: results.length, total: tasks.length, inrSteps });
  }
  return results;
}
