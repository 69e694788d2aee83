// What a task's progress reads like in the notification and the status bar; names the extension picks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatEta, percentOf, progressMessage, taskSummary } from '../../src/extension/tasks/progressText';
import type { TaskInfo } from '../../src/extension/tasks/taskManager';
import { chainSlug, datasetFolderName, shardSizeFor, slug, uniqueName } from '../../src/extension/commands/naming';

const progress = { done: 120, total: 256, unit: 'INRs', rate: 3100.4, rateUnit: 'INR-steps/s', etaSec: 42.4, detail: 'PSNR 38.21 dB' };

test('progress message: done/total, speed, detail, ETA', () => {
  assert.equal(progressMessage(progress), '120/256 INRs · 3,100 INR-steps/s · PSNR 38.21 dB · ETA 42s');
  assert.equal(progressMessage({ ...progress, rate: 12.345, rateUnit: 'sets/s', etaSec: null, detail: '' }), '120/256 INRs · 12.3 sets/s');
  assert.equal(progressMessage({ ...progress, done: 256 }), '256/256 INRs · 3,100 INR-steps/s · PSNR 38.21 dB');
  assert.equal(progressMessage(undefined), 'starting…');
});

test('ETA and percentages', () => {
  assert.deepEqual(
    [formatEta(0.4), formatEta(59.6), formatEta(65), formatEta(3 * 3600 + 7 * 60), formatEta(null), formatEta(-1)],
    ['0s', '1m00s', '1m05s', '3h07m', '', ''],
  );
  assert.equal(percentOf(progress), 46.875);
  assert.equal(percentOf({ ...progress, total: 0, done: 0 }), 100);
  assert.equal(percentOf(undefined), 0);
});

test('task summary for the status bar', () => {
  const task = { title: 'Generate mnist-256', state: 'running', progress } as TaskInfo;
  assert.equal(taskSummary(task), 'Generate mnist-256: 46% · ETA 42s');
  assert.equal(taskSummary({ ...task, state: 'queued' }), 'Generate mnist-256: queued');
  assert.equal(taskSummary({ ...task, state: 'failed' }), 'Generate mnist-256: failed');
});

test('names: unique, folder-friendly, describing the dataset', () => {
  const taken = new Set(['mnist-1000', 'mnist-1000-2']);
  assert.equal(
    uniqueName('mnist-1000', (n) => taken.has(n)),
    'mnist-1000-3',
  );
  assert.equal(
    uniqueName('fresh', (n) => taken.has(n)),
    'fresh',
  );
  assert.equal(slug('My Photos (2024)'), 'My-Photos-2024');
  assert.equal(datasetFolderName({ source: 'mnist', limit: 1000, views: 1, steps: 1000, defaultSteps: 1000 }), 'mnist-1000');
  assert.equal(datasetFolderName({ source: 'fashion-mnist', limit: null, views: 2, steps: 300, defaultSteps: 1000 }), 'fashion-mnist-all-2v-300s');
  assert.equal(chainSlug('rotate:degrees=15+siren-negation'), 'rotate-siren-negation');
  assert.deepEqual([shardSizeFor(64), shardSizeFor(1000), shardSizeFor(10_000)], [16, 64, 256]);
});
