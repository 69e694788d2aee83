/**
 * `wslab doctor`: what this machine offers each compute path and which one `auto` picks, with the reason —
 * the WebAssembly kernels (SIMD flavour), the fused training threads, WebGPU (the adapter, checked with a
 * small compute shader; `auto` fits INRs on a hardware adapter, never on a software one such as SwiftShader,
 * correct but slow), and the optional tfjs-node-gpu.
 */
import { availableParallelism, cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { trainKernelModule } from '../../core/fused/trainKernel';
import { describeAdapter, GpuError, openWebGpu } from '../../core/gpu/webgpuDevice';
import { webgpuSelfTest } from '../../core/gpu/webgpuSelfTest';
import { tfjsAvailable } from '../../core/inr/tfjsBackend';
import { loadKernelModule } from '../../core/inr/wasmKernel';
import { fusedThreads } from '../../core/train/trainEngine';
import type { CommandIO } from '../command';
import type { CliOptions } from '../optionHelp';

export const doctorUsage = 'wslab doctor [--json]   what each compute backend would use on this machine, and why';

export const DOCTOR_OPTIONS = { json: { type: 'boolean', default: false, help: 'Print the backends as JSON.' } } satisfies CliOptions;

export interface DoctorLine {
  readonly backend: string;
  readonly available: boolean;
  readonly detail: string;
}

export async function doctorCommand(args: readonly string[], io: CommandIO): Promise<number> {
  const { values } = parseArgs({ args: [...args], options: DOCTOR_OPTIONS });
  const lines: DoctorLine[] = [];
  lines.push({
    backend: 'machine',
    available: true,
    detail: `${availableParallelism()} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.versions.node}, ${process.platform}-${process.arch}`,
  });
  try {
    lines.push({ backend: 'wasm (INR fitting)', available: true, detail: `${loadKernelModule().flavour} kernel; auto's choice for generation without a GPU` });
    lines.push({
      backend: 'fused (training)',
      available: true,
      detail: `${trainKernelModule().flavour} kernel on ${fusedThreads(0)} thread(s); auto's choice for dwsnet and nfn-np`,
    });
  } catch (e) {
    lines.push({ backend: 'wasm', available: false, detail: (e as Error).message });
  }
  try {
    const gpu = await openWebGpu({ allowSoftware: true });
    try {
      const check = await webgpuSelfTest(gpu);
      const ok = check.maxError < 1e-3;
      lines.push({
        backend: 'webgpu',
        available: ok,
        detail: `${describeAdapter(gpu.adapter)}; compute check ${ok ? 'passed' : 'FAILED'} (sin of ${check.values} values, max error ${check.maxError.toExponential(1)}, ${check.milliseconds.toFixed(0)} ms)${gpu.adapter.software ? '; software: auto will not pick it' : "; auto's choice for generation (INR fitting)"}`,
      });
    } finally {
      gpu.destroy();
    }
  } catch (e) {
    if (!(e instanceof GpuError)) throw e;
    lines.push({ backend: 'webgpu', available: false, detail: e.message });
  }
  const tfjs = tfjsAvailable();
  lines.push({
    backend: 'tfjs-node-gpu',
    available: tfjs,
    detail: tfjs ? 'installed (CUDA TensorFlow)' : 'not installed (optional: needs CUDA 11.2 + cuDNN 8.1)',
  });
  if (values.json) io.stdout(JSON.stringify(lines, null, 2));
  else for (const l of lines) io.stdout(`${l.available ? '✓' : '✗'} ${l.backend.padEnd(20)} ${l.detail}`);
  return 0;
}
