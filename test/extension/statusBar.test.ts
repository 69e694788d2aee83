/**
 * The status bar item (src/extension/statusBar.ts) on a stand-in vscode module: the backend as set until a
 * worker reports one; then the reported backend, and in the tooltip the device it named (a GPU adapter).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createFakeVscode, withFakeVscode } from '../helpers/fakeVscode';
import type { TaskInfo } from '../../src/extension/tasks/taskManager';

function finishedTask(backend: string, device: string | undefined): TaskInfo {
  return {
    id: 1,
    title: 'Generate mnist',
    job: { kind: 'probe', behaviour: 'succeed', ms: 0 },
    target: undefined,
    state: 'done',
    backend,
    device,
    detail: undefined,
    progress: undefined,
    queuedAt: 0,
    startedAt: 0,
    endedAt: 1,
    result: undefined,
    error: undefined,
    crashed: false,
    resumes: undefined,
  } as unknown as TaskInfo;
}

test('the status bar shows the backend as set, then the one a worker reported with its device in the tooltip', () => {
  const fake = createFakeVscode();
  withFakeVscode(fake, () => {
    const { LabStatusBar } = require('../../src/extension/statusBar') as typeof import('../../src/extension/statusBar');
    const bar = new LabStatusBar(() => 'auto');
    const item = fake.statusBarItems.at(-1)!;
    assert.equal(bar.text, '$(chip) Compute: auto');
    assert.match(item.tooltip ?? '', /compute backend: auto\n/);
    bar.update([finishedTask('webgpu', 'nvidia ampere (NVIDIA RTX A4000)')]);
    assert.equal(bar.text, '$(chip) Compute: GPU');
    assert.match(item.tooltip ?? '', /^Weight Space Lab computes on: GPU \(WebGPU\)$/m);
    assert.match(item.tooltip ?? '', /^Weight Space Lab — compute backend: webgpu on nvidia ampere \(NVIDIA RTX A4000\) \(setting: auto\)$/m);
    bar.update([finishedTask('wasm-relaxed-simd', undefined)]);
    assert.match(item.tooltip ?? '', /^Weight Space Lab — compute backend: wasm-relaxed-simd \(setting: auto\)$/m);
    assert.equal(bar.text, '$(chip) Compute: CPU', 'the chip names the processor, not the backend’s code name');
    assert.match(item.tooltip ?? '', /^Weight Space Lab computes on: CPU \(WebAssembly, relaxed SIMD\)$/m);
    // A training task names its engine with details.
    bar.update([finishedTask('fused (wasm-relaxed-simd, 2 threads)', undefined)]);
    assert.equal(bar.text, '$(chip) Compute: CPU');
    assert.match(item.tooltip ?? '', /^Weight Space Lab computes on: CPU \(fused \(wasm-relaxed-simd, 2 threads\)\)$/m);
    bar.dispose();
  });
});
