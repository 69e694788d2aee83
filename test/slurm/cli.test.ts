import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { run, tmp } from './helpers';
import { GENERATE_OPTIONS, generateRequest } from '../../src/cli/commands/generate';
import { generateArgv } from '../../src/core/dataset/generationRequest';

// Fake Slurm tools on PATH: sbatch records its arguments and answers a job id, sacct has no
// accounting, squeue answers squeue.<call number> (or squeue.last) from FAKE; '#exit' answers fail.
const FAKE = tmp('bin');
const tools: Record<string, string> = {
  sbatch: 'echo "$*" > "$d/sbatch.args"; echo "4242;test"',
  sacct: 'echo "Slurm accounting storage is disabled" >&2; exit 1',
  squeue: [
    'n=$(cat "$d/squeue.count" 2>/dev/null || echo 0); echo $((n + 1)) > "$d/squeue.count"',
    'f="$d/squeue.$n"; [ -f "$f" ] || f="$d/squeue.last"',
    'if [ "$(head -c 5 "$f")" = "#exit" ]; then tail -n +2 "$f" >&2; exit 1; fi',
    'cat "$f"',
  ].join('\n'),
};
for (const [name, body] of Object.entries(tools)) {
  writeFileSync(join(FAKE, name), `#!/bin/bash\nd=${JSON.stringify(FAKE)}\n${body}\n`);
  chmodSync(join(FAKE, name), 0o755);
}
process.env.PATH = `${FAKE}:${process.env.PATH}`;

function squeueAnswers(...answers: string[]) {
  rmSync(join(FAKE, 'squeue.count'), { force: true });
  answers.forEach((a, i) => writeFileSync(join(FAKE, `squeue.${i}`), a));
  for (let i = answers.length; existsSync(join(FAKE, `squeue.${i}`)); i++) rmSync(join(FAKE, `squeue.${i}`));
  writeFileSync(join(FAKE, 'squeue.last'), answers.at(-1)!);
}
const FORGOTTEN = '#exit\nslurm_load_jobs error: Invalid job id specified\n';

// 8 MNIST INRs in 4 shards of 2; 2 tasks of 2 shards each.
const WORK = ['--dataset', 'mnist', '--limit', '8', '--steps', '20', '--target-psnr', 'none', '--shard-size', '2', '--seed', '4', '--backend', 'wasm'];

function datasetFiles(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const name of ['dataset.json', 'manifest.json']) files.set(name, readFileSync(join(dir, name)));
  for (const name of readdirSync(join(dir, 'shards'))) files.set(`shards/${name}`, readFileSync(join(dir, 'shards', name)));
  return files;
}

/** The dataset of WORK made by one process, once per file. */
let single: Promise<string> | undefined;
function singleRun(): Promise<string> {
  single ??= (async () => {
    const out = tmp('single');
    const r = await run(['generate', ...WORK, '--out', out, '--workers', '1', '--progress', 'none']);
    assert.equal(r.code, 0, r.stderr);
    return out;
  })();
  return single;
}

/** Copies finished shards of the single run into `out`, as if their tasks had made them. */
async function copyShards(out: string, shards: number[]) {
  for (const k of shards) copyFileSync(join(await singleRun(), 'shards', `0000${k}.safetensors`), join(out, 'shards', `0000${k}.safetensors`));
}

test('generateArgv spells out every wslab generate option (given) but --shard; parsing it gives the same request', () => {
  for (const args of [
    ['--dataset', 'my images', '--out', 'o', '--limit', '7', '--target-psnr', 'none', '--workers', '3', '--progress', 'bar'],
    [
      '--dataset',
      'mnist',
      '--out',
      'p',
      '--views',
      '2',
      '--steps',
      '30',
      '--target-psnr',
      '35.5',
      '--seed',
      '9',
      '--shard-size',
      '16',
      '--val',
      '0.2',
      '--test',
      '0',
      '--workers',
      '1',
      '--backend',
      'wasm',
    ],
  ]) {
    const call = generateRequest(parseArgs({ args, options: GENERATE_OPTIONS }).values);
    const argv = generateArgv(call.request);
    const named = argv.filter((a) => a.startsWith('--'));
    assert.deepEqual(
      Object.keys(GENERATE_OPTIONS)
        .filter((k) => k !== 'shard' && (k !== 'limit' || call.request.limit !== null))
        .map((k) => `--${k}`),
      named,
    );
    assert.deepEqual(generateRequest(parseArgs({ args: argv, options: GENERATE_OPTIONS }).values), call);
  }
});

test('slurm generate writes a job script whose tasks, run one by one, make the dataset of one process', async () => {
  const [single, parts] = [await singleRun(), tmp('parts')];

  const written = await run([
    'slurm',
    'generate',
    ...WORK,
    '--out',
    parts,
    '--tasks',
    '2',
    '--cpus-per-task',
    '1',
    '--time',
    '0:10:00',
    '--sbatch=--qos=short',
  ]);
  assert.equal(written.code, 0, written.stderr);
  const scriptPath = join(parts, 'slurm', 'generate.sbatch');
  assert.equal(written.stdout, scriptPath);
  assert.match(written.stderr, /2 task\(s\) × 1 CPU\(s\), 4 shard\(s\) \(≤ 2 per task\); submit it with sbatch/);
  const script = readFileSync(scriptPath, 'utf8');
  for (const line of [
    '#SBATCH --array=0-1',
    '#SBATCH --cpus-per-task=1',
    `#SBATCH --chdir=${process.cwd()}`,
    `#SBATCH --output=${parts}/slurm/logs/generate-%A_%a.log`,
    '#SBATCH --requeue',
    '#SBATCH --time=0:10:00',
    '#SBATCH --qos=short',
  ]) {
    assert.ok(script.split('\n').includes(line), `missing ${line}`);
  }
  const cli = resolve('dist/cli.js');
  assert.ok(
    script.includes(
      `exec ${process.execPath} ${cli} generate --dataset mnist --out ${parts} --limit 8 --views 1 --hidden 32,32 --steps 20 --target-psnr none --seed 4 --shard-size 2 --val 0.1 --test 0.1 --workers 1 --backend wasm --progress bar --shard "\${SLURM_ARRAY_TASK_ID}/2"`,
    ),
    script,
  );
  assert.ok(existsSync(join(parts, 'dataset.json')), 'the output folder is claimed when the script is written');
  assert.ok(existsSync(join(parts, 'slurm', 'logs')), 'sbatch needs the log folder to exist');
  assert.equal(JSON.parse(readFileSync(join(parts, 'slurm', 'job.json'), 'utf8')).jobId, null);

  assert.ok(existsSync(cli), `${cli} is missing: run npm run build (npm test does)`);
  for (const task of [1, 0]) {
    const r = spawnSync('bash', [scriptPath], { encoding: 'utf8', env: { ...process.env, SLURM_ARRAY_TASK_ID: String(task) } });
    assert.equal(r.status, 0, r.stderr);
  }
  assert.equal((await run(['merge', parts])).code, 0);
  assert.deepEqual(datasetFiles(parts), datasetFiles(single));

  // Merge refuses a shard missing, a shard holding another shard's INRs, and stray copies.
  for (const [damage, message] of [
    [(d: string) => rmSync(join(d, 'shards', '00003.safetensors')), /00003\.safetensors: missing/],
    [
      (d: string) => copyFileSync(join(d, 'shards', '00000.safetensors'), join(d, 'shards', '00001.safetensors')),
      /00001\.safetensors: holds other items than the plan puts in this shard/,
    ],
    [
      (d: string) => copyFileSync(join(d, 'shards', '00002.safetensors'), join(d, 'shards', '00002 (1).safetensors')),
      /00002 \(1\)\.safetensors: not a shard of this dataset's plan \(duplicate or stray file\)/,
    ],
  ] as const) {
    const copy = tmp('damaged');
    cpSync(parts, copy, { recursive: true });
    rmSync(join(copy, 'manifest.json'));
    damage(copy);
    const merged = await run(['merge', copy]);
    assert.equal(merged.code, 1);
    assert.match(merged.stderr, new RegExp(`^wslab: error \\[dataset\\] cannot merge ${copy}: 1 problem`));
    assert.match(merged.stderr, message);
    assert.ok(!existsSync(join(copy, 'manifest.json')), 'no manifest from a refused merge');
  }
});

test('slurm generate refuses what would go wrong on the cluster', async () => {
  const out = tmp('refused');
  const refusals: [string[], number, RegExp][] = [
    [['--shard', '0/2'], 2, /use --tasks N instead of --shard/],
    [['--tasks', '5'], 1, /5 tasks for 4 shard\(s\): tasks 4-4 would have nothing to do/],
    [['--tasks', '0'], 2, /--tasks must be an integer ≥ 1/],
    [['--wslab', ' '], 2, /--wslab must be a one-line command/],
    [['--partition', 'a b'], 1, /--partition "a b" cannot go in an #SBATCH line/],
    [['--job-name', 'my job'], 1, /job name "my job"/],
  ];
  for (const [extra, code, message] of refusals) {
    const r = await run(['slurm', 'generate', ...WORK, '--out', out, ...extra]);
    assert.equal(r.code, code, `${extra.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
  assert.equal((await run(['slurm', 'generate', '--out', out])).code, 2);
  assert.equal((await run(['slurm', 'frobnicate'])).code, 2);
  assert.match((await run(['slurm', '--help'])).stdout, /wslab slurm generate <wslab generate options>[\s\S]*wslab slurm status OUT\|JOBID/);
  assert.equal((await run(['slurm', 'generate', ...WORK, '--out', out])).code, 0);
  const other = await run(['slurm', 'generate', ...WORK, '--out', out, '--steps', '21']);
  assert.equal(other.code, 1);
  assert.match(other.stderr, /holds a dataset generated with other settings \(fit\.steps: 20 vs 21\)/);
});

test('slurm generate --submit prints the job id; slurm status follows it from squeue when sacct has no accounting', async () => {
  const out = tmp('submit');
  const submitted = await run(['slurm', 'generate', ...WORK, '--out', out, '--tasks', '2', '--cpus-per-task', '1', '--submit', '--wslab', 'wslab']);
  assert.equal(submitted.code, 0, submitted.stderr);
  assert.equal(submitted.stdout, '4242');
  assert.equal(readFileSync(join(FAKE, 'sbatch.args'), 'utf8').trim(), `--parsable ${join(out, 'slurm', 'generate.sbatch')}`);
  assert.match(readFileSync(join(out, 'slurm', 'generate.sbatch'), 'utf8'), /^exec wslab generate .* --workers 1 .*--shard "\$\{SLURM_ARRAY_TASK_ID\}\/2"$/m);
  const record = JSON.parse(readFileSync(join(out, 'slurm', 'job.json'), 'utf8'));
  assert.equal(record.jobId, '4242');
  assert.equal(record.tasks, 2);

  squeueAnswers('4242|0|RUNNING|0:07|node1\n4242|1|PENDING|0:00|(Resources)\n');
  const shown = await run(['slurm', 'status', out]);
  assert.equal(shown.code, 0, shown.stderr);
  const lines = shown.stdout.split('\n');
  assert.equal(lines[0], 'job 4242: 2 task(s) — 1 running, 1 pending; shards 0/4 finished');
  assert.equal(
    lines[1],
    'states from squeue (sacct unavailable: Slurm accounting storage is disabled); squeue forgets tasks a few minutes after they end: those show as "gone"',
  );
  assert.match(lines[4]!, new RegExp(`^ +0 +RUNNING +0:07 +node1 +0/2 +${out}/slurm/logs/generate-4242_0\\.log$`));
  assert.match(lines[5]!, /^ +1 +PENDING +- +\(Resources\) +0\/2 /);

  const json = JSON.parse((await run(['slurm', 'status', out, '--json'])).stdout);
  assert.deepEqual(
    json.tasks.map((t: { task: number; phase: string; shards: number[] }) => [t.task, t.phase, t.shards]),
    [
      [0, 'running', [0, 2]],
      [1, 'pending', [1, 3]],
    ],
  );

  // Still running at the timeout: exit 1 and say so.
  const timedOut = await run(['slurm', 'status', out, '--wait', '--interval', '0.05', '--timeout', '0.2']);
  assert.equal(timedOut.code, 1);
  assert.match(timedOut.stderr, /job 4242 still has queued or running tasks after 0\.2 s/);

  // The tasks end with task 1 failed and its shards missing: --wait exits 1 and shows task 1's log.
  mkdirSync(join(out, 'shards'));
  await copyShards(out, [0, 2]);
  squeueAnswers('4242|0|RUNNING|0:07|node1\n4242|1|RUNNING|0:01|node2\n', '4242|0|COMPLETED|0:09|node1\n4242|1|FAILED|0:02|(NonZeroExitCode)\n');
  writeFileSync(join(out, 'slurm', 'logs', 'generate-4242_1.log'), 'line one\nwslab: error something broke\n');
  const failed = await run(['slurm', 'status', out, '--wait', '--interval', '0.05']);
  assert.equal(failed.code, 1, failed.stdout);
  assert.match(
    failed.stderr,
    /job 4242 ended with work missing:\ntask 1: FAILED; shards 1, 3 not finished\n {2}last lines of .*generate-4242_1\.log:\n {4}line one\n {4}wslab: error something broke/,
  );
  assert.doesNotMatch(failed.stderr, /task 0:/);
  assert.match(failed.stderr, /\] job 4242: 2 task\(s\) — 2 running; shards 2\/4 finished/, 'progress while waiting');

  // Task 1 resubmitted (as a new job) and done; squeue has forgotten the first job: the work is complete.
  await copyShards(out, [1, 3]);
  squeueAnswers(FORGOTTEN);
  const done = await run(['slurm', 'status', out, '--wait']);
  assert.equal(done.code, 0, done.stderr);
  assert.match(done.stdout, /^job 4242: 2 task\(s\) — 2 gone; shards 4\/4 finished$/m);
  assert.match(done.stdout, new RegExp(`all work done: join the shards with wslab merge ${out}$`));
  assert.equal((await run(['merge', out])).code, 0);
});

test('slurm status: a job id alone, a script not submitted with --submit, and bad targets', async () => {
  squeueAnswers('77|0|COMPLETED|1:00|n1\n77|1|COMPLETED|1:02|n2\n');
  const byId = await run(['slurm', 'status', '77', '--wait']);
  assert.equal(byId.code, 0, byId.stderr);
  assert.match(byId.stdout, /^job 77: 2 task\(s\) — 2 completed$/m);
  assert.match(byId.stdout, /^all tasks completed$/m);

  const out = tmp('unsubmitted');
  assert.equal((await run(['slurm', 'generate', ...WORK, '--out', out, '--tasks', '1'])).code, 0);
  const unsubmitted = await run(['slurm', 'status', out]);
  assert.equal(unsubmitted.code, 1);
  assert.match(unsubmitted.stderr, /generate\.sbatch was written but not submitted with --submit: give the id sbatch printed with --job ID/);
  squeueAnswers('91|0|PENDING|0:00|(Priority)\n');
  const withJob = await run(['slurm', 'status', out, '--job', '91']);
  assert.equal(withJob.code, 0, withJob.stderr);
  assert.match(withJob.stdout, /^job 91: 1 task\(s\) — 1 pending; shards 0\/4 finished$/m);

  const nothing = await run(['slurm', 'status', join(out, 'nope')]);
  assert.equal(nothing.code, 1);
  assert.match(nothing.stderr, /nope: neither an output folder nor a job id/);
  const noRecord = await run(['slurm', 'status', tmp('empty')]);
  assert.equal(noRecord.code, 1);
  assert.match(noRecord.stderr, /slurm\/job\.json: no job written here/);
  assert.equal((await run(['slurm', 'status'])).code, 2);
  assert.equal((await run(['slurm', 'status', out, '--interval', '0'])).code, 2);
});
