/**
 * Background tasks in the real extension host: a worker that crashes is reported with its error and the
 * task resumes; the extension host's event loop stays responsive while a task runs; the status bar shows
 * the running task; activation is measured.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { labApi, waitFor, workspaceRoot, type LabApi, type TaskInfo } from './helpers';

describe('tasks', function () {
  this.timeout(240_000);
  let api: LabApi;
  before(async () => {
    api = await labApi();
  });

  it('activation takes under 50 ms (loading the bundle plus activate(), measured by the extension)', () => {
    const { loadMs, activateMs, totalMs, cpuMs } = api.activation;
    const steps = Object.entries(api.activation.steps)
      .map(([k, v]) => `${k} ${v.toFixed(1)}`)
      .join(', ');
    console.log(
      `activation: ${totalMs.toFixed(1)} ms wall, ${cpuMs.toFixed(1)} ms CPU (loading the bundle ${loadMs.toFixed(1)} ms, activate() ${activateMs.toFixed(1)} ms: ${steps})`,
    );
    // Wall time includes waiting for a core on a busy machine; the CPU time is the work itself.
    assert.ok(Math.min(totalMs, cpuMs) < 50, `activation took ${totalMs.toFixed(1)} ms (${cpuMs.toFixed(1)} ms CPU)`);
  });

  it('a crashed worker fails the task with its error; Resume finishes it, keeping the finished shards', async () => {
    const out = join(workspaceRoot().fsPath, 'datasets', 'crash-me');
    const task = await vscode.commands.executeCommand<TaskInfo>('weightSpaceLab.generateDataset', {
      dataset: 'mnist',
      limit: 48,
      steps: 300,
      targetPsnr: null,
      shardSize: 8,
      out: 'datasets/crash-me',
    });
    const shards = join(out, 'shards');
    await waitFor('a finished shard', () => existsSync(shards) && readdirSync(shards).filter((f) => f.endsWith('.safetensors')).length > 0, 120_000);
    process.kill(api.tasks.get(task.id)!.pid!, 'SIGKILL');
    const crashed = await api.tasks.whenSettled(task.id);
    assert.equal(crashed.state, 'failed');
    assert.equal(crashed.crashed, true);
    assert.match(crashed.error!.message, /worker process \(pid \d+\) was killed by SIGKILL before the task finished/);
    const resumed = await vscode.commands.executeCommand<TaskInfo>('weightSpaceLab.resume', task.id);
    const end = await api.tasks.whenSettled(resumed.id);
    assert.equal(end.state, 'done', end.error?.message);
    assert.match(end.detail ?? '', /48 INRs planned; [1-9]\d* already done/);
  });

  it('while a task runs the extension host never blocks for 50 ms, and the status bar shows the task', async () => {
    // A timer every 5 ms; for each late tick, how long it was late (wall) and how much CPU this process
    // used meanwhile. On a busy machine the OS may not run the host for a while (wall ≫ CPU): that is not
    // blocking. The host blocking itself shows as CPU time: min(wall, CPU) bounds what its own code held.
    const histogram = monitorEventLoopDelay({ resolution: 10 });
    const stalls: { wallMs: number; cpuMs: number }[] = [];
    let last = performance.now();
    let lastCpu = process.cpuUsage();
    const timer = setInterval(() => {
      const now = performance.now();
      const cpu = process.cpuUsage(lastCpu);
      stalls.push({ wallMs: now - last - 5, cpuMs: (cpu.user + cpu.system) / 1000 });
      last = now;
      lastCpu = process.cpuUsage();
    }, 5);
    const task = await vscode.commands.executeCommand<TaskInfo>('weightSpaceLab.generateDataset', {
      dataset: 'mnist',
      limit: 64,
      steps: 300,
      targetPsnr: null,
      shardSize: 8,
      out: 'datasets/responsive',
    });
    histogram.enable();
    await waitFor('the status bar to show the task', () => /Generate responsive: \d+%/.test(api.status.text), 120_000);
    const end = await api.tasks.whenSettled(task.id);
    clearInterval(timer);
    histogram.disable();
    assert.equal(end.state, 'done', end.error?.message);
    const ms = (ns: number) => ns / 1e6;
    const worstWall = stalls.reduce((a, b) => (b.wallMs > a.wallMs ? b : a));
    const blocking = Math.max(...stalls.map((g) => Math.min(g.wallMs, g.cpuMs)));
    console.log(
      `extension host while generating: event-loop delay p50 ${ms(histogram.percentile(50)).toFixed(1)} ms, p99 ${ms(histogram.percentile(99)).toFixed(1)} ms, max ${ms(histogram.max).toFixed(1)} ms (10 ms resolution); ` +
        `longest late tick ${worstWall.wallMs.toFixed(1)} ms with ${worstWall.cpuMs.toFixed(1)} ms CPU; longest CPU-bound stall ${blocking.toFixed(1)} ms over ${stalls.length} ticks`,
    );
    assert.ok(blocking < 50, `the extension host was busy for ${blocking.toFixed(1)} ms at a stretch`);
    await waitFor('the status bar to go back to the backend', () => /^\$\(chip\) Compute: CPU$/.test(api.status.text));
  });
});
