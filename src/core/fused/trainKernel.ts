/**
 * Host side of the WebAssembly training kernels (src/kernels/train, built into dist/train-simd.wasm and
 * dist/train-relaxed-simd.wasm; the relaxed build where the runtime runs it, as for the SIREN kernel), and
 * the arena that lays arrays out in an instance's memory. Arrays are allocated once, when a model program is
 * built, so the views handed out stay valid (memory only grows while allocating).
 */
import { instantiateKernel, loadKernelModule, type KernelFlavour, type KernelModule } from '../inr/wasmKernel';

/** The kernels' exports (pointers are byte offsets into `memory`; see the kernel's header for the maths). */
export interface TrainKernelExports {
  readonly memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  heapBase(): number;
  matmul(a: number, b: number, c: number, m: number, k: number, n: number, accumulate: boolean): void;
  matmulTransA(a: number, b: number, c: number, m: number, k: number, n: number): void;
  sumPool(src: number, dst: number, outer: number, n: number, inner: number, scale: number, accumulate: boolean): void;
  broadcastAdd(dst: number, src: number, outer: number, n: number, inner: number, scale: number): void;
  addRowsCols(x: number, r: number, k: number, outer: number, rows: number, cols: number, c: number, rs: number, ks: number, sums: number): void;
  scaleShiftReluPool(
    x: number,
    y: number,
    outer: number,
    rows: number,
    cols: number,
    c: number,
    scale: number,
    shift: number,
    rowMeans: number,
    colMeans: number,
  ): void;
  affineReluGradRowCol(
    x: number,
    y: number,
    dy: number,
    dx: number,
    outer: number,
    rows: number,
    cols: number,
    c: number,
    a: number,
    k: number,
    d: number,
    rowSums: number,
    colSums: number,
  ): void;
  centredSquareSums(x: number, rows: number, c: number, mean: number, sums: number): void;
  scaleShiftRelu(x: number, y: number, rows: number, c: number, scale: number, shift: number): void;
  reluGradSums(x: number, y: number, dy: number, rows: number, c: number, sumG: number, sumGX: number): void;
  affineReluGrad(x: number, y: number, dy: number, dx: number, rows: number, c: number, a: number, k: number, d: number): void;
  maxPool(src: number, dst: number, outer: number, n: number, inner: number): void;
  maxPoolGrad(src: number, dst: number, dDst: number, dSrc: number, outer: number, n: number, inner: number): void;
  adamw(
    theta: number,
    grad: number,
    m: number,
    v: number,
    count: number,
    lr: number,
    weightDecay: number,
    beta1: number,
    beta2: number,
    eps: number,
    c1: number,
    c2: number,
  ): void;
  fmaPeak(iterations: number): number;
  transpose(src: number, dst: number, rows: number, cols: number): void;
}

let compiled: { module: KernelModule; flavour: KernelFlavour } | undefined;

/** The compiled training kernel (once per thread), relaxed SIMD where this runtime runs it. */
export function trainKernelModule(): { module: KernelModule; flavour: KernelFlavour } {
  compiled ??= loadKernelModule(undefined, 'train');
  return compiled;
}

const PAGE = 65536;

/** A float32 array in kernel memory: its byte pointer and length. */
export interface Slot {
  readonly ptr: number;
  readonly length: number;
}

/** Bump allocation of 16-byte aligned arrays in one kernel instance's memory. */
export class Arena {
  readonly kernel: TrainKernelExports;
  private top: number;

  constructor(module: KernelModule = trainKernelModule().module) {
    this.kernel = instantiateKernel(module) as TrainKernelExports;
    this.top = (this.kernel.heapBase() + 15) & ~15;
  }

  /** A zeroed array of `length` floats (or int32s). */
  alloc(length: number): Slot {
    const ptr = this.top;
    this.top = ptr + ((length * 4 + 15) & ~15);
    const have = this.kernel.memory.buffer.byteLength;
    if (this.top > have) this.kernel.memory.grow(Math.ceil((this.top - have) / PAGE));
    return { ptr, length };
  }

  /** A float view of a slot (valid until the next alloc). */
  f32(slot: Slot): Float32Array {
    return new Float32Array(this.kernel.memory.buffer, slot.ptr, slot.length);
  }

  /** Bytes in use. */
  get bytes(): number {
    return this.top;
  }
}
