/**
 * A WebGPU device in Node, from the npm `webgpu` package (Dawn's N-API binding, prebuilt `dawn.node` per
 * platform inside the package; loaded with a dynamic import, so nothing loads it until a GPU is asked for).
 * Dawn drives Vulkan (Linux, Windows), Metal (macOS) or D3D12 (Windows).
 *
 * Without a GPU, Dawn can run on SwiftShader, the CPU Vulkan driver that Debian's `chromium` ships: with
 * `allowSoftware`, when VK_ICD_FILENAMES is not set and no hardware adapter is found, this points the
 * Vulkan loader at SwiftShader's manifest (/usr/lib/chromium/vk_swiftshader_icd.json) and asks again. The
 * Vulkan loader itself (libvulkan.so.1) must be installed (Debian: libvulkan1). A software adapter is
 * reported as such (`software: true`): it is correct but slow, for tests and for machines without a GPU.
 *
 * Errors are typed (GpuError) and say what is missing: the package, the Vulkan loader, an adapter.
 */
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LabError } from '../labError';

/** SwiftShader's Vulkan driver manifest as Debian's chromium package installs it. */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

export class GpuError extends LabError {
  override readonly name = 'GpuError';
  constructor(message: string) {
    super('gpu', message);
  }
}

export interface AdapterSummary {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  /** A CPU implementation (SwiftShader, or Dawn's fallback adapter): correct, slow. */
  readonly software: boolean;
}

export interface WebGpu {
  readonly device: GPUDevice;
  readonly adapter: AdapterSummary;
  /** Dawn's instance, held for as long as the device is used. */
  readonly instance: GPU;
  destroy(): void;
}

export interface OpenWebGpuOptions {
  /** Accept a software adapter (SwiftShader) when there is no hardware one. */
  readonly allowSoftware?: boolean;
}

interface DawnModule {
  create(flags: string[]): GPU;
  globals: Record<string, unknown>;
}

let dawn: Promise<DawnModule> | undefined;

/** The `webgpu` package, its GPU* globals (GPUBufferUsage, …) installed on globalThis once. */
function loadDawn(): Promise<DawnModule> {
  dawn ??= (import('webgpu') as Promise<DawnModule>).then(
    (m) => {
      for (const [name, value] of Object.entries(m.globals)) if (!(name in globalThis)) Object.assign(globalThis, { [name]: value });
      return m;
    },
    (e: unknown) => {
      dawn = undefined;
      throw new GpuError(`WebGPU is not available: the npm package "webgpu" could not be loaded (${(e as Error).message})`);
    },
  );
  return dawn;
}

function isSoftware(info: GPUAdapterInfo, fallback: boolean): boolean {
  return (
    fallback || /swiftshader|llvmpipe|lavapipe|software|microsoft basic render/i.test(`${info.vendor} ${info.architecture} ${info.device} ${info.description}`)
  );
}

/** Linux: the Vulkan drivers the loader would find (their manifests); none means no GPU driver is installed. */
function linuxVulkanDrivers(): string[] {
  return ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d', '/usr/local/share/vulkan/icd.d'].flatMap((dir) => {
    try {
      return readdirSync(dir).filter((f) => f.endsWith('.json'));
    } catch {
      return [];
    }
  });
}

/** Points the Vulkan loader at SwiftShader (read when Dawn next creates its instance, i.e. at requestAdapter). */
function useSwiftShader(): void {
  process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  if (!process.env.XDG_RUNTIME_DIR) {
    const runtime = join(tmpdir(), `wslab-xdg-${process.pid}`);
    mkdirSync(runtime, { recursive: true, mode: 0o700 });
    process.env.XDG_RUNTIME_DIR = runtime;
  }
}

async function requestAdapter(gpu: GPU): Promise<GPUAdapter | null> {
  return (await gpu.requestAdapter({ powerPreference: 'high-performance' })) ?? null;
}

/**
 * Whether a hardware adapter can exist here at all: on Linux, only with a Vulkan driver installed (its
 * manifest in the loader's folders, or VK_ICD_FILENAMES). Cheap: nothing is loaded.
 */
export function hardwareWebGpuPossible(): boolean {
  return process.platform !== 'linux' || Boolean(process.env.VK_ICD_FILENAMES) || linuxVulkanDrivers().length > 0;
}

/** The best adapter there is (hardware first), with the Dawn instance that owns it. */
async function findAdapter(options: OpenWebGpuOptions): Promise<{ instance: GPU; adapter: GPUAdapter; summary: AdapterSummary }> {
  if (!options.allowSoftware && !hardwareWebGpuPossible()) {
    throw new GpuError('WebGPU has no GPU here: no Vulkan driver is installed (no manifest in /usr/share/vulkan/icd.d, /etc/vulkan/icd.d)');
  }
  const { create } = await loadDawn();
  const swiftShader = options.allowSoftware === true && !process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD);
  // No Vulkan driver installed (Linux): go straight to SwiftShader rather than let Dawn warn about it first.
  if (swiftShader && process.platform === 'linux' && linuxVulkanDrivers().length === 0) useSwiftShader();
  // The GPU object owns Dawn's instance: it must outlive the device (a collected instance crashes Dawn).
  let gpu = create([]);
  let adapter = await requestAdapter(gpu);
  const software = (a: GPUAdapter) => isSoftware(a.info, (a as { isFallbackAdapter?: boolean }).isFallbackAdapter ?? false);
  if ((!adapter || software(adapter)) && swiftShader && !process.env.VK_ICD_FILENAMES) {
    useSwiftShader();
    const retry = create([]);
    const found = await requestAdapter(retry);
    if (found) {
      gpu = retry;
      adapter = found;
    }
  }
  if (!adapter) {
    const hint =
      process.platform === 'linux'
        ? ' (on Linux Dawn needs the Vulkan loader libvulkan.so.1 — Debian: apt install libvulkan1 — and a Vulkan driver; without a GPU, SwiftShader from the chromium package)'
        : '';
    throw new GpuError(`WebGPU found no adapter${hint}`);
  }
  const summary: AdapterSummary = {
    vendor: adapter.info.vendor,
    architecture: adapter.info.architecture,
    device: adapter.info.device,
    description: adapter.info.description,
    software: software(adapter),
  };
  if (summary.software && !options.allowSoftware)
    throw new GpuError(`WebGPU found only a software adapter (${describeAdapter(summary)}); allow it explicitly (slow) or use the CPU backends`);
  return { instance: gpu, adapter, summary };
}

/** Opens a WebGPU device on the best adapter there is (hardware first). */
export async function openWebGpu(options: OpenWebGpuOptions = {}): Promise<WebGpu> {
  const { instance, adapter, summary } = await findAdapter(options);
  const device = await adapter.requestDevice({
    requiredLimits: { maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize, maxBufferSize: adapter.limits.maxBufferSize },
  });
  return { device, adapter: summary, instance, destroy: () => device.destroy() };
}

/** The Dawn instance TensorFlow.js's WebGPU backend uses, kept alive for the process. */
let tfjsInstance: GPU | undefined;

/**
 * Makes `navigator.gpu` Dawn's (on the adapter openWebGpu would pick), for TensorFlow.js's WebGPU backend,
 * which asks navigator.gpu for its adapter: call before that backend is imported. Returns the adapter.
 */
export async function provideNavigatorGpu(options: OpenWebGpuOptions = {}): Promise<AdapterSummary> {
  const { instance, summary } = await findAdapter(options);
  tfjsInstance = instance;
  const navigator = (globalThis as { navigator?: object }).navigator;
  Object.defineProperty(globalThis, 'navigator', { value: { ...navigator, gpu: tfjsInstance }, configurable: true, writable: true });
  return summary;
}

/** "google swiftshader (SwiftShader driver 5.0.0, software)". */
export function describeAdapter(a: AdapterSummary): string {
  const name = [a.vendor, a.architecture].filter(Boolean).join(' ') || 'unknown adapter';
  const detail = [a.description, a.software ? 'software' : ''].filter(Boolean).join(', ');
  return detail ? `${name} (${detail})` : name;
}
