/**
 * Training curves of one or more runs as two SVG line charts over epochs, loss and accuracy, drawn alike:
 * training (logged every few steps) solid, validation (once per epoch, with markers) dashed. Steps become
 * fractional epochs with the run's own steps per epoch, so runs of different sizes share the x axis. Each
 * run keeps one colour in both charts.
 */
import type { MetricRecord, RunSummary } from '../train/runFolder';
import { lineChartSvg, type ChartPoint, type ChartSeries } from './lineChart';

export interface ChartRun {
  readonly label: string;
  readonly summary: Pick<RunSummary, 'steps' | 'epochsDone'>;
  readonly metrics: readonly MetricRecord[];
}

export const RUN_COLORS: readonly string[] = ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#0891b2'];

/** The x position (in epochs) of a record: its epoch for per-epoch records, steps / steps-per-epoch for training windows. */
export function epochPosition(record: MetricRecord, stepsPerEpoch: number): number {
  return record.split === 'train' && stepsPerEpoch > 0 ? record.step / stepsPerEpoch : record.epoch;
}

export function trainingChartsSvg(runs: readonly ChartRun[]): { loss: string; accuracy: string } {
  const lossSeries: ChartSeries[] = [];
  const accuracySeries: ChartSeries[] = [];
  runs.forEach((run, i) => {
    const color = RUN_COLORS[i % RUN_COLORS.length]!;
    const stepsPerEpoch = run.summary.epochsDone > 0 ? run.summary.steps / run.summary.epochsDone : 0;
    const of = (split: MetricRecord['split'], key: 'loss' | 'accuracy'): ChartPoint[] =>
      run.metrics.filter((r) => r.split === split).map((r) => ({ x: epochPosition(r, stepsPerEpoch), y: r[key] }));
    for (const [series, key] of [
      [lossSeries, 'loss'],
      [accuracySeries, 'accuracy'],
    ] as const) {
      series.push({ name: `${run.label}: train ${key}`, color, points: of('train', key) });
      series.push({ name: `${run.label}: val ${key}`, color, points: of('val', key), dashed: true, markers: true });
    }
  });
  return {
    loss: lineChartSvg(lossSeries, { title: 'Loss', xLabel: 'epoch', yLabel: 'cross-entropy', width: 520 }),
    accuracy: lineChartSvg(accuracySeries, {
      title: 'Accuracy',
      xLabel: 'epoch',
      yLabel: 'accuracy',
      width: 520,
      yRange: [0, 1],
      yFormat: (v) => `${Math.round(v * 100)}%`,
    }),
  };
}
