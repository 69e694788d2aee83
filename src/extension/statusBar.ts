/**
 * The status bar item: where the lab computes ("Compute: CPU", "Compute: GPU", as set, and as the last
 * worker reported it) when idle, with the backend's name and device in the tooltip; the running task with
 * its percentage and ETA while one runs (and how many more are queued). A click shows the log.
 */
import * as vscode from 'vscode';
import { taskSummary } from './tasks/progressText';
import { isFinal, type TaskInfo } from './tasks/taskManager';

/** A backend in a user's words: the processor it runs on and how, e.g. "CPU" and "WebAssembly, relaxed SIMD". */
export function describeBackend(backend: string): { readonly where: string; readonly how: string } {
  if (backend === 'auto') return { where: 'auto', how: 'the fastest backend that works on this machine, chosen per task' };
  if (backend === 'webgpu') return { where: 'GPU', how: 'WebGPU' };
  if (backend === 'tfjs-node-gpu') return { where: 'GPU', how: 'TensorFlow with CUDA' };
  if (backend === 'wasm-relaxed-simd') return { where: 'CPU', how: 'WebAssembly, relaxed SIMD' };
  if (backend === 'wasm-simd') return { where: 'CPU', how: 'WebAssembly, SIMD' };
  if (backend === 'wasm') return { where: 'CPU', how: 'WebAssembly' };
  if (backend === 'reference') return { where: 'CPU', how: 'the TensorFlow.js reference (slow)' };
  // Training engines name themselves with details: 'fused (wasm-relaxed-simd, 2 threads)', 'wasm', 'tensorflow (webgpu)'.
  if (/gpu/i.test(backend)) return { where: 'GPU', how: backend };
  if (/^(fused|wasm|cpu|tensorflow)\b/.test(backend)) return { where: 'CPU', how: backend };
  return { where: backend, how: backend };
}

export class LabStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  /** The backend the last worker reported, e.g. "wasm-relaxed-simd", and its device (a GPU adapter) if it named one. */
  private reported: { readonly backend: string; readonly device: string | undefined } | undefined;

  constructor(private readonly backendSetting: () => string) {
    this.item = vscode.window.createStatusBarItem('weightSpaceLab.status', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'Weight Space Lab';
    this.item.command = 'weightSpaceLab.showLog';
    this.update([]);
    this.item.show();
  }

  /** The text shown now (tests read it). */
  get text(): string {
    return this.item.text;
  }

  update(tasks: readonly TaskInfo[]): void {
    const last = [...tasks].reverse().find((t) => t.backend && t.backend !== 'none' && t.backend !== 'cpu');
    if (last) this.reported = { backend: last.backend!, device: last.device };
    const setting = this.backendSetting();
    const backend = this.reported?.backend ?? setting;
    const described = describeBackend(backend);
    const active = tasks.filter((t) => !isFinal(t.state));
    const running = active.filter((t) => t.state !== 'queued');
    const queued = active.length - running.length;
    if (running.length > 0) {
      const more = running.length - 1 + queued;
      this.item.text = `$(sync~spin) ${taskSummary(running[0]!)}${more > 0 ? ` (+${more})` : ''}`;
    } else {
      this.item.text = `$(chip) Compute: ${described.where}`;
    }
    const lines = [
      `Weight Space Lab computes on: ${described.where} (${described.how})`,
      `Weight Space Lab — compute backend: ${backend}${this.reported?.device ? ` on ${this.reported.device}` : ''}${this.reported && setting !== this.reported.backend ? ` (setting: ${setting})` : ''}`,
      ...active.map((t) => `• ${taskSummary(t)}`),
      'Click to show the log.',
    ];
    this.item.tooltip = lines.join('\n');
  }

  dispose(): void {
    this.item.dispose();
  }
}
