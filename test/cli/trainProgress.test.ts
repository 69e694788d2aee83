/** The training bar: after the last epoch it says that epoch (not the one before), as the summary does, on a terminal and in a log. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProgressReporter } from '../../src/cli/progress';
import { trainProgressRenderer } from '../../src/cli/trainProgress';

test('the bar names the epoch that has just ended, the last one included', () => {
  const updates: { done: number; total: number; details: string[] }[] = [];
  const progress = { update: (u: (typeof updates)[number]) => updates.push(u), finish: () => undefined } as unknown as ProgressReporter;
  const render = trainProgressRenderer(progress, true, { stdout: () => undefined, stderr: () => undefined });
  render({ type: 'start', run: 'r', dir: 'runs/r', backend: 'fused', totalSteps: 20, resumedFromEpoch: 0 });
  for (const epoch of [1, 2]) {
    render({ type: 'step', step: 10 * epoch, totalSteps: 20, epoch, loss: 1, lr: 1e-3, setsPerSec: 100 });
    render({ type: 'epoch', epoch, epochs: 2, trainLoss: 1, trainAccuracy: 0.5, valAccuracy: 0.5, bestValAccuracy: 0.5, improved: true });
  }
  const last = updates.at(-1)!;
  assert.equal(last.done, 20);
  assert.ok(
    last.details.some((d) => d.startsWith('epoch 2/2')),
    last.details.join(' · '),
  );
});

test('written to a log (not a terminal), the bar ends on the last epoch too', () => {
  const lines: string[] = [];
  const log = { isTTY: false, write: (t: string) => lines.push(t) } as unknown as NodeJS.WriteStream;
  const render = trainProgressRenderer(new ProgressReporter('bar', log), true, { stdout: () => undefined, stderr: () => undefined });
  render({ type: 'start', run: 'r', dir: 'runs/r', backend: 'fused', totalSteps: 20, resumedFromEpoch: 0 });
  for (const epoch of [1, 2]) {
    render({ type: 'step', step: 10 * epoch, totalSteps: 20, epoch, loss: 1, lr: 1e-3, setsPerSec: 100 });
    render({ type: 'epoch', epoch, epochs: 2, trainLoss: 1, trainAccuracy: 0.5, valAccuracy: 0.5, bestValAccuracy: 0.5, improved: true });
  }
  render({ type: 'done', summary: undefined as never });
  assert.match(lines.at(-1)!, /20\/20 .*epoch 2\/2/, lines.join(''));
  assert.equal(lines.filter((l) => l.includes('epoch 2/2')).length, 1, 'the finished line is written once per change');
});
