/**
 * The Slurm commands' cases for COMMAND_CASES (extension.host.ts), in the real extension host against fake
 * Slurm tools: a login host is set, and a fake `ssh` on PATH runs the remote command here (a login node on
 * a shared file system), reaching fake sbatch/squeue/sacct/scancel. The cases run in order: submit a
 * training run (listed under "Slurm jobs", polled from running to done), open its task's log, refuse to
 * merge a sweep, cancel it.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'mocha';
import * as vscode from 'vscode';
import { taskLogPath } from '../../../src/core/cluster/jobRecord';
import { labApi, workspaceRoot, type TreeNode } from './helpers';

export type CommandCase = { title: string; timeoutMs?: number; run: () => Promise<void> };

const JOB_ID = '4711';
let bin: string | undefined;
const savedPath = process.env.PATH;
const settings = () => vscode.workspace.getConfiguration('weightSpaceLab');

async function installFakeSlurm(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'wslab-fake-slurm-'));
  const tools: Record<string, string> = {
    // One file per call: the poller's squeue calls run beside the submit's and must not overwrite its record.
    ssh: 'printf "%s\\n" "$@" > "$d/ssh.$$.args"; eval "${@: -1}"',
    sbatch: `cat > "$d/sbatch.stdin"; echo ${JOB_ID}`,
    squeue: 'cat "$d/squeue.answer"',
    sacct: 'echo "Slurm accounting storage is disabled" >&2; exit 1',
    scancel: 'printf "%s\\n" "$@" > "$d/scancel.args"',
  };
  for (const [name, body] of Object.entries(tools)) {
    writeFileSync(join(dir, name), `#!/bin/bash\nd=${JSON.stringify(dir)}\n${body}\n`);
    chmodSync(join(dir, name), 0o755);
  }
  writeFileSync(join(dir, 'squeue.answer'), `${JOB_ID}|0|RUNNING|0:04|node7\n`);
  // The extension host and the workers it forks find the fake tools first.
  process.env.PATH = `${dir}:${savedPath}`;
  await settings().update('slurm.loginHost', 'fake-login', vscode.ConfigurationTarget.Workspace);
  await settings().update('slurm.pollSeconds', 2, vscode.ConfigurationTarget.Workspace);
  return dir;
}

/** Back to a workspace without Slurm: the suites after this one (e.g. the views') see no "Slurm jobs" group. */
async function removeFakeSlurm(): Promise<void> {
  if (!bin) return;
  process.env.PATH = savedPath;
  await settings().update('slurm.loginHost', undefined, vscode.ConfigurationTarget.Workspace);
  await settings().update('slurm.pollSeconds', undefined, vscode.ConfigurationTarget.Workspace);
  const root = workspaceRoot().fsPath;
  rmSync(join(root, 'slurm-small.wslab.json'), { force: true });
  rmSync(join(root, 'runs', 'slurm'), { recursive: true, force: true });
  rmSync(join(root, 'runs', 'slurm-small'), { recursive: true, force: true });
  rmSync(bin, { recursive: true, force: true });
  bin = undefined;
  await (await labApi()).experimentTree.refreshNow();
}

// Also when a case failed half-way.
after(removeFakeSlurm);

async function node(kind: 'slurmJob' | 'slurmTask'): Promise<TreeNode | undefined> {
  const api = await labApi();
  await api.experimentTree.refreshNow();
  return api.experimentTree.allNodes().find((n) => n.kind === kind && (kind === 'slurmJob' ? n.id.endsWith(`:${JOB_ID}`) : n.id.endsWith(`:${JOB_ID}:0`)));
}

/** Rescans until the job's node has a description matching `pattern`. */
async function waitForJob(pattern: RegExp, timeoutMs = 30_000): Promise<TreeNode> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await node('slurmJob');
    if (job && pattern.test(job.description ?? '')) return job;
    if (Date.now() > deadline) throw new Error(`timed out waiting for job ${JOB_ID} to show ${pattern} (it shows ${JSON.stringify(job?.description)})`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function fakeBin(): string {
  assert.ok(bin, 'the submit case runs first and installs the fake Slurm tools');
  return bin;
}

export const SLURM_CASES: Record<string, CommandCase[]> = {
  'weightSpaceLab.submitToSlurm': [
    {
      title: 'over a login host lists the job under "Slurm jobs" and polls it from running until it is done',
      timeoutMs: 180_000,
      run: async () => {
        bin = await installFakeSlurm();
        const root = workspaceRoot().fsPath;
        writeFileSync(join(root, 'slurm-small.wslab.json'), JSON.stringify({ name: 'slurm-small', dataset: 'data', optimizer: { epochs: 2 } }));
        const submitted = await vscode.commands.executeCommand<{ jobId?: string; out?: string; error?: string }>('weightSpaceLab.submitToSlurm', {
          what: 'train',
          config: 'slurm-small.wslab.json',
        });
        assert.equal(submitted?.jobId, JOB_ID, JSON.stringify(submitted));
        const runs = join(root, 'runs');
        assert.equal(submitted.out, runs);
        const sshCalls = readdirSync(bin)
          .filter((f) => /^ssh\.\d+\.args$/.test(f))
          .map((f) => readFileSync(join(bin!, f), 'utf8').trim().split('\n'));
        const submit = sshCalls.find((args) => /\bsbatch\b/.test(args.at(-1) ?? ''));
        assert.ok(submit, `one ssh call ran sbatch (calls: ${JSON.stringify(sshCalls)})`);
        assert.deepEqual(submit.slice(0, 4), ['-o', 'BatchMode=yes', '--', 'fake-login']);
        assert.equal(readFileSync(join(bin, 'sbatch.stdin'), 'utf8'), readFileSync(join(runs, 'slurm', 'sweep.sbatch'), 'utf8'));
        assert.equal((await waitForJob(/^running · 0\/1 tasks · job 4711$/)).contextValue, 'slurmJob.sweep.running');

        // The task's run finishes and Slurm says COMPLETED: the next poll (2 s) shows the job done.
        const run = join(runs, 'slurm-small');
        mkdirSync(run, { recursive: true });
        writeFileSync(join(run, 'config.json'), JSON.stringify({ name: 'slurm-small' }));
        writeFileSync(join(run, 'status'), JSON.stringify({ state: 'done', updated: new Date().toISOString(), pid: 999_999_999 }));
        writeFileSync(join(bin, 'squeue.answer'), `${JOB_ID}|0|COMPLETED|0:09|node7\n`);
        assert.equal((await waitForJob(/^done · 1\/1 tasks · job 4711$/)).contextValue, 'slurmJob.sweep.done');
      },
    },
  ],
  'weightSpaceLab.showSlurmLog': [
    {
      title: "on a task opens that task's Slurm log",
      run: async () => {
        fakeBin();
        const record = JSON.parse(readFileSync(join(workspaceRoot().fsPath, 'runs', 'slurm', 'job.json'), 'utf8')) as { log: string; name: string };
        const log = taskLogPath(record.log, JOB_ID, 0, record.name);
        mkdirSync(join(log, '..'), { recursive: true });
        writeFileSync(log, 'epoch 1/2 · loss 2.30\n');
        const task = await node('slurmTask');
        assert.ok(task, 'the job has a task node');
        const opened = await vscode.commands.executeCommand<string>('weightSpaceLab.showSlurmLog', task);
        assert.equal(opened, log);
        assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, log);
      },
    },
  ],
  'weightSpaceLab.mergeSlurmDataset': [
    {
      title: 'refuses a training sweep with a message (there are no shards to merge)',
      run: async () => {
        fakeBin();
        const job = await node('slurmJob');
        const result = await vscode.commands.executeCommand<{ error?: string }>('weightSpaceLab.mergeSlurmDataset', job);
        assert.match(result?.error ?? '', /is a training sweep: there is nothing to merge/);
      },
    },
  ],
  'weightSpaceLab.cancelSlurmJob': [
    {
      title: 'runs scancel JOBID on the login host once confirmed',
      run: async () => {
        const dir = fakeBin();
        const job = await node('slurmJob');
        const result = await vscode.commands.executeCommand<{ cancelled?: string; error?: string }>('weightSpaceLab.cancelSlurmJob', {
          ...job,
          confirmed: true,
        });
        assert.equal(result?.cancelled, JOB_ID, JSON.stringify(result));
        assert.deepEqual(readFileSync(join(dir, 'scancel.args'), 'utf8').trim().split('\n'), [JOB_ID]);
        await removeFakeSlurm();
        assert.equal(await node('slurmJob'), undefined, 'the job is gone from the tree once its record is');
      },
    },
  ],
};
