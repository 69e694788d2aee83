/**
 * WebGPU in Node through npm `webgpu` (Dawn): on this machine (no GPU) on SwiftShader, the CPU Vulkan driver
 * of Debian's chromium (CI installs chromium and the Vulkan loader libvulkan1). `wslab doctor` opens a device,
 * runs a WGSL compute shader and checks what it reads back.
 * Run through the built CLI in a child process, as a user runs it. (Fitting on WebGPU is tested in
 * test/inr/webgpu.test.ts.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

test('wslab doctor reports every backend; WebGPU opens an adapter (SwiftShader here) and its compute check passes', () => {
  const r = spawnSync(process.execPath, ['dist/cli.js', 'doctor', '--json'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const lines = JSON.parse(r.stdout) as { backend: string; available: boolean; detail: string }[];
  assert.deepEqual(
    lines.map((l) => l.backend),
    ['machine', 'wasm (INR fitting)', 'fused (training)', 'webgpu', 'tfjs-node-gpu'],
  );
  const webgpu = lines.find((l) => l.backend === 'webgpu')!;
  assert.equal(webgpu.available, true, webgpu.detail);
  const error = Number(/max error (\S+),/.exec(webgpu.detail)?.[1]);
  assert.ok(error < 1e-3, webgpu.detail);
  // A software adapter is named as such, and auto does not pick it.
  if (/swiftshader/i.test(webgpu.detail)) assert.match(webgpu.detail, /software\); compute check passed .*; software: auto will not pick it$/);
});
