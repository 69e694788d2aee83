import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSqueue, squeueArgs, SQUEUE_FORMAT } from '../../src/core/cluster/squeue';
import { parseSacct } from '../../src/core/cluster/sacct';
import { queryArrayJob } from '../../src/core/cluster/queryJob';
import { parseSbatchOutput, submitScript } from '../../src/core/cluster/submit';
import { jobStatus } from '../../src/core/cluster/jobStatus';
import { taskLogPath } from '../../src/core/cluster/jobRecord';
import { taskPhase } from '../../src/core/cluster/taskState';
import { ClusterError } from '../../src/core/cluster/errors';
import type { RunTool, ToolResult } from '../../src/core/cluster/runTool';

// Printed by Slurm 22.05 (Debian slurm-wlm) for `squeueArgs('1')`, a 5-task array (0-4%3) whose task 1 exits 3.
const SQUEUE_RUNNING = [
  '1|0|COMPLETED|0:03|vm',
  '1|1|FAILED|0:03|(NonZeroExitCode)',
  '1|4|PENDING|0:00|(Resources)',
  '1|3|RUNNING|0:02|vm',
  '1|2|RUNNING|0:02|vm',
  '',
].join('\n');
// The same without --array: pending tasks folded into one line.
const SQUEUE_FOLDED = '1|0-4%3|PENDING|0:00|(None)\n';

test('parseSqueue reads one record per task, unfolds pending ranges and skips other jobs', () => {
  assert.deepEqual(squeueArgs('17'), ['--jobs', '17', '--array', '--states', 'all', '--noheader', '--format', SQUEUE_FORMAT]);
  const records = parseSqueue(SQUEUE_RUNNING, '1');
  assert.deepEqual(
    records.map((r) => [r.task, r.state, r.elapsed, r.reason]),
    [
      [0, 'COMPLETED', '0:03', 'vm'],
      [1, 'FAILED', '0:03', '(NonZeroExitCode)'],
      [4, 'PENDING', '', '(Resources)'],
      [3, 'RUNNING', '0:02', 'vm'],
      [2, 'RUNNING', '0:02', 'vm'],
    ],
  );
  assert.deepEqual(
    parseSqueue(SQUEUE_FOLDED, '1').map((r) => r.task),
    [0, 1, 2, 3, 4],
  );
  assert.deepEqual(parseSqueue(SQUEUE_RUNNING, '2'), []);
  assert.deepEqual(
    parseSqueue('9|N/A|RUNNING|1:00|node7\n', '9').map((r) => r.task),
    [0],
    'a job that is not an array is task 0',
  );
  assert.throws(() => parseSqueue('1|0|RUNNING\n', '1'), /unexpected squeue line "1\|0\|RUNNING"/);
});

test('parseSacct reads tasks with exit codes, skips job steps, unfolds pending ranges', () => {
  const text = [
    '12_0|COMPLETED|0:0|00:00:41|node1',
    '12_0.batch|COMPLETED|0:0|00:00:41|node1',
    '12_1|FAILED|1:0|00:00:03|node2',
    '12_1.extern|COMPLETED|0:0|00:00:03|node2',
    '12_2|CANCELLED by 1000|0:15|00:00:09|node1',
    '12_[3-4]|PENDING|0:0|00:00:00|None assigned',
    '13_0|RUNNING|0:0|00:00:01|node3',
    '',
  ].join('\n');
  assert.deepEqual(
    parseSacct(text, '12').map((r) => [r.task, r.state, r.exitCode, r.elapsed, r.reason]),
    [
      [0, 'COMPLETED', '0:0', '00:00:41', 'node1'],
      [1, 'FAILED', '1:0', '00:00:03', 'node2'],
      [2, 'CANCELLED', '0:15', '00:00:09', 'node1'],
      [3, 'PENDING', '0:0', '', ''],
      [4, 'PENDING', '0:0', '', ''],
    ],
  );
  assert.throws(() => parseSacct('12_0|COMPLETED|0:0\n', '12'), /unexpected sacct line/);
});

test('task phases: only COMPLETED is success; anything unknown to be still queued or running counts as failed', () => {
  assert.deepEqual(
    ['PENDING', 'REQUEUED', 'RUNNING', 'COMPLETING', 'COMPLETED', 'FAILED', 'TIMEOUT', 'OUT_OF_MEMORY', 'PREEMPTED', 'NODE_FAIL', ''].map(taskPhase),
    ['pending', 'pending', 'running', 'running', 'completed', 'failed', 'failed', 'failed', 'failed', 'failed', 'gone'],
  );
});

/** A RunTool answering from a table, recording its calls. */
function fakeTools(answers: Record<string, ToolResult | Error>) {
  const calls: string[] = [];
  const run: RunTool = async (program, args) => {
    calls.push(`${program} ${args.join(' ')}`);
    const answer = answers[program];
    if (answer === undefined) throw new Error(`unexpected call to ${program}`);
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { run, calls };
}

const ok = (stdout: string): ToolResult => ({ code: 0, stdout, stderr: '' });

test('queryArrayJob: sacct when it works, else squeue with the reason; a job squeue forgot has no records', async () => {
  const withSacct = fakeTools({ sacct: ok('12_0|COMPLETED|0:0|00:00:41|node1\n') });
  assert.deepEqual(await queryArrayJob('12', withSacct.run), { source: 'sacct', records: parseSacct('12_0|COMPLETED|0:0|00:00:41|node1\n', '12') });
  assert.equal(withSacct.calls.length, 1);

  const noAccounting = fakeTools({ sacct: { code: 1, stdout: '', stderr: 'Slurm accounting storage is disabled\n' }, squeue: ok(SQUEUE_RUNNING) });
  const fallen = await queryArrayJob('1', noAccounting.run);
  assert.equal(fallen.source, 'squeue');
  assert.equal(fallen.fallback, 'Slurm accounting storage is disabled');
  assert.equal(fallen.records.length, 5);
  assert.deepEqual(noAccounting.calls[1], `squeue ${squeueArgs('1').join(' ')}`);

  const noSacct = fakeTools({ sacct: new ClusterError('sacct: not found on PATH'), squeue: ok('') });
  assert.equal((await queryArrayJob('1', noSacct.run)).fallback, 'sacct: not found on PATH');

  const notYet = fakeTools({ sacct: ok(''), squeue: ok(SQUEUE_RUNNING) });
  assert.match((await queryArrayJob('1', notYet.run)).fallback!, /sacct does not know job 1 yet/);

  const forgotten = fakeTools({
    sacct: { code: 1, stdout: '', stderr: 'disabled' },
    squeue: { code: 1, stdout: '', stderr: 'slurm_load_jobs error: Invalid job id specified\n' },
  });
  assert.deepEqual((await queryArrayJob('1', forgotten.run)).records, []);

  const broken = fakeTools({
    sacct: { code: 1, stdout: '', stderr: 'disabled' },
    squeue: { code: 1, stdout: '', stderr: 'slurm_load_jobs error: Unable to contact slurm controller (connect failure)\n' },
  });
  await assert.rejects(
    queryArrayJob('1', broken.run),
    (e: unknown) => e instanceof ClusterError && /squeue --jobs 1 .* exited with 1: slurm_load_jobs error: Unable to contact slurm controller/.test(e.message),
  );
  await assert.rejects(queryArrayJob('1; rm -rf /', broken.run), /is not a Slurm job id/);
});

test('submitScript returns the job id sbatch --parsable prints, and reports sbatch failures', async () => {
  assert.equal(parseSbatchOutput('4242\n'), '4242');
  assert.equal(parseSbatchOutput('4242;cluster2\n'), '4242');
  assert.throws(() => parseSbatchOutput('Submitted batch job 4242'), /where a job id was expected/);
  const tools = fakeTools({ sbatch: ok('77\n') });
  assert.equal(await submitScript('/x/job.sbatch', tools.run), '77');
  assert.deepEqual(tools.calls, ['sbatch --parsable /x/job.sbatch']);
  const refused = fakeTools({ sbatch: { code: 1, stdout: '', stderr: 'sbatch: error: invalid partition specified: gpu\n' } });
  await assert.rejects(
    submitScript('/x/job.sbatch', refused.run),
    /sbatch --parsable \/x\/job\.sbatch exited with 1: sbatch: error: invalid partition specified: gpu/,
  );
});

test('taskLogPath expands the patterns sbatch expands', () => {
  assert.equal(taskLogPath('/o/slurm/logs/%x-%A_%a.log', '12', 3, 'gen'), '/o/slurm/logs/gen-12_3.log');
  assert.equal(taskLogPath('/o/100%%-%a', '12', 0, 'gen'), '/o/100%-0');
});

test('jobStatus: done when every task did its work; problems once nothing is active', () => {
  const query = { source: 'squeue' as const, fallback: 'disabled', records: parseSqueue(SQUEUE_RUNNING, '1') };
  const running = jobStatus({ jobId: '1', query, tasks: 5, log: { pattern: '/o/%x-%A_%a.log', name: 'g' } });
  assert.equal(running.active, true);
  assert.equal(running.done, false);
  assert.deepEqual(running.problems, [], 'no verdict while tasks run');
  assert.deepEqual(running.counts, { completed: 1, failed: 1, pending: 1, running: 2 });
  assert.equal(running.tasks[3]!.log, '/o/g-1_3.log');

  const ended = { ...query, records: query.records.map((r) => (r.task === 1 ? r : { ...r, state: 'COMPLETED' })) };
  const failed = jobStatus({ jobId: '1', query: ended, tasks: 6 });
  assert.equal(failed.active, false);
  assert.equal(failed.done, false);
  assert.deepEqual(
    failed.problems.map((t) => [t.task, t.phase]),
    [
      [1, 'failed'],
      [5, 'gone'],
    ],
    'a task Slurm does not list has not done its work',
  );

  // With the outputs to check, a task counts by its shards: gone from squeue but finished is done.
  const outputs = [0, 1, 2, 3, 4].map((task) => ({ task, shards: [task, task + 5], finished: task === 1 ? [task] : [task, task + 5] }));
  const withShards = jobStatus({ jobId: '1', query: { ...ended, records: ended.records.filter((r) => r.task !== 0) }, tasks: 5, outputs });
  assert.deepEqual(withShards.shards, { total: 10, finished: 9 });
  assert.deepEqual(
    withShards.problems.map((t) => t.task),
    [1],
  );
  assert.equal(withShards.tasks[0]!.phase, 'gone');
  const allFinished = outputs.map((o) => ({ ...o, finished: o.shards }));
  const done = jobStatus({ jobId: '1', query: { ...ended, records: [] }, tasks: 5, outputs: allFinished });
  assert.equal(done.done, true);
  assert.deepEqual(done.problems, []);
  assert.equal(jobStatus({ jobId: '1', query: { ...query, records: [] } }).done, false, 'no tasks at all is not done');
});
