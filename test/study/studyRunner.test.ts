/**
 * The study runner's bookkeeping, with a launcher that writes run folders itself (the numbers are the
 * test's inputs; what is checked is the runner): concurrency limit, finished runs skipped on a rerun, a
 * failed run not stopping the others, cancellation, and study.json's means, stds and data-equivalents.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveStudy, StudyError } from '../../src/core/study/studyConfig';
import { runStudy, StudyCancelled, type StudyEvent } from '../../src/core/study/studyRunner';
import type { StudyResult } from '../../src/core/study/studyResult';
import { mean, std } from '../../src/core/study/seedStats';
import { fakeAccuracy, fakeLauncher, STUDY } from './fakeStudy';

const root = mkdtempSync(join(tmpdir(), 'wslab-study-runner-'));

test('a study trains every run at most `parallel` at a time and summarises them over seeds', async () => {
  const study = await resolveStudy(STUDY, join(root, 'a.study.wslab.json'));
  const out = join(root, 'a');
  const launched: string[] = [];
  const concurrent = { now: 0, max: 0 };
  const events: StudyEvent[] = [];
  const result = await runStudy({ study, out, parallel: 2, launch: fakeLauncher(launched, { concurrent }), onEvent: (e) => events.push(e) });
  assert.equal(launched.length, 18);
  assert.equal(concurrent.max, 2);
  assert.equal(result.complete, true);
  assert.deepEqual(JSON.parse(await readFile(join(out, 'study.json'), 'utf8')), result);
  const none = result.curves.find((c) => c.key === 'none')!;
  const aug = result.curves.find((c) => c.key === 'aug')!;
  for (const point of [...none.points, ...aug.points]) {
    const expected = [0, 1, 2].map((seed) => fakeAccuracy(`${point.runs[0]!.name.replace(/seed\d$/, `seed${seed}`)}`));
    assert.ok(Math.abs(point.mean! - mean(expected)) < 1e-12);
    assert.ok(Math.abs(point.std! - std(expected)) < 1e-12);
  }
  // The augmented curve is the reference moved by 2× in size: its data-equivalent is twice its size
  // where the reference brackets it, and a bound above the largest reference size.
  assert.equal(none.reference, null);
  assert.equal(aug.reference, 'none');
  const at = (size: number) => aug.equivalents.find((q) => q.size === size)!;
  assert.ok(Math.abs(at(100).ratio! - 2) < 1e-9, JSON.stringify(at(100)));
  assert.ok(Math.abs(at(400).ratio! - 2) < 1e-9);
  assert.deepEqual(at(1600).equivalent, { kind: 'above', size: 1600 });
  const progress = events.filter((e): e is Extract<StudyEvent, { type: 'progress' }> => e.type === 'progress');
  assert.equal(progress.at(-1)!.fraction, 1);
  assert.ok(
    progress.every((p, i) => i === 0 || p.fraction >= progress[i - 1]!.fraction),
    'progress never goes back',
  );

  // A rerun trains nothing and writes the same study.json.
  const again: string[] = [];
  const rerun = await runStudy({ study, out, launch: fakeLauncher(again) });
  assert.deepEqual(again, []);
  assert.deepEqual(rerun, result);
});

test('a failed run does not stop the others; the study then fails naming it', async () => {
  const study = await resolveStudy(STUDY, join(root, 'b.study.wslab.json'));
  const out = join(root, 'b');
  const launched: string[] = [];
  await assert.rejects(
    runStudy({ study, out, launch: fakeLauncher(launched, { failing: 'aug-n100-seed1' }) }),
    (e: unknown) => e instanceof StudyError && /1 of 18 runs failed: aug-n100-seed1/.test((e as Error).message),
  );
  assert.equal(launched.length, 18);
  const result = JSON.parse(await readFile(join(out, 'study.json'), 'utf8')) as StudyResult;
  assert.equal(result.complete, false);
  assert.equal(result.runsFinished, 17);
  assert.deepEqual(result.failed, [{ name: 'aug-n100-seed1', error: 'diverged' }]);
});

test('cancelling stops launching runs; a rerun finishes the rest', async () => {
  const study = await resolveStudy(STUDY, join(root, 'c.study.wslab.json'));
  const out = join(root, 'c');
  const controller = new AbortController();
  const launched: string[] = [];
  const onEvent = (e: StudyEvent) => {
    if (e.type === 'run-done' && launched.length >= 4) controller.abort();
  };
  await assert.rejects(runStudy({ study, out, signal: controller.signal, launch: fakeLauncher(launched), onEvent }), StudyCancelled);
  assert.equal(launched.length, 4);
  const rest: string[] = [];
  const result = await runStudy({ study, out, launch: fakeLauncher(rest) });
  assert.equal(rest.length, 14);
  assert.equal(result.runsFinished, 18);
});

test('a study folder is run by one process at a time; a lock left by a dead process is taken over', async () => {
  const study = await resolveStudy(STUDY, join(root, 'd.study.wslab.json'));
  const out = join(root, 'd');
  await mkdir(out, { recursive: true });
  const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
  try {
    await writeFile(join(out, '.lock'), String(sleeper.pid));
    await assert.rejects(
      runStudy({ study, out, launch: fakeLauncher([]) }),
      (e: unknown) => e instanceof StudyError && new RegExp(`being run by process ${sleeper.pid}`).test((e as Error).message),
    );
  } finally {
    sleeper.kill();
    await new Promise((r) => sleeper.once('exit', r));
  }
  const result = await runStudy({ study, out, launch: fakeLauncher([]) });
  assert.equal(result.complete, true);
  await assert.rejects(readFile(join(out, '.lock')), /ENOENT/, 'released at the end');
});
