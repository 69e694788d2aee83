/**
 * Host side of the fused WebAssembly SIREN kernel (src/kernels/siren, built into dist/siren-simd.wasm
 * and dist/siren-relaxed-simd.wasm). Loads the relaxed-SIMD build when this runtime validates it (FMA),
 * else the plain SIMD build. Coordinates and targets go in pixel-major (the kernel tiles them); weights
 * go in and out of the kernel's parameter block, whose hidden widths are padded to even with zero
 * neurons. The maths is in the kernel's header.
 */
import { readFileSync } from 'node:fs';
import type { FitResult, FitTask } from './fitBackend';
import type { ResolvedFit } from './fitting';
import { psnrFromMse } from './psnr';
import { distFile } from '../io/bundledWorker';
import { sirenWidths, type SirenSpec } from './spec';
import type { Layer } from '../weights/network';
import { setFlagsFromString } from 'node:v8';

export type KernelFlavour = 'wasm-simd' | 'wasm-relaxed-simd';

/** A compiled WebAssembly.Module (opaque here; it can be posted to workers). */
export type KernelModule = { readonly __brand: 'WebAssembly.Module' };

/** The part of the WebAssembly JS API used here (this project's TypeScript lib has no WebAssembly types). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => KernelModule;
  Instance: new (module: KernelModule, imports: object) => { readonly exports: unknown };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** Hidden layers the kernel's layer tables hold. */
const MAX_HIDDEN_LAYERS = 8;

interface KernelExports {
  readonly memory: { readonly buffer: ArrayBuffer };
  configure(hiddenCount: number, pixels: number, w0: number, outputOffset: number): number;
  fit(maxSteps: number, stopMse: number, lr: number, beta1: number, beta2: number, eps: number): number;
  lossAndGradients(): number;
  mse(): number;
  loadCoords(): void;
  loadTarget(): void;
  widthsPtr(): number;
  staging(): number;
  params(): number;
  grads(): number;
  fanIn(layer: number): number;
  weightOffset(layer: number): number;
  biasOffset(layer: number): number;
}

/** The AssemblyScript kernels scripts/build-wasm.mjs builds: SIREN fitting, and training (src/core/fused). */
export type KernelName = 'siren' | 'train';

export function kernelPath(flavour: KernelFlavour, kernel: KernelName = 'siren'): string {
  return distFile(flavour === 'wasm-simd' ? `${kernel}-simd.wasm` : `${kernel}-relaxed-simd.wasm`);
}

/** Environment variable that forces a kernel build: 'wasm-simd', 'wasm-relaxed-simd' or 'auto' (default). */
export const KERNEL_ENV = 'WSLAB_WASM_KERNEL';

/**
 * Whether this runtime accepts the relaxed-SIMD build. Node 20 and 21 ship relaxed SIMD behind
 * --experimental-wasm-relaxed-simd; V8 honours that flag for modules compiled after it is set, so it is
 * switched on here (process-wide, worker threads included) rather than asking users for a Node flag.
 * Runtimes that ship it (VS Code's Electron, Node ≥ 22) validate it without the flag.
 */
function relaxedSimdValidates(bytes: Uint8Array): boolean {
  if (wasm.validate(bytes)) return true;
  setFlagsFromString('--experimental-wasm-relaxed-simd');
  return wasm.validate(bytes);
}

/**
 * The compiled kernel: relaxed SIMD (FMA, about 10–40% faster) where the runtime can run it, else plain
 * SIMD; `WSLAB_WASM_KERNEL` forces one.
 */
export function loadKernelModule(choice = process.env[KERNEL_ENV] ?? 'auto', kernel: KernelName = 'siren'): { module: KernelModule; flavour: KernelFlavour } {
  if (choice !== 'auto' && choice !== 'wasm-simd' && choice !== 'wasm-relaxed-simd') {
    throw new Error(`${KERNEL_ENV} must be auto, wasm-simd or wasm-relaxed-simd, got "${choice}"`);
  }
  if (choice !== 'wasm-simd') {
    const relaxed = readFileSync(kernelPath('wasm-relaxed-simd', kernel));
    if (relaxedSimdValidates(relaxed)) return { module: new wasm.Module(relaxed), flavour: 'wasm-relaxed-simd' };
    if (choice === 'wasm-relaxed-simd') throw new Error(`${KERNEL_ENV}=wasm-relaxed-simd, but this runtime cannot run relaxed SIMD`);
  }
  return { module: new wasm.Module(readFileSync(kernelPath('wasm-simd', kernel))), flavour: 'wasm-simd' };
}

/** A new instance of a compiled kernel (no imports), its exports untyped: each host declares what it uses. */
export function instantiateKernel(module: KernelModule): unknown {
  return new wasm.Instance(module, {}).exports;
}

/** Why the kernel cannot fit this spec, or null when it can. */
export function kernelUnsupportedReason(spec: SirenSpec): string | null {
  if (spec.hidden.length > MAX_HIDDEN_LAYERS)
    return `the WASM kernel supports at most ${MAX_HIDDEN_LAYERS} hidden layers, this SIREN has ${spec.hidden.length}`;
  return null;
}

/** One kernel instance, configured for one spec and coordinate grid at a time. */
export class SirenKernel {
  private readonly kernel: KernelExports;
  private spec: SirenSpec | null = null;
  private pixels = 0;

  constructor(module: KernelModule) {
    this.kernel = new wasm.Instance(module, {}).exports as KernelExports;
  }

  private floats(ptr: number, length: number): Float32Array {
    return new Float32Array(this.kernel.memory.buffer, ptr, length);
  }

  /** Lays the kernel out for `spec` and `coords` (pixels × inputDim, pixel-major). */
  configure(spec: SirenSpec, coords: Float32Array): void {
    const reason = kernelUnsupportedReason(spec);
    if (reason) throw new Error(reason);
    const k = this.kernel;
    const pixels = coords.length / spec.inputDim;
    new Int32Array(k.memory.buffer, k.widthsPtr(), spec.hidden.length + 2).set(sirenWidths(spec));
    if (!k.configure(spec.hidden.length, pixels, spec.w0, spec.outputOffset)) {
      throw new Error(`the WASM kernel could not get memory for ${pixels} pixels and widths [${sirenWidths(spec).join(', ')}]`);
    }
    this.floats(k.staging(), coords.length).set(coords);
    k.loadCoords();
    this.spec = spec;
    this.pixels = pixels;
  }

  private configured(): SirenSpec {
    if (!this.spec) throw new Error('SirenKernel.configure() must be called first');
    return this.spec;
  }

  private writeLayers(layers: readonly Layer[]): void {
    const k = this.kernel;
    const params = this.floats(k.params(), k.biasOffset(layers.length - 1) + layers[layers.length - 1]!.outFeatures);
    params.fill(0);
    layers.forEach(({ inFeatures, outFeatures, W, b }, l) => {
      const fanIn = k.fanIn(l);
      for (let o = 0; o < outFeatures; o++) params.set(W.subarray(o * inFeatures, (o + 1) * inFeatures), k.weightOffset(l) + o * fanIn);
      params.set(b, k.biasOffset(l));
    });
  }

  /** The layers stored at ptr (params() or grads()), without the padding. */
  private readLayers(ptr: number): Layer[] {
    const k = this.kernel;
    const widths = sirenWidths(this.configured());
    return widths.slice(1).map((outFeatures, l) => {
      const inFeatures = widths[l]!;
      const fanIn = k.fanIn(l);
      const W = new Float32Array(outFeatures * inFeatures);
      for (let o = 0; o < outFeatures; o++) W.set(this.floats(ptr + 4 * (k.weightOffset(l) + o * fanIn), inFeatures), o * inFeatures);
      return { inFeatures, outFeatures, W, b: this.floats(ptr + 4 * k.biasOffset(l), outFeatures).slice() };
    });
  }

  private load(layers: readonly Layer[], target: Float32Array): void {
    const spec = this.configured();
    if (target.length !== this.pixels * spec.outputDim) throw new Error(`target has ${target.length} values, expected ${this.pixels * spec.outputDim}`);
    this.writeLayers(layers);
    this.floats(this.kernel.staging(), target.length).set(target);
    this.kernel.loadTarget();
  }

  /** Fits one network (see backend.ts for the step semantics); `fit.spec` must be the configured spec. */
  fit(task: FitTask, fit: ResolvedFit): FitResult {
    this.load(task.init, task.target);
    const steps = this.kernel.fit(fit.steps, fit.stopMse, fit.lr, fit.beta1, fit.beta2, fit.eps);
    return { id: task.id, layers: this.readLayers(this.kernel.params()), psnr: psnrFromMse(this.kernel.mse()), steps };
  }

  /** MSE of `layers` on the configured grid and its gradient, as the kernel computes them (f32). */
  lossAndGradients(layers: readonly Layer[], target: Float32Array): { mse: number; gradients: Layer[] } {
    this.load(layers, target);
    const mse = this.kernel.lossAndGradients();
    return { mse, gradients: this.readLayers(this.kernel.grads()) };
  }
}
