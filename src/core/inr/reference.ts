/**
 * Reference SIREN fitter: plain TypeScript, float64 arithmetic throughout; the weights are held as
 * float32 between steps (as in every backend), so the returned weights are exactly the ones whose loss
 * was measured. It is the oracle the WASM kernel is tested against, and the 'reference' backend.
 *
 * Forward (pixel-major activations, H_0 = coords):
 *   U_l = H_l W_lᵀ + b_l,  H_{l+1} = sin(w0·U_l),  S_{l+1} = w0·cos(w0·U_l)          (l < L)
 *   Y = H_L W_Lᵀ + b_L + outputOffset,  MSE = Σ (Y − T)² / (pixels·outputDim)
 * Backward:  Δ_L = 2(Y − T) / (pixels·outputDim);  ∂W_l = Δ_lᵀ H_l;  ∂b_l = Σ_p Δ_l;
 *            Δ_{l−1} = (Δ_l W_l) ⊙ S_l
 * Adam (PyTorch): m ← β1 m + (1−β1) g;  v ← β2 v + (1−β2) g²;
 *                 θ ← θ − (lr / (1−β1ᵗ)) · m / (√v / √(1−β2ᵗ) + ε)
 */
import type { FitBackend, FitHooks, FitOptions, FitResult, FitTask } from './fitBackend';
import { fitOneByOne, type ResolvedFit } from './fitting';
import { psnrFromMse } from './psnr';
import type { SirenSpec } from './spec';
import type { Layer } from '../weights/network';

/** A layer whose weights may be float32 or float64 (finite-difference checks perturb in float64). */
export interface DenseLayer {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly W: ArrayLike<number>;
  readonly b: ArrayLike<number>;
}

export interface LayerGradient {
  readonly W: Float64Array;
  readonly b: Float64Array;
}

interface ForwardPass {
  readonly mse: number;
  /** H_0 … H_L, each pixels × width. */
  readonly activations: Float64Array[];
  /** S_1 … S_L at index 1 … L (index 0 unused). */
  readonly slopes: Float64Array[];
  /** Δ_L, pixels × outputDim. */
  readonly outputDelta: Float64Array;
}

function forwardPass(spec: SirenSpec, layers: readonly DenseLayer[], coords: Float32Array, target: Float32Array): ForwardPass {
  const pixels = coords.length / spec.inputDim;
  const activations = [Float64Array.from(coords)];
  const slopes = [new Float64Array(0)];
  const last = layers.length - 1;
  let output = new Float64Array(0);
  layers.forEach((layer, l) => {
    const { inFeatures, outFeatures, W, b } = layer;
    const input = activations[l]!;
    const h = new Float64Array(pixels * outFeatures);
    const s = new Float64Array(pixels * outFeatures);
    for (let p = 0; p < pixels; p++) {
      for (let o = 0; o < outFeatures; o++) {
        let u = b[o]!;
        for (let i = 0; i < inFeatures; i++) u += input[p * inFeatures + i]! * W[o * inFeatures + i]!;
        if (l === last) {
          h[p * outFeatures + o] = u + spec.outputOffset;
        } else {
          h[p * outFeatures + o] = Math.sin(spec.w0 * u);
          s[p * outFeatures + o] = spec.w0 * Math.cos(spec.w0 * u);
        }
      }
    }
    if (l === last) {
      output = h;
    } else {
      activations.push(h);
      slopes.push(s);
    }
  });
  const count = output.length;
  let sum = 0;
  const outputDelta = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    const e = output[k]! - target[k]!;
    sum += e * e;
    outputDelta[k] = (2 * e) / count;
  }
  return { mse: sum / count, activations, slopes, outputDelta };
}

function backwardPass(layers: readonly DenseLayer[], pass: ForwardPass): LayerGradient[] {
  const gradients: LayerGradient[] = [];
  let delta = pass.outputDelta;
  for (let l = layers.length - 1; l >= 0; l--) {
    const { inFeatures, outFeatures, W } = layers[l]!;
    const input = pass.activations[l]!;
    const pixels = input.length / inFeatures;
    const gW = new Float64Array(outFeatures * inFeatures);
    const gb = new Float64Array(outFeatures);
    for (let p = 0; p < pixels; p++) {
      for (let o = 0; o < outFeatures; o++) {
        const d = delta[p * outFeatures + o]!;
        gb[o] += d;
        for (let i = 0; i < inFeatures; i++) gW[o * inFeatures + i] += d * input[p * inFeatures + i]!;
      }
    }
    gradients[l] = { W: gW, b: gb };
    if (l > 0) {
      const slope = pass.slopes[l]!;
      const previous = new Float64Array(pixels * inFeatures);
      for (let p = 0; p < pixels; p++) {
        for (let i = 0; i < inFeatures; i++) {
          let sum = 0;
          for (let o = 0; o < outFeatures; o++) sum += delta[p * outFeatures + o]! * W[o * inFeatures + i]!;
          previous[p * inFeatures + i] = sum * slope[p * inFeatures + i]!;
        }
      }
      delta = previous;
    }
  }
  return gradients;
}

/** MSE of the network on (coords, target) and its gradient with respect to every weight and bias. */
export function referenceLossAndGradients(
  spec: SirenSpec,
  layers: readonly DenseLayer[],
  coords: Float32Array,
  target: Float32Array,
): { mse: number; gradients: LayerGradient[] } {
  const pass = forwardPass(spec, layers, coords, target);
  return { mse: pass.mse, gradients: backwardPass(layers, pass) };
}

function adamUpdate(param: Float32Array, grad: Float64Array, m: Float64Array, v: Float64Array, step: number, fit: ResolvedFit): void {
  const stepSize = fit.lr / (1 - fit.beta1 ** step);
  const sqrtCorrection2 = Math.sqrt(1 - fit.beta2 ** step);
  for (let k = 0; k < param.length; k++) {
    const g = grad[k]!;
    m[k] = fit.beta1 * m[k]! + (1 - fit.beta1) * g;
    v[k] = fit.beta2 * v[k]! + (1 - fit.beta2) * g * g;
    param[k] = param[k]! - (stepSize * m[k]!) / (Math.sqrt(v[k]!) / sqrtCorrection2 + fit.eps);
  }
}

/** Fits one network (see backend.ts for the step semantics). */
export function referenceFit(task: FitTask, fit: ResolvedFit): FitResult {
  const layers: Layer[] = task.init.map((l) => ({ ...l, W: Float32Array.from(l.W), b: Float32Array.from(l.b) }));
  const moments = layers.map((l) => ({
    mW: new Float64Array(l.W.length),
    vW: new Float64Array(l.W.length),
    mb: new Float64Array(l.b.length),
    vb: new Float64Array(l.b.length),
  }));
  for (let steps = 0; ; steps++) {
    const pass = forwardPass(fit.spec, layers, task.coords ?? fit.coords, task.target);
    if (pass.mse <= fit.stopMse || steps >= fit.steps) return { id: task.id, layers, psnr: psnrFromMse(pass.mse), steps };
    backwardPass(layers, pass).forEach((g, l) => {
      const { mW, vW, mb, vb } = moments[l]!;
      adamUpdate(layers[l]!.W, g.W, mW, vW, steps + 1, fit);
      adamUpdate(layers[l]!.b, g.b, mb, vb, steps + 1, fit);
    });
  }
}

/** The reference as a backend: runs on the calling thread, one network at a time. */
export class ReferenceBackend implements FitBackend {
  readonly name = 'reference';

  fit(tasks: readonly FitTask[], options: FitOptions, hooks: FitHooks = {}): Promise<FitResult[]> {
    return fitOneByOne(tasks, options, hooks, referenceFit);
  }

  async close(): Promise<void> {}
}
