import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shellCommand, shellQuote } from '../../src/core/cluster/shellQuote';
import { sbatchScript, TASK_ID, type ArrayJob } from '../../src/core/cluster/sbatchScript';
import { generateJob } from '../../src/core/cluster/generateJob';
import { ClusterError } from '../../src/core/cluster/errors';

/** Runs shell text with bash and returns what it printed. */
function bash(text: string, env: Record<string, string> = {}) {
  const r = spawnSync('bash', ['-c', text], { encoding: 'utf8', env: { PATH: process.env.PATH!, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const made: string[] = [];
const tmp = () => {
  made.push(mkdtempSync(join(tmpdir(), 'wslab-sbatch-')));
  return made.at(-1)!;
};
after(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const NASTY = ['plain', 'two words', "it's", '$HOME', '`id`', 'a"b', 'back\\slash', '', '*', 'new\nline', 'ünï', '--flag=x y', ';rm -rf /'];

test('shellQuote: bash passes every word back unchanged', () => {
  const printed = bash(`printf '%s\\0' ${NASTY.map(shellQuote).join(' ')}`)
    .stdout.split('\0')
    .slice(0, -1);
  assert.deepEqual(printed, NASTY);
  assert.equal(shellQuote('/usr/bin/node'), '/usr/bin/node', 'safe words stay unquoted');
  assert.equal(shellCommand(['echo', 'a b', { shell: '"$X"' }]), `echo 'a b' "$X"`);
});

const base = (dir: string): ArrayJob => ({
  name: 'wslab-test',
  tasks: 3,
  cpusPerTask: 2,
  workdir: dir,
  log: join(dir, 'logs', '%x-%A_%a.log'),
  requeue: true,
  directives: ['--time=01:00:00', '--partition=cpu'],
  description: ['a test job'],
  command: ['printf', '%s|', 'two words', "it's", TASK_ID],
});

test('sbatchScript: directives for a job array, in the order sbatch reads them', () => {
  const dir = tmp();
  const text = sbatchScript({ ...base(dir), maxRunning: 2 });
  const lines = text.split('\n');
  assert.equal(lines[0], '#!/bin/bash');
  const directives = lines.filter((l) => l.startsWith('#SBATCH '));
  assert.deepEqual(directives, [
    '#SBATCH --job-name=wslab-test',
    '#SBATCH --array=0-2%2',
    '#SBATCH --ntasks=1',
    '#SBATCH --cpus-per-task=2',
    `#SBATCH --chdir=${dir}`,
    `#SBATCH --output=${join(dir, 'logs', '%x-%A_%a.log')}`,
    '#SBATCH --open-mode=append',
    '#SBATCH --requeue',
    '#SBATCH --time=01:00:00',
    '#SBATCH --partition=cpu',
  ]);
  // sbatch stops reading directives at the first command: every directive must come before it.
  const firstCommand = lines.findIndex((l, i) => i > 0 && l.trim() !== '' && !l.startsWith('#'));
  assert.ok(lines.lastIndexOf(directives.at(-1)!) < firstCommand);
  assert.ok(!sbatchScript({ ...base(dir), requeue: false }).includes('--requeue'));
});

test('sbatchScript: each task runs the command with its id; ids outside the array and a missing id are refused', () => {
  const dir = tmp();
  const path = join(dir, 'job.sbatch');
  writeFileSync(path, sbatchScript(base(dir)));
  for (const task of [0, 2]) {
    const r = bash(`bash ${shellQuote(path)}`, { SLURM_ARRAY_TASK_ID: String(task), SLURM_ARRAY_JOB_ID: '77' });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`task ${task} of 3 \\(job 77\\)`));
    assert.ok(r.stdout.endsWith(`two words|it's|${task}|`), r.stdout);
  }
  const outside = bash(`bash ${shellQuote(path)}`, { SLURM_ARRAY_TASK_ID: '3' });
  assert.equal(outside.code, 2);
  assert.match(outside.stderr, /task 3 is not in the array 0-2/);
  const missing = bash(`bash ${shellQuote(path)}`);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /SLURM_ARRAY_TASK_ID: is not set: submit this script with sbatch/);
});

test('sbatchScript: refuses what sbatch would misread', () => {
  const job = base('/scratch/me');
  const refused: [Partial<ArrayJob>, RegExp][] = [
    [{ name: 'my job' }, /job name "my job"/],
    [{ workdir: 'relative/dir' }, /working folder of a job script must be absolute/],
    [{ log: '/scratch/my logs/%a.log' }, /log path "\/scratch\/my logs\/%a.log" cannot go in an #SBATCH line/],
    [{ directives: ['time=1:00'] }, /"time=1:00" must start with -/],
    [{ directives: ['--time=1\n#SBATCH --x'] }, /holds a line break/],
    [{ tasks: 0 }, /at least one task/],
    [{ cpusPerTask: 0 }, /CPUs per task must be a positive integer/],
    [{ maxRunning: 0 }, /running tasks must be a positive integer/],
    [{ command: [] }, /needs a command/],
  ];
  for (const [change, message] of refused) {
    assert.throws(
      () => sbatchScript({ ...job, ...change }),
      (e: unknown) => e instanceof ClusterError && message.test(e.message),
      JSON.stringify(change),
    );
  }
});

test('generateJob: task i runs wslab generate with the given options and --shard i/n; logs go to OUT/slurm/logs', () => {
  const options = {
    out: '/data/ds',
    workdir: '/home/me',
    name: 'gen',
    tasks: 4,
    cpusPerTask: 2,
    requeue: true,
    wslab: ['/usr/bin/node', '/opt/wslab/dist/cli.js'],
    generateArgs: ['--dataset', 'my images', '--out', '/data/ds', '--limit', '32'],
  };
  const job = generateJob(options);
  assert.equal(job.log, '/data/ds/slurm/logs/generate-%A_%a.log');
  assert.match(
    sbatchScript(job),
    /^exec \/usr\/bin\/node \/opt\/wslab\/dist\/cli\.js generate --dataset 'my images' --out \/data\/ds --limit 32 --shard "\$\{SLURM_ARRAY_TASK_ID\}\/4"$/m,
  );
  // With `echo` as wslab and /tmp as working folder, the script prints what each task would run.
  const echo = sbatchScript(generateJob({ ...options, workdir: tmpdir(), wslab: [{ shell: 'echo' }] }));
  for (const task of [0, 3]) {
    assert.match(
      bash(echo, { SLURM_ARRAY_TASK_ID: String(task) }).stdout,
      new RegExp(`^generate --dataset my images --out /data/ds --limit 32 --shard ${task}/4$`, 'm'),
    );
  }
  assert.throws(() => generateJob({ ...options, generateArgs: ['--dataset', 'mnist', '--shard', '0/2'] }), /must not hold --shard/);
});
