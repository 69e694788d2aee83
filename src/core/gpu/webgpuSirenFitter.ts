/**
 * Runs the WGSL SIREN fitting kernel (sirenFitShader.ts) on a WebGPU device: the networks of a fit go up
 * in groups (one workgroup per network), each group is stepped a chunk of Adam updates per dispatch
 * until every network has finished, and a network's weights are read back as soon as it finishes. The
 * chunk length adapts so that a dispatch takes about CHUNK_MS (short enough for a responsive cancel and
 * far from a driver's watchdog). Device loss, out-of-memory and shader errors become GpuError.
 */
import type { ResolvedFit } from '../inr/fitting';
import { sirenParameterCount, sirenWidths } from '../inr/spec';
import { CONFIG_BYTES, shaderUnsupportedReason, sirenFitShader } from './sirenFitShader';
import { GpuError, type WebGpu } from './webgpuDevice';

/** Networks per dispatch at most (the per-dimension workgroup limit is 65,535). */
const GROUP_NETWORKS = 4096;
/** Target time of one dispatch. */
const CHUNK_MS = 150;
const MAX_CHUNK_STEPS = 500;

export interface GpuFitTask {
  /** pixels × outputDim. */
  readonly target: Float32Array;
  /** The initial weights, flattened (flattenLayers order). */
  readonly init: Float32Array;
}

export interface GpuFitHooks {
  /** A network finished: its weights (flattened), the MSE of those weights, and its Adam updates. */
  readonly onResult: (index: number, params: Float32Array, mse: number, steps: number) => void;
  /** Asked between dispatches: true stops the fit (the caller reports the cancellation). */
  readonly stopped: () => boolean;
}

/** The largest f32 ≤ x (so that mse ≤ it in f32 ⇔ mse ≤ x for every f32 mse). */
function f32AtMost(x: number): number {
  const f = Math.fround(x);
  if (f <= x) return f;
  const bits = new Float32Array([f]);
  const view = new Int32Array(bits.buffer);
  view[0]! += f > 0 ? -1 : 1;
  return bits[0]!;
}

export class WebGpuSirenFitter {
  private readonly pipelines = new Map<string, GPUComputePipeline>();
  private lost: string | null = null;

  constructor(private readonly gpu: WebGpu) {
    void gpu.device.lost.then((info) => {
      this.lost = `the WebGPU device was lost (${info.reason}: ${info.message})`;
    });
  }

  private async pipeline(fit: ResolvedFit): Promise<GPUComputePipeline> {
    const key = JSON.stringify([fit.spec, fit.pixels]);
    const cached = this.pipelines.get(key);
    if (cached) return cached;
    const { device } = this.gpu;
    const unsupported = shaderUnsupportedReason(fit.spec, device.limits.maxComputeWorkgroupStorageSize);
    if (unsupported) throw new GpuError(unsupported);
    device.pushErrorScope('validation');
    const module = device.createShaderModule({ code: sirenFitShader(fit.spec, fit.pixels) });
    const pipeline = await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main' } }).catch((e: Error) => e);
    const error = await device.popErrorScope();
    if (error || pipeline instanceof Error) {
      const messages = (await module.getCompilationInfo()).messages.map((m) => `${m.lineNum}:${m.linePos} ${m.message}`).join('; ');
      throw new GpuError(`the WebGPU SIREN kernel did not compile: ${error?.message ?? (pipeline as Error).message}${messages ? ` (${messages})` : ''}`);
    }
    this.pipelines.set(key, pipeline);
    return pipeline;
  }

  /** Fits every task; results arrive through hooks.onResult as networks finish (any order). */
  async fit(fit: ResolvedFit, tasks: readonly GpuFitTask[], hooks: GpuFitHooks): Promise<void> {
    const pipeline = await this.pipeline(fit);
    for (let from = 0; from < tasks.length && !hooks.stopped(); from += GROUP_NETWORKS) {
      await this.fitGroup(fit, pipeline, tasks.slice(from, from + GROUP_NETWORKS), from, hooks);
    }
  }

  private check(): void {
    if (this.lost) throw new GpuError(this.lost);
  }

  private async fitGroup(fit: ResolvedFit, pipeline: GPUComputePipeline, tasks: readonly GpuFitTask[], offset: number, hooks: GpuFitHooks): Promise<void> {
    const { device } = this.gpu;
    const count = tasks.length;
    const P = sirenParameterCount(fit.spec);
    const outputs = fit.pixels * sirenWidths(fit.spec).at(-1)!;
    const storage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST;
    const buffers: GPUBuffer[] = [];
    const buffer = (size: number, usage: number) => {
      const b = device.createBuffer({ size: Math.max(16, Math.ceil(size / 4) * 4), usage });
      buffers.push(b);
      return b;
    };
    device.pushErrorScope('out-of-memory');
    const config = buffer(CONFIG_BYTES, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    const coords = buffer(fit.coords.byteLength, storage);
    const targets = buffer(4 * count * outputs, storage);
    const params = buffer(4 * count * P, storage | GPUBufferUsage.COPY_SRC);
    const moments = buffer(8 * count * P, storage);
    const state = buffer(16 * count, storage | GPUBufferUsage.COPY_SRC);
    const schedule = buffer(8 * (fit.steps + 1), storage);
    const stateRead = buffer(16 * count, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
    const paramsRead = buffer(4 * count * P, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
    const oom = await device.popErrorScope();
    try {
      if (oom) throw new GpuError(`WebGPU ran out of memory for ${count} networks: ${oom.message}`);
      device.queue.writeBuffer(coords, 0, fit.coords);
      const staging = new Float32Array(count * Math.max(outputs, P));
      tasks.forEach((t, i) => staging.set(t.target, i * outputs));
      device.queue.writeBuffer(targets, 0, staging, 0, count * outputs);
      tasks.forEach((t, i) => staging.set(t.init, i * P));
      device.queue.writeBuffer(params, 0, staging, 0, count * P);
      const steps = new Float32Array(2 * (fit.steps + 1));
      for (let t = 1; t <= fit.steps; t++) {
        steps[2 * t] = fit.lr / (1 - fit.beta1 ** t);
        steps[2 * t + 1] = Math.sqrt(1 - fit.beta2 ** t);
      }
      device.queue.writeBuffer(schedule, 0, steps);
      const bindings = device.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: [config, coords, targets, params, moments, state, schedule].map((b, binding) => ({ binding, resource: { buffer: b } })),
      });
      // The Config block of the shader; only the chunk of steps (at byte 4) changes between dispatches.
      const header = new DataView(new ArrayBuffer(CONFIG_BYTES));
      header.setUint32(0, fit.steps, true);
      header.setFloat32(8, fit.stopMse < 0 ? -1 : f32AtMost(fit.stopMse), true);
      header.setFloat32(12, fit.beta1, true);
      header.setFloat32(16, fit.beta2, true);
      header.setFloat32(20, fit.eps, true);
      header.setFloat32(24, 1 - fit.beta1, true);
      header.setFloat32(28, 1 - fit.beta2, true);
      const setConfig = (chunk: number) => {
        header.setUint32(4, chunk, true);
        device.queue.writeBuffer(config, 0, header.buffer);
      };
      const finished = new Uint8Array(count);
      let remaining = count;
      let chunk = 4;
      while (remaining > 0) {
        if (hooks.stopped()) return;
        this.check();
        setConfig(chunk);
        const started = performance.now();
        const encoder = device.createCommandEncoder();
        const pass = encoder.beginComputePass();
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, bindings);
        pass.dispatchWorkgroups(count);
        pass.end();
        encoder.copyBufferToBuffer(state, 0, stateRead, 0, 16 * count);
        device.queue.submit([encoder.finish()]);
        await stateRead.mapAsync(GPUMapMode.READ);
        const words = new Uint32Array(stateRead.getMappedRange().slice(0));
        stateRead.unmap();
        const elapsed = performance.now() - started;
        chunk = Math.max(1, Math.min(MAX_CHUNK_STEPS, Math.round((chunk * CHUNK_MS) / Math.max(elapsed, 1))));
        const done: number[] = [];
        for (let i = 0; i < count; i++) if (!finished[i] && words[4 * i + 1]) done.push(i);
        if (done.length === 0) continue;
        const copy = device.createCommandEncoder();
        for (const i of done) copy.copyBufferToBuffer(params, 4 * i * P, paramsRead, 4 * i * P, 4 * P);
        device.queue.submit([copy.finish()]);
        // Only the span of the finished networks (a map offset is a multiple of 8 bytes).
        const from = Math.floor((4 * done[0]! * P) / 8) * 8;
        const to = 4 * (done.at(-1)! + 1) * P;
        await paramsRead.mapAsync(GPUMapMode.READ, from, to - from);
        const weights = new Float32Array(paramsRead.getMappedRange(from, to - from).slice(0));
        paramsRead.unmap();
        const mse = new Float32Array(words.buffer);
        for (const i of done) {
          finished[i] = 1;
          remaining--;
          const at = i * P - from / 4;
          hooks.onResult(offset + i, weights.slice(at, at + P), mse[4 * i + 2]!, words[4 * i]!);
        }
      }
      this.check();
    } finally {
      for (const b of buffers) b.destroy();
    }
  }

  destroy(): void {
    this.gpu.destroy();
  }
}
