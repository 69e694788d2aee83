/**
 * The training charts draw both metrics alike: training solid, validation dashed (a reader learns the line
 * styles once), in each run's own colour.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trainingChartsSvg } from '../../src/core/report/trainingCharts';
import type { MetricRecord } from '../../src/core/train/runFolder';

const record = (split: MetricRecord['split'], step: number, epoch: number, loss: number, accuracy: number): MetricRecord => ({
  step,
  epoch,
  split,
  loss,
  accuracy,
  lr: 1e-3,
  time: step,
});

test('loss and accuracy charts: train solid, val dashed, in both', () => {
  const metrics = [
    record('train', 5, 1, 2.1, 0.2),
    record('train', 10, 1, 1.9, 0.3),
    record('val', 10, 1, 2.0, 0.25),
    record('train', 15, 2, 1.7, 0.4),
    record('train', 20, 2, 1.5, 0.5),
    record('val', 20, 2, 1.8, 0.35),
  ];
  const charts = trainingChartsSvg([{ label: 'run', summary: { steps: 20, epochsDone: 2 }, metrics }]);
  for (const [svg, key] of [
    [charts.loss, 'loss'],
    [charts.accuracy, 'accuracy'],
  ] as const) {
    const path = (name: string) => new RegExp(`<path [^>]*>(?=<title>${name}</title>)`).exec(svg)?.[0] ?? '';
    const train = path(`run: train ${key}`);
    const val = path(`run: val ${key}`);
    assert.ok(train && val, `${key}: both series drawn`);
    assert.doesNotMatch(train, /stroke-dasharray/, `${key}: train is solid`);
    assert.match(val, /stroke-dasharray/, `${key}: val is dashed`);
  }
});
