/** Training sweeps on Slurm: grid expansion and run names, the job script's task → arguments, status of the runs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, tmp } from './helpers';
import { ClusterError } from '../../src/core/cluster/errors';
import { expandSweep, parseGridAxis, pointArgs } from '../../src/core/cluster/sweepPlan';
import { writeJson, writeStatus } from '../../src/core/train/runFolder';
import { readStudy } from '../../src/core/study/studyConfig';
import { planStudy } from '../../src/core/study/studyPlan';
import { studyRunArgs } from '../../src/core/study/studyRunner';

// Fake tools on PATH: sbatch records its arguments; sacct has no accounting; squeue answers FAKE/squeue.answer.
// The fake wslab writes its arguments, one a line, to FAKE/argv.<task>.
const FAKE = tmp('bin');
const tools: Record<string, string> = {
  sbatch: 'echo "$*" > "$d/sbatch.args"; echo "5151"',
  sacct: 'echo "Slurm accounting storage is disabled" >&2; exit 1',
  squeue: 'cat "$d/squeue.answer"',
  wslab: 'printf "%s\\n" "$@" > "$d/argv.${SLURM_ARRAY_TASK_ID}"',
};
for (const [name, body] of Object.entries(tools)) {
  writeFileSync(join(FAKE, name), `#!/bin/bash\nd=${JSON.stringify(FAKE)}\n${body}\n`);
  chmodSync(join(FAKE, name), 0o755);
}
process.env.PATH = `${FAKE}:${process.env.PATH}`;

function configFile(): string {
  const dir = tmp('my config');
  const file = join(dir, 'small.wslab.json');
  writeFileSync(file, JSON.stringify({ dataset: 'data', optimizer: { epochs: 2 } }));
  return file;
}

test('the grid expands first axis slowest, seeds fastest, with readable unique names', () => {
  const axes = [parseGridAxis('optimizer.lr=0.001,0.003'), parseGridAxis('model.kind=dwsnet,nfn-np')];
  const points = expandSweep('small', axes, [0, 1]);
  assert.equal(points.length, 8);
  assert.deepEqual(
    points.map((p) => p.task),
    [0, 1, 2, 3, 4, 5, 6, 7],
  );
  assert.deepEqual(points[0]!.settings, ['optimizer.lr=0.001', 'model.kind=dwsnet', 'seed=0']);
  assert.deepEqual(points[1]!.settings, ['optimizer.lr=0.001', 'model.kind=dwsnet', 'seed=1']);
  assert.deepEqual(points[2]!.settings, ['optimizer.lr=0.001', 'model.kind=nfn-np', 'seed=0']);
  assert.deepEqual(points[7]!.settings, ['optimizer.lr=0.003', 'model.kind=nfn-np', 'seed=1']);
  assert.equal(points[7]!.name, 'small-lr0.003-kind-nfn-np-seed1');
  assert.deepEqual(pointArgs(points[7]!), [
    '--set',
    'optimizer.lr=0.003',
    '--set',
    'model.kind=nfn-np',
    '--set',
    'seed=1',
    '--name',
    'small-lr0.003-kind-nfn-np-seed1',
  ]);
  assert.equal(new Set(points.map((p) => p.name)).size, 8);

  assert.deepEqual(
    expandSweep('small', []).map((p) => [p.name, p.settings]),
    [['small', []]],
    'no grid: the config itself',
  );
  const odd = expandSweep('x y', [parseGridAxis('augment=a/b,a_b')]);
  assert.deepEqual(
    odd.map((p) => p.name),
    ['x_y-augment-a_b-t0', 'x_y-augment-a_b-t1'],
    'names sanitised and kept unique',
  );

  for (const [bad, message] of [
    ['lr', /--grid lr: expected key=v1,v2/],
    ['=1,2', /expected key=v1,v2/],
    ['a..b=1', /expected key=v1,v2/],
    ['lr=1,,2', /expected key=v1,v2/],
    ['lr=1,1', /a value is given twice/],
  ] as const)
    assert.throws(
      () => parseGridAxis(bad),
      (e: unknown) => e instanceof ClusterError && message.test(e.message),
    );
  assert.throws(() => expandSweep('s', [parseGridAxis('lr=1'), parseGridAxis('lr=2')]), /--grid lr is given twice/);
  assert.throws(() => expandSweep('s', [parseGridAxis('seed=1,2')], [0]), /either with --seeds or with --grid seed/);
});

test("slurm sweep writes a job array whose task i runs wslab train with exactly point i's arguments", async () => {
  const config = configFile();
  const runs = join(tmp('runs'), 'runs');
  const r = await run([
    'slurm',
    'sweep',
    config,
    '--grid',
    'optimizer.lr=0.001,0.003',
    '--grid',
    'model.kind=dwsnet,nfn-np',
    '--seeds',
    '0,1',
    '--runs',
    runs,
    '--wslab',
    'wslab',
    '--cpus-per-task',
    '2',
    '--time',
    '1:00:00',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const scriptPath = join(runs, 'slurm', 'sweep.sbatch');
  assert.equal(r.stdout, scriptPath);
  assert.match(r.stderr, /8 training run\(s\) × 2 CPU\(s\)/);
  const script = readFileSync(scriptPath, 'utf8');
  for (const line of [
    '#SBATCH --array=0-7',
    '#SBATCH --cpus-per-task=2',
    '#SBATCH --requeue',
    '#SBATCH --time=1:00:00',
    '#SBATCH --job-name=wslab-sweep-small',
  ]) {
    assert.ok(script.split('\n').includes(line), `missing ${line}`);
  }
  assert.ok(existsSync(join(runs, 'slurm', 'logs')));
  const record = JSON.parse(readFileSync(join(runs, 'slurm', 'job.json'), 'utf8'));
  assert.equal(record.kind, 'sweep');
  assert.equal(record.tasks, 8);

  const expected = expandSweep('small', [parseGridAxis('optimizer.lr=0.001,0.003'), parseGridAxis('model.kind=dwsnet,nfn-np')], [0, 1]);
  assert.deepEqual(
    record.runs,
    expected.map((p) => p.name),
  );
  for (const task of [0, 5, 7]) {
    const ran = spawnSync('bash', [scriptPath], { encoding: 'utf8', env: { ...process.env, SLURM_ARRAY_TASK_ID: String(task) } });
    assert.equal(ran.status, 0, ran.stderr);
    const argv = readFileSync(join(FAKE, `argv.${task}`), 'utf8')
      .trimEnd()
      .split('\n');
    assert.deepEqual(argv, ['train', '--config', config, '--runs', runs, '--resume', ...pointArgs(expected[task]!)]);
  }
  const outside = spawnSync('bash', [scriptPath], { encoding: 'utf8', env: { ...process.env, SLURM_ARRAY_TASK_ID: '8' } });
  assert.equal(outside.status, 2);
  assert.match(outside.stderr, /task 8 is not in the array 0-7/);
});

test('slurm sweep validates every grid point first: a bad key or value is refused, naming it', async () => {
  const config = configFile();
  const runs = tmp('refused');
  for (const [grid, message] of [
    ['optimizer.lrr=0.1', /sweep run small-lrr0\.1 \(--set optimizer\.lrr=0\.1\): .*unknown key "optimizer\.lrr" \(did you mean "lr"\?\)/],
    ['model.kind=dwsnet,transformer', /sweep run small-kind-transformer .*model\.kind must be one of/],
    ['optimizer.lr=0.1,0', /sweep run small-lr0 .*optimizer\.lr must be > 0/],
  ] as const) {
    const r = await run(['slurm', 'sweep', config, '--grid', grid, '--runs', runs]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, message);
    assert.ok(!existsSync(join(runs, 'slurm')), 'nothing written for a refused sweep');
  }
  assert.equal((await run(['slurm', 'sweep', config, '--grid', 'lr', '--runs', runs])).code, 1);
  assert.equal((await run(['slurm', 'sweep', '--grid', 'optimizer.lr=1', '--runs', runs])).code, 2);
  assert.match((await run(['slurm', '--help'])).stdout, /wslab slurm sweep CONFIG --grid/);
});

test("slurm sweep --submit prints the job id; slurm status shows each task's run and its state", async () => {
  const config = configFile();
  const runs = tmp('submitted');
  const r = await run(['slurm', 'sweep', config, '--grid', 'optimizer.lr=0.001,0.003', '--runs', runs, '--submit', '--wslab', 'wslab']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '5151');
  assert.equal(readFileSync(join(FAKE, 'sbatch.args'), 'utf8').trim(), `--parsable ${join(runs, 'slurm', 'sweep.sbatch')}`);
  assert.match(r.stderr, new RegExp(`follow it with wslab slurm status ${runs}$`));

  writeFileSync(join(FAKE, 'squeue.answer'), '5151|0|COMPLETED|0:09|node1\n5151|1|RUNNING|0:03|node2\n');
  for (const [name, state] of [
    ['small-lr0.001', 'done'],
    ['small-lr0.003', 'running'],
  ] as const) {
    await writeJson(join(runs, name), 'config.json', { name });
    await writeStatus(join(runs, name), state);
  }
  const shown = await run(['slurm', 'status', runs]);
  assert.equal(shown.code, 0, shown.stderr);
  const lines = shown.stdout.split('\n');
  assert.equal(lines[0], 'job 5151: 2 task(s) — 1 running, 1 completed; runs 1/2 done');
  assert.match(shown.stdout, /^ +0 +COMPLETED +0:09 +node1 +small-lr0\.001 +done +/m);
  assert.match(shown.stdout, /^ +1 +RUNNING +0:03 +node2 +small-lr0\.003 +running +/m);

  // Task 1 fails: --wait exits 1 naming the run; once it is done (resubmitted), all runs are done.
  writeFileSync(join(FAKE, 'squeue.answer'), '5151|0|COMPLETED|0:09|node1\n5151|1|FAILED|0:05|(NonZeroExitCode)\n');
  await writeStatus(join(runs, 'small-lr0.003'), 'failed', 'boom');
  const failed = await run(['slurm', 'status', runs, '--wait']);
  assert.equal(failed.code, 1);
  assert.match(failed.stderr, /task 1: FAILED; run small-lr0\.003 failed/);
  await writeStatus(join(runs, 'small-lr0.003'), 'done');
  const done = await run(['slurm', 'status', runs, '--wait', '--json']);
  assert.equal(done.code, 0, done.stderr);
  assert.deepEqual(JSON.parse(done.stdout).runs, { total: 2, done: 2 });
});

test('slurm study writes a job array whose task i trains study run i with the arguments a local study passes', async () => {
  const dir = tmp('study');
  const file = join(dir, 'sizes.study.wslab.json');
  writeFileSync(
    file,
    JSON.stringify({
      base: { dataset: 'data', optimizer: { epochs: 2 } },
      sizes: [10, 40],
      conditions: [
        { name: 'none', augment: [] },
        { name: 'neg', augment: [{ name: 'siren-negation', p: 0.5 }] },
      ],
      seeds: [0, 1],
    }),
  );
  const out = join(dir, 'out');
  const r = await run(['slurm', 'study', file, '--out', out, '--wslab', 'wslab', '--cpus-per-task', '2']);
  assert.equal(r.code, 0, r.stderr);
  const scriptPath = join(out, 'runs', 'slurm', 'sweep.sbatch');
  assert.equal(r.stdout, scriptPath);
  assert.match(r.stderr, /8 study run\(s\) × 2 CPU\(s\)/);
  assert.ok(readFileSync(scriptPath, 'utf8').split('\n').includes('#SBATCH --array=0-7'));
  const plan = planStudy(await readStudy(file));
  const record = JSON.parse(readFileSync(join(out, 'runs', 'slurm', 'job.json'), 'utf8'));
  assert.deepEqual(
    record.runs,
    plan.runs.map((p) => p.name),
  );
  for (const task of [0, 6]) {
    const ran = spawnSync('bash', [scriptPath], { encoding: 'utf8', env: { ...process.env, SLURM_ARRAY_TASK_ID: String(task) } });
    assert.equal(ran.status, 0, ran.stderr);
    const argv = readFileSync(join(FAKE, `argv.${task}`), 'utf8')
      .trimEnd()
      .split('\n');
    const local = studyRunArgs(out, plan.runs[task]!);
    const sets = (a: string[]) => a.flatMap((x, i) => (a[i - 1] === '--set' ? [x] : []));
    const option = (a: string[], name: string) => a[a.indexOf(name) + 1];
    assert.deepEqual(sets(argv), sets(local));
    for (const name of ['--config', '--runs', '--name']) assert.equal(option(argv, name), option(local, name));
    assert.ok(argv.includes('--resume'));
  }
  assert.ok(existsSync(join(out, 'experiment.json')), 'the base experiment the tasks read');
});
