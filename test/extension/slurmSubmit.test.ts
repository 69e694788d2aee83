// "Submit to Slurm…" below VS Code: the worker's submission jobs (src/worker/jobs/slurmJob.ts) with fake
// Slurm tools on PATH — sbatch records its arguments and stdin and answers a job id, ssh runs its remote
// command here (as a login host on a shared file system would). The job record lands where the CLI puts
// it, and a task of the written script, run by hand, accepts the dataset folder the submission claimed.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readJobRecord } from '../../src/core/cluster/jobRecord';
import { findWorkspaceJobs } from '../../src/core/cluster/workspaceJobs';
import type { GenerateJob, JobResult, SlurmTarget } from '../../src/protocol/worker';
import type { JobContext } from '../../src/worker/jobContext';
import { slurmGenerateJob, slurmSweepJob } from '../../src/worker/jobs/slurmJob';
import { generateArgv } from '../../src/core/dataset/generationRequest';
import { mergeJob } from '../../src/worker/jobs/mergeJob';
import { readManifest } from '../../src/core/dataset/manifest';
import { parseHostToWorker } from '../../src/protocol/worker';

const made: string[] = [];
after(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
function tmp(name: string): string {
  made.push(mkdtempSync(join(tmpdir(), `wslab-ext-slurm-${name}-`)));
  return made.at(-1)!;
}

const FAKE = tmp('bin');
const tools: Record<string, string> = {
  sbatch:
    'echo "$*" > "$d/sbatch.args"; cat > "$d/sbatch.stdin"; [ -f "$d/sbatch.fail" ] && { echo "sbatch: error: invalid partition" >&2; exit 1; }; echo "777;cluster"',
  // The remote command is ssh's last argument: run it with this shell, stdin passed on.
  ssh: 'printf "%s\\n" "$@" > "$d/ssh.args"; eval "${@: -1}"',
};
for (const [name, body] of Object.entries(tools)) {
  writeFileSync(join(FAKE, name), `#!/bin/bash\nd=${JSON.stringify(FAKE)}\n${body}\n`);
  chmodSync(join(FAKE, name), 0o755);
}
process.env.PATH = `${FAKE}:${process.env.PATH}`;

function context(): JobContext & { logs: string[] } {
  const logs: string[] = [];
  return { signal: new AbortController().signal, started: () => undefined, progress: () => undefined, log: (t) => logs.push(t), logs };
}

function target(root: string, loginHost: string | null = null): SlurmTarget {
  return { loginHost, cpusPerTask: 1, sbatchOptions: ['--partition=cpu'], wslab: null, workdir: root };
}

function generation(out: string): Omit<GenerateJob, 'kind'> {
  return {
    dataset: 'mnist',
    out,
    limit: 8,
    views: 1,
    hidden: [32, 32],
    steps: 20,
    targetPsnr: null,
    seed: 4,
    shardSize: 2,
    valFraction: 0.1,
    testFraction: 0.1,
    backend: 'wasm',
    workers: null,
  };
}

test('a generation array: script, record and claimed dataset where the CLI puts them; sbatch gets the script path', async () => {
  const root = tmp('ws');
  const out = join(root, 'datasets', 'mnist-8');
  const ctx = context();
  const result = (await slurmGenerateJob({ kind: 'slurmGenerate', generate: generation(out), tasks: 2, slurm: target(root) }, ctx)) as Extract<
    JobResult,
    { jobId: string }
  >;
  assert.deepEqual({ ...result, what: undefined }, { kind: 'slurmGenerate', jobId: '777', out, tasks: 2, what: undefined });
  assert.match(result.what, /^2 task\(s\) × 1 CPU\(s\), 4 shard\(s\)/);
  const script = join(out, 'slurm', 'generate.sbatch');
  assert.equal(readFileSync(join(FAKE, 'sbatch.args'), 'utf8').trim(), `--parsable ${script}`);
  const text = readFileSync(script, 'utf8');
  assert.match(text, /^#SBATCH --array=0-1$/m);
  assert.match(text, /^#SBATCH --partition=cpu$/m);
  assert.match(text, new RegExp(`^#SBATCH --chdir=${root}$`, 'm'));
  // Started by this Node and the built CLI, every generate option spelled out, --shard from the array.
  assert.match(
    text,
    new RegExp(
      `^exec ${process.execPath} ${resolve(__dirname, '../../dist/cli.js')} generate --dataset mnist --out ${out} --limit 8 .* --workers 1 --backend wasm --progress bar --shard "\\$\\{SLURM_ARRAY_TASK_ID\\}/2"$`,
      'm',
    ),
  );
  const record = await readJobRecord(out);
  assert.equal(record.jobId, '777');
  assert.equal(record.kind, 'generate');
  assert.ok(record.submitted && !Number.isNaN(Date.parse(record.submitted)));
  assert.ok(existsSync(join(out, 'dataset.json')), 'the dataset folder is claimed at submission');
  assert.ok(existsSync(join(out, 'slurm', 'logs')));
  // The Experiments view finds it.
  const found = await findWorkspaceJobs(root, { datasetsFolder: 'datasets', runsFolder: 'runs' });
  assert.deepEqual(
    found.map((f) => ('record' in f ? [f.path, f.record.jobId] : f.error)),
    [[join(out, 'slurm', 'job.json'), '777']],
  );
});

test('tasks of the submitted script, run by hand, make their shards in the folder the submission claimed; Merge joins them', { timeout: 120_000 }, async () => {
  const cli = resolve(__dirname, '../../dist/cli.js');
  assert.ok(existsSync(cli), `${cli} is missing: run node scripts/build.mjs first`);
  const root = tmp('task');
  const out = join(root, 'datasets', 'mnist-8');
  await slurmGenerateJob({ kind: 'slurmGenerate', generate: generation(out), tasks: 2, slurm: target(root) }, context());
  const r = spawnSync('bash', [join(out, 'slurm', 'generate.sbatch')], { env: { ...process.env, SLURM_ARRAY_TASK_ID: '1' }, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  // Task 1 of 2 makes shards 1 and 3 of 4; a refused claim (other settings) would have exited 1.
  assert.deepEqual(readdirSync(join(out, 'shards')).sort(), ['00001.safetensors', '00003.safetensors']);
  await assert.rejects(mergeJob({ kind: 'merge', dir: out }, context()), /cannot merge .*00000\.safetensors/s);
  const task0 = spawnSync('bash', [join(out, 'slurm', 'generate.sbatch')], { env: { ...process.env, SLURM_ARRAY_TASK_ID: '0' }, encoding: 'utf8' });
  assert.equal(task0.status, 0, task0.stderr);
  assert.deepEqual(await mergeJob({ kind: 'merge', dir: out }, context()), { kind: 'merge', dir: out, items: 8 });
  assert.equal((await readManifest(out)).complete, true);
});

test('the worker accepts submission and merge jobs only through the protocol checks', () => {
  const slurm = target('/w');
  const job = { kind: 'slurmGenerate', generate: generation('/w/datasets/d'), tasks: null, slurm };
  assert.deepEqual(parseHostToWorker({ type: 'run', job }), { type: 'run', job });
  assert.throws(
    () => parseHostToWorker({ type: 'run', job: { ...job, slurm: { ...slurm, cpusPerTask: 0 } } }),
    /"slurmGenerate"\.slurm\.cpusPerTask must be an integer in \[1, 4096\], got 0/,
  );
  assert.throws(
    () => parseHostToWorker({ type: 'run', job: { kind: 'slurmSweep', config: '/c', runs: '/r', grid: [''], seeds: null, runName: null, slurm } }),
    /grid/,
  );
  assert.throws(() => parseHostToWorker({ type: 'run', job: { kind: 'merge' } }), /dir/);
});

test('the generate options written for the tasks are those of the generation, defaults spelled out', () => {
  const g = { ...generation('/o'), limit: null, targetPsnr: 38.5 };
  assert.deepEqual(generateArgv({ ...g, workers: 3 }), [
    '--dataset',
    'mnist',
    '--out',
    '/o',
    '--views',
    '1',
    '--hidden',
    '32,32',
    '--steps',
    '20',
    '--target-psnr',
    '38.5',
    '--seed',
    '4',
    '--shard-size',
    '2',
    '--val',
    '0.1',
    '--test',
    '0.1',
    '--workers',
    '3',
    '--backend',
    'wasm',
    '--progress',
    'bar',
  ]);
});

function configFile(root: string): string {
  const file = join(root, 'small.wslab.json');
  writeFileSync(file, JSON.stringify({ dataset: 'data', optimizer: { epochs: 2 } }));
  return file;
}

test("one training run and a sweep: the record in RUNS/slurm names each task's run", async () => {
  const root = tmp('sweep');
  const runs = join(root, 'runs');
  const config = configFile(root);
  const single = await slurmSweepJob({ kind: 'slurmSweep', config, runs, grid: [], seeds: null, runName: 'small-2', slurm: target(root) }, context());
  assert.equal((single as { tasks: number }).tasks, 1);
  assert.deepEqual((await readJobRecord(runs)).runs, ['small-2']);
  assert.match(readFileSync(join(runs, 'slurm', 'sweep.sbatch'), 'utf8'), /^ {2}0\) TASK_ARGS=\(--name small-2\) ;;$/m);

  await slurmSweepJob({ kind: 'slurmSweep', config, runs, grid: ['optimizer.lr=0.001,0.003'], seeds: [0, 1], runName: null, slurm: target(root) }, context());
  const record = await readJobRecord(runs);
  assert.deepEqual(record.runs, ['small-lr0.001-seed0', 'small-lr0.001-seed1', 'small-lr0.003-seed0', 'small-lr0.003-seed1']);
  assert.equal(record.tasks, 4);
  // A bad grid value fails before anything is submitted, naming the run and the key.
  rmSync(join(FAKE, 'sbatch.args'));
  await assert.rejects(
    slurmSweepJob(
      { kind: 'slurmSweep', config, runs: join(root, 'bad'), grid: ['optimizer.lr=-1'], seeds: null, runName: null, slurm: target(root) },
      context(),
    ),
    /sweep run small-lr-1 .*optimizer\.lr/,
  );
  assert.ok(!existsSync(join(FAKE, 'sbatch.args')), 'sbatch was not run');
});

test('with a login host: ssh -o BatchMode=yes HOST sbatch --parsable, the script on stdin', async () => {
  const root = tmp('ssh');
  const out = join(root, 'datasets', 'remote');
  await slurmGenerateJob({ kind: 'slurmGenerate', generate: generation(out), tasks: null, slurm: target(root, 'me@login1') }, context());
  assert.deepEqual(readFileSync(join(FAKE, 'ssh.args'), 'utf8').trim().split('\n'), ['-o', 'BatchMode=yes', '--', 'me@login1', 'sbatch --parsable']);
  assert.equal(readFileSync(join(FAKE, 'sbatch.stdin'), 'utf8'), readFileSync(join(out, 'slurm', 'generate.sbatch'), 'utf8'));
  const record = await readJobRecord(out);
  assert.equal(record.jobId, '777');
  assert.equal(record.tasks, 4, 'one task per shard by default');
});

test('sbatch refusing the job is an error with its message; the record stays unsubmitted', async () => {
  const root = tmp('fail');
  const out = join(root, 'datasets', 'refused');
  writeFileSync(join(FAKE, 'sbatch.fail'), '');
  try {
    await assert.rejects(
      slurmGenerateJob({ kind: 'slurmGenerate', generate: generation(out), tasks: 2, slurm: target(root) }, context()),
      /sbatch --parsable .* exited with 1: sbatch: error: invalid partition/,
    );
  } finally {
    rmSync(join(FAKE, 'sbatch.fail'));
  }
  assert.equal((await readJobRecord(out)).jobId, null);
  assert.deepEqual(await findWorkspaceJobs(root, { datasetsFolder: 'datasets', runsFolder: 'runs' }), [], 'an unsubmitted job is not listed');
});
