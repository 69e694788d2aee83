// The message a finished task leaves (src/extension/tasks/taskOutcome.ts): the result in one line and next
// steps whose commands exist and whose arguments name what the task made.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COMMAND_IDS } from '../../src/extension/commandIds';
import { doneMessage } from '../../src/extension/tasks/taskOutcome';
import type { AnyJob } from '../../src/protocol/worker';

const probe: AnyJob = { kind: 'probe', behaviour: 'sleep', ms: 0 };

test('a generated dataset: its size and folder, then preview, a config for it, one INR', () => {
  const { text, next } = doneMessage({
    title: 'Generate mnist-256',
    job: probe,
    result: { kind: 'generate', out: '/w/datasets/mnist-256', items: 256, complete: true },
  });
  assert.equal(text, 'Generate mnist-256: 256 INRs in mnist-256.');
  assert.deepEqual(
    next.map((s) => [s.command, s.args]),
    [
      ['weightSpaceLab.previewAugmentations', [{ dataset: '/w/datasets/mnist-256' }]],
      ['weightSpaceLab.newExperimentConfig', ['/w/datasets/mnist-256']],
      ['weightSpaceLab.openDatasetSample', ['/w/datasets/mnist-256']],
    ],
  );
  const partial = doneMessage({ title: 'Generate x', job: probe, result: { kind: 'generate', out: '/w/x', items: 3, complete: false } });
  assert.match(partial.text, /3 INRs \(partial\)/);
});

test('a run: its best validation accuracy, epoch and test accuracy, then open it or compare', () => {
  const { text, next } = doneMessage({
    title: 'Train a',
    job: probe,
    result: { kind: 'train', runDir: '/w/runs/a', bestValAccuracy: 0.8125, bestEpoch: 7, testAccuracyAtBest: 0.79, durationSec: 3 },
  });
  assert.equal(text, 'Train a: best val 81.25% (epoch 7), test at best val 79.00%.');
  // Open Run: the run's own view (its folder is the argument); Compare Runs…: the picker.
  assert.deepEqual(
    next.map((s) => [s.label, s.command, s.args]),
    [
      ['Open Run', 'weightSpaceLab.openRun', ['/w/runs/a']],
      ['Compare Runs…', 'weightSpaceLab.compareRuns', undefined],
    ],
  );
  for (const step of next) assert.ok((COMMAND_IDS as readonly string[]).includes(step.command), step.command);
});

test('a study opens its own view; every next step names a command of the extension', () => {
  const study = doneMessage({
    title: 'Study sizes',
    job: { kind: 'study', file: '/w/sizes.study.wslab.json', out: '/w/studies/sizes', parallel: null },
    result: { kind: 'study', out: '/w/studies/sizes', runsFinished: 8, runsTotal: 8 },
  });
  assert.equal(study.text, 'Study sizes: 8/8 runs finished.');
  assert.deepEqual(study.next[0]!.args, [{ file: '/w/sizes.study.wslab.json' }]);
  const augment = doneMessage({ title: 'Augment', job: probe, result: { kind: 'augment', out: '/w/d-aug', items: 64 } });
  assert.equal(augment.text, 'Augment: 64 augmented INRs in d-aug.');
  for (const step of [...study.next, ...augment.next]) assert.ok((COMMAND_IDS as readonly string[]).includes(step.command), step.command);
});

test('an evaluation: the accuracy, loss and count on its split, then the run', () => {
  const { text, next } = doneMessage({
    title: 'Evaluate a (best, test)',
    job: probe,
    result: { kind: 'eval', runDir: '/w/runs/a', split: 'test', checkpoint: 'best', accuracy: 0.795, loss: 0.61234, count: 300 },
  });
  assert.equal(text, 'Evaluate a (best, test): test accuracy 79.50%, loss 0.6123 over 300 INRs.');
  assert.deepEqual(
    next.map((s) => [s.command, s.args]),
    [['weightSpaceLab.openRun', ['/w/runs/a']]],
  );
});
