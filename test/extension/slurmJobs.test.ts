// The Slurm jobs of the Experiments view without VS Code: job records found in a workspace, polled
// through core (recordStatus with fake squeue/sacct on PATH) every pollMs while a job is active and no
// more once none is, and turned into the "Slurm jobs" group of the tree.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JOB_RECORD_VERSION, writeJobRecord, type JobRecord } from '../../src/core/cluster/jobRecord';
import { recordStatus } from '../../src/core/cluster/recordStatus';
import { execTool } from '../../src/core/cluster/runTool';
import { findWorkspaceJobs } from '../../src/core/cluster/workspaceJobs';
import { writeJson, writeStatus } from '../../src/core/train/runFolder';
import { scanExperiments } from '../../src/core/workspace/experimentScan';
import { buildExperimentTree, flattenTree } from '../../src/extension/tree/experimentModel';
import { RESTRICTED_MESSAGE, SlurmJobs, type SlurmJobsSources } from '../../src/extension/tree/slurmJobs';
import { slurmJobNode, slurmTaskLog } from '../../src/extension/tree/slurmJobNodes';

const made: string[] = [];
after(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
function tmp(name: string): string {
  made.push(mkdtempSync(join(tmpdir(), `wslab-ext-jobs-${name}-`)));
  return made.at(-1)!;
}

// squeue answers FAKE/squeue.answer and counts its calls; sacct has no accounting.
const FAKE = tmp('bin');
const tools: Record<string, string> = {
  squeue: 'echo x >> "$d/squeue.calls"; cat "$d/squeue.answer"',
  sacct: 'echo "Slurm accounting storage is disabled" >&2; exit 1',
};
for (const [name, body] of Object.entries(tools)) {
  writeFileSync(join(FAKE, name), `#!/bin/bash\nd=${JSON.stringify(FAKE)}\n${body}\n`);
  chmodSync(join(FAKE, name), 0o755);
}
process.env.PATH = `${FAKE}:${process.env.PATH}`;
const squeueCalls = () => readFileSync(join(FAKE, 'squeue.calls'), 'utf8').split('\n').filter(Boolean).length;
function answer(text: string) {
  writeFileSync(join(FAKE, 'squeue.answer'), text);
  writeFileSync(join(FAKE, 'squeue.calls'), '');
}

/** A workspace with a submitted 2-run sweep (job 31) in runs/ and an unsubmitted script in a dataset. */
/** A run folder in the given state, as a sweep task leaves it. */
async function runState(runs: string, name: string, state: 'running' | 'done'): Promise<void> {
  await writeJson(join(runs, name), 'config.json', { name });
  await writeStatus(join(runs, name), state);
}

async function workspace(): Promise<{ root: string; record: JobRecord }> {
  const root = tmp('ws');
  const runs = join(root, 'runs');
  const record: JobRecord = {
    version: JOB_RECORD_VERSION,
    kind: 'sweep',
    jobId: '31',
    name: 'wslab-sweep-small',
    tasks: 2,
    out: runs,
    script: join(runs, 'slurm', 'sweep.sbatch'),
    log: join(runs, 'slurm', 'logs', 'sweep-%A_%a.log'),
    submitted: '2026-01-01T00:00:00.000Z',
    runs: ['small-lr1', 'small-lr2'],
  };
  await writeJobRecord(record);
  const dataset = join(root, 'datasets', 'd');
  await writeJobRecord({ ...record, kind: 'generate', jobId: null, name: 'wslab-gen-d', out: dataset, runs: undefined });
  return { root, record };
}

const until = async (what: string, ok: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

function sources(extra: Partial<SlurmJobsSources> = {}): SlurmJobsSources {
  return { status: (r) => recordStatus(r, execTool), pollMs: () => 40, enabled: () => true, ...extra };
}

test('submitted job records are found; unsubmitted ones are not', async () => {
  const { root, record } = await workspace();
  const found = await findWorkspaceJobs(root, { datasetsFolder: 'datasets', runsFolder: 'runs' });
  assert.deepEqual(found, [{ path: join(record.out, 'slurm', 'job.json'), record }]);
  writeFileSync(join(record.out, 'slurm', 'job.json'), '{ broken');
  const broken = await findWorkspaceJobs(root, { datasetsFolder: 'datasets', runsFolder: 'runs' });
  assert.equal(broken.length, 1);
  assert.match((broken[0] as { error: string }).error, /job\.json: not valid JSON/);
});

test('an active job is polled every pollMs until it ends, then polling stops', async () => {
  const { root, record } = await workspace();
  answer('31|0|RUNNING|0:05|node1\n31|1|PENDING|0:00|(Resources)\n');
  let changes = 0;
  const jobs = new SlurmJobs(sources(), () => changes++);
  await jobs.update(await findWorkspaceJobs(root, { datasetsFolder: 'datasets', runsFolder: 'runs' }));
  const first = jobs.list()[0]!;
  assert.equal(first.status?.active, true);
  assert.deepEqual(
    first.status?.tasks.map((t) => [t.task, t.phase, t.run?.name, t.run?.state]),
    [
      [0, 'running', 'small-lr1', 'missing'],
      [1, 'pending', 'small-lr2', 'missing'],
    ],
  );
  assert.equal(jobs.polling, true);
  await until('two more polls', () => squeueCalls() >= 3);

  // Both runs finish: the next poll sees it, and no poll follows.
  for (const name of record.runs!) await runState(record.out, name, 'done');
  answer('31|0|COMPLETED|0:09|node1\n31|1|COMPLETED|0:08|node2\n');
  await until('the job to end', () => jobs.list()[0]!.status?.active === false);
  assert.equal(jobs.polling, false);
  assert.equal(jobs.list()[0]!.status?.done, true);
  const calls = squeueCalls();
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(squeueCalls(), calls, 'no poll after the job ended');
  assert.ok(changes >= 3);
  jobs.dispose();
});

test('a failing poll keeps the last status and says why; in Restricted Mode nothing is run', async () => {
  const { root } = await workspace();
  answer('31|0|RUNNING|0:05|node1\n31|1|RUNNING|0:01|node2\n');
  let fail = false;
  const jobs = new SlurmJobs(
    sources({ status: (r) => (fail ? Promise.reject(new Error('ssh: connect to host login1 port 22: Connection refused')) : recordStatus(r, execTool)) }),
    () => undefined,
  );
  const found = await findWorkspaceJobs(root, { datasetsFolder: 'datasets', runsFolder: 'runs' });
  await jobs.update(found);
  fail = true;
  await jobs.pollNow();
  const view = jobs.list()[0]!;
  assert.equal(view.status?.counts.running, 2, 'the last status is kept');
  assert.match(view.error!, /Connection refused/);
  assert.equal(jobs.polling, true, 'still active as far as we know: polling goes on');
  jobs.dispose();

  answer('31|0|RUNNING|0:05|node1\n');
  const restricted = new SlurmJobs(sources({ enabled: () => false }), () => undefined);
  await restricted.update(found);
  assert.equal(squeueCalls(), 0);
  assert.equal(restricted.list()[0]!.error, RESTRICTED_MESSAGE);
  assert.equal(restricted.polling, false);
});

test('the tree: a "Slurm jobs" group with each job\'s state and tasks done, tasks as children opening their logs', async () => {
  const { root, record } = await workspace();
  await runState(record.out, 'small-lr1', 'done');
  answer('31|0|COMPLETED|0:09|node1\n31|1|RUNNING|0:03|node2\n');
  const jobs = new SlurmJobs(sources(), () => undefined);
  await jobs.update(await findWorkspaceJobs(root, { datasetsFolder: 'datasets', runsFolder: 'runs' }));
  const scan = await scanExperiments(root, { datasetsFolder: 'datasets', runsFolder: 'runs' });
  const nodes = buildExperimentTree(scan, [], jobs.list());
  const group = nodes.at(-1)!;
  assert.deepEqual([group.label, group.description, group.contextValue], ['Slurm jobs', '1 · 1 active', 'group.slurm']);
  const job = group.children![0]!;
  assert.deepEqual(
    [job.label, job.description, job.contextValue, job.icon.id],
    ['wslab-sweep-small', 'running · 1/2 tasks · job 31', 'slurmJob.sweep.running', 'sync~spin'],
  );
  assert.equal(job.open, record.script);
  assert.deepEqual(
    job.children!.map((t) => [t.label, t.description, t.contextValue]),
    [
      ['task 0', 'COMPLETED · 0:09 · node1 · small-lr1: done', 'slurmTask.completed'],
      ['task 1', 'RUNNING · 0:03 · node2 · small-lr2: missing', 'slurmTask.running'],
    ],
  );
  assert.equal(job.children![1]!.open, join(record.out, 'slurm', 'logs', 'sweep-31_1.log'));
  assert.equal(slurmTaskLog(jobs.list()[0]!, 1), job.children![1]!.open);
  // Unique ids, so VS Code keeps expansion state.
  const ids = flattenTree(nodes).map((n) => n.id);
  assert.equal(new Set(ids).size, ids.length);
  // Only Slurm jobs: the tree still shows, with its groups.
  assert.ok(buildExperimentTree({ ...scan, configs: [], datasets: [], runs: [] }, [], jobs.list()).length > 0);
  assert.equal(
    buildExperimentTree(scan, [], []).some((n) => n.id === 'group:slurm'),
    false,
  );
  jobs.dispose();
});

test('job states: pending, done, failed, a generation done (merge the shards) and merged, never answered', () => {
  const record: JobRecord = {
    version: 1,
    kind: 'generate',
    jobId: '9',
    name: 'wslab-gen-d',
    tasks: 2,
    out: '/w/datasets/d',
    script: '/w/datasets/d/slurm/generate.sbatch',
    log: '/w/datasets/d/slurm/logs/generate-%A_%a.log',
    submitted: null,
  };
  const task = (i: number, phase: string, done: boolean) => ({
    task: i,
    state: phase.toUpperCase(),
    elapsed: '',
    reason: '',
    exitCode: '',
    phase: phase as never,
    shards: [i],
    finished: done ? [i] : [],
  });
  const status = (tasks: ReturnType<typeof task>[], active: boolean, done: boolean) => ({
    jobId: '9',
    source: 'squeue' as const,
    tasks,
    counts: {},
    active,
    done,
    problems: [],
  });
  const node = (s: ReturnType<typeof status> | undefined, merged = false, error?: string) =>
    slurmJobNode({ record, ...(s ? { status: s } : {}), ...(error ? { error } : {}) }, merged);
  const pending = node(status([task(0, 'pending', false), task(1, 'pending', false)], true, false));
  assert.deepEqual([pending.description, pending.contextValue, pending.icon.id], ['pending · 0/2 tasks · job 9', 'slurmJob.generate.pending', 'watch']);
  const done = node(status([task(0, 'completed', true), task(1, 'gone', true)], false, true));
  assert.deepEqual([done.description, done.contextValue], ['done · merge the shards · 2/2 tasks · job 9', 'slurmJob.generate.done']);
  assert.equal(node(status([task(0, 'completed', true), task(1, 'gone', true)], false, true), true).contextValue, 'slurmJob.generate.merged');
  const failed = node(status([task(0, 'completed', true), task(1, 'failed', false)], false, false));
  assert.deepEqual([failed.description, failed.contextValue, failed.icon.id], ['failed · 1/2 tasks · job 9', 'slurmJob.generate.failed', 'error']);
  const unknown = node(undefined, false, 'squeue: not found on PATH');
  assert.deepEqual([unknown.description, unknown.contextValue, unknown.icon.id], ['unknown · 2 tasks · job 9', 'slurmJob.generate.unknown', 'warning']);
  assert.match(unknown.tooltip!, /last poll failed: squeue: not found on PATH/);
});
