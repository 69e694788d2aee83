/**
 * "Submit to Slurm…" in the real extension host, against fake Slurm tools: a login host is set, and a
 * fake `ssh` on PATH runs the remote command here (a login node on a shared file system), reaching fake
 * sbatch/squeue/sacct. The submitted training run shows under "Slurm jobs" and is polled until it is done.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { labApi, workspaceRoot, type LabApi, type TreeNode } from './helpers';

describe('slurm', function () {
  this.timeout(180_000);
  let api: LabApi;
  const bin = mkdtempSync(join(tmpdir(), 'wslab-fake-slurm-'));
  const savedPath = process.env.PATH;
  const settings = () => vscode.workspace.getConfiguration('weightSpaceLab');

  before(async () => {
    api = await labApi();
    const tools: Record<string, string> = {
      ssh: 'printf "%s\\n" "$@" > "$d/ssh.args"; eval "${@: -1}"',
      sbatch: 'cat > "$d/sbatch.stdin"; echo 4711',
      squeue: 'cat "$d/squeue.answer"',
      sacct: 'echo "Slurm accounting storage is disabled" >&2; exit 1',
    };
    for (const [name, body] of Object.entries(tools)) {
      writeFileSync(join(bin, name), `#!/bin/bash\nd=${JSON.stringify(bin)}\n${body}\n`);
      chmodSync(join(bin, name), 0o755);
    }
    writeFileSync(join(bin, 'squeue.answer'), '4711|0|RUNNING|0:04|node7\n');
    // The extension host and the workers it forks find the fake tools first.
    process.env.PATH = `${bin}:${savedPath}`;
    await settings().update('slurm.loginHost', 'fake-login', vscode.ConfigurationTarget.Workspace);
    await settings().update('slurm.pollSeconds', 2, vscode.ConfigurationTarget.Workspace);
  });

  after(async () => {
    process.env.PATH = savedPath;
    await settings().update('slurm.loginHost', undefined, vscode.ConfigurationTarget.Workspace);
    await settings().update('slurm.pollSeconds', undefined, vscode.ConfigurationTarget.Workspace);
    rmSync(join(workspaceRoot().fsPath, 'slurm-small.wslab.json'), { force: true });
    rmSync(join(workspaceRoot().fsPath, 'runs', 'slurm'), { recursive: true, force: true });
    rmSync(join(workspaceRoot().fsPath, 'runs', 'slurm-small'), { recursive: true, force: true });
    rmSync(bin, { recursive: true, force: true });
  });

  /** Rescans until the job's node has a description matching `pattern`. */
  async function waitForJob(pattern: RegExp, timeoutMs = 30_000): Promise<TreeNode> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const node = await jobNode();
      if (node && pattern.test(node.description ?? '')) return node;
      if (Date.now() > deadline) throw new Error(`timed out waiting for job 4711 to show ${pattern} (it shows ${JSON.stringify(node?.description)})`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  async function jobNode(): Promise<TreeNode | undefined> {
    await api.experimentTree.refreshNow();
    return api.experimentTree.allNodes().find((n) => n.kind === 'slurmJob' && n.id.endsWith(':4711'));
  }

  it('Submit to Slurm… over a login host lists the job under "Slurm jobs" and polls it until it is done', async () => {
    const root = workspaceRoot().fsPath;
    writeFileSync(join(root, 'slurm-small.wslab.json'), JSON.stringify({ name: 'slurm-small', dataset: 'data', optimizer: { epochs: 2 } }));
    const submitted = await vscode.commands.executeCommand<{ jobId?: string; out?: string; error?: string }>('weightSpaceLab.submitToSlurm', { what: 'train', config: 'slurm-small.wslab.json' });
    assert.equal(submitted?.jobId, '4711', JSON.stringify(submitted));
    const runs = join(root, 'runs');
    assert.equal(submitted.out, runs);
    assert.deepEqual(readFileSync(join(bin, 'ssh.args'), 'utf8').trim().split('\n').slice(0, 4), ['-o', 'BatchMode=yes', '--', 'fake-login']);
    assert.equal(readFileSync(join(bin, 'sbatch.stdin'), 'utf8'), readFileSync(join(runs, 'slurm', 'sweep.sbatch'), 'utf8'));

    assert.equal((await waitForJob(/^running · 0\/1 tasks · job 4711$/)).contextValue, 'slurmJob.sweep.running');

    // The task's run finishes and Slurm says COMPLETED: the next poll (2 s) shows the job done.
    const run = join(runs, 'slurm-small');
    mkdirSync(run, { recursive: true });
    writeFileSync(join(run, 'config.json'), JSON.stringify({ name: 'slurm-small' }));
    writeFileSync(join(run, 'status'), JSON.stringify({ state: 'done', updated: new Date().toISOString(), pid: 999_999_999 }));
    writeFileSync(join(bin, 'squeue.answer'), '4711|0|COMPLETED|0:09|node7\n');
    assert.equal((await waitForJob(/^done · 1\/1 tasks · job 4711$/)).contextValue, 'slurmJob.sweep.done');
  });
});
