/**
 * The SIREN fitting contract, identical in every backend. For each task, from its initial weights:
 *   loss = MSE over all pixels and channels of f(coords) − target, with
 *   f(x) = W_L h_L + b_L + outputOffset, h_0 = x, h_{l+1} = sin(w0·(W_l h_l + b_l)).
 * Each step evaluates the loss of the CURRENT weights, PSNR = 10·log10(1/MSE); if targetPsnr is not null
 * and PSNR ≥ targetPsnr the fit stops before updating, else backward and one bias-corrected Adam update
 * (PyTorch semantics). A result's `steps` counts the Adam updates and its `psnr` is that of the returned
 * weights (after the step cap: one more forward). Networks are fitted independently and
 * deterministically, so results never depend on how tasks are batched or split across workers; inputs
 * are never mutated. An AbortSignal stops the fit between networks and rejects with an AbortError;
 * results already delivered through onResult stay valid.
 */
import type { SirenSpec } from './spec';
import type { Layer } from '../weights/network';

/** The DWSNets fitting recipe (PAPER.md). */
export const DEFAULT_FIT = { steps: 1000, targetPsnr: 40, lr: 5e-4, beta1: 0.9, beta2: 0.999, eps: 1e-8 } as const;

export interface FitTask {
  readonly id: string;
  /** pixels × outputDim, pixel-major (pixel p, channel c at p·outputDim + c), values in [0, 1]. */
  readonly target: Float32Array;
  readonly init: readonly Layer[];
  /**
   * This network's own coordinates (as many as the fit's), e.g. the points sampled around one mesh;
   * absent: the fit's `coords`. The wasm, reference and tfjs backends take them; WebGPU refuses.
   */
  readonly coords?: Float32Array;
}

export interface FitOptions {
  readonly spec: SirenSpec;
  /** pixels × inputDim, pixel-major, e.g. pixelGrid(28). */
  readonly coords: Float32Array;
  /** Cap on Adam updates (DEFAULT_FIT.steps = 1000). */
  readonly steps: number;
  /** Stop once this PSNR is reached (DEFAULT_FIT.targetPsnr = 40); null: never stop early. */
  readonly targetPsnr: number | null;
  readonly lr?: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly eps?: number;
}

export interface FitResult {
  readonly id: string;
  readonly layers: Layer[];
  readonly psnr: number;
  readonly steps: number;
}

export interface FitProgress {
  readonly done: number;
  readonly total: number;
  /** Adam updates done so far, summed over finished networks. */
  readonly inrSteps: number;
}

export interface FitHooks {
  readonly signal?: AbortSignal;
  readonly onResult?: (result: FitResult) => void;
  readonly onProgress?: (progress: FitProgress) => void;
}

export interface FitBackend {
  /** 'wasm-simd', 'wasm-relaxed-simd', 'webgpu', 'reference' or 'tfjs-node-gpu'. */
  readonly name: string;
  /** The device it runs on, where that is worth saying (a GPU adapter). */
  readonly device?: string;
  /** Resolves to one result per task, in task order. */
  fit(tasks: readonly FitTask[], options: FitOptions, hooks?: FitHooks): Promise<FitResult[]>;
  close(): Promise<void>;
}
