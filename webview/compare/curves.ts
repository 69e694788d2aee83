/**
 * What the charts draw, as plain data: one curve per (run, split) — or per (group, split) as a mean line
 * with a ±std band (two more curves, the band filled between them) — for one metric over the chosen x
 * axis, smoothed (smoothing.ts) at full resolution. Decimation for the screen happens after, per curve
 * (decimation.ts). Train curves are solid, validation dashed. When smoothing is on, each line also has a
 * 'raw' curve: the values as recorded (a group's: the mean of its members' raw values), drawn faintly
 * behind the smoothed line as TensorBoard does, so the line's end can be checked against the tables.
 */
import { meanStd, type RunGroup } from './grouping';
import { smooth } from './smoothing';
import { xValues, type Metric, type RunData, type XAxis } from './series';

export type CurveSplit = 'train' | 'val';
export const CURVE_SPLITS: readonly CurveSplit[] = ['train', 'val'];

export interface CurveOptions {
  readonly metric: Metric;
  readonly axis: XAxis;
  readonly splits: readonly CurveSplit[];
  /** EMA weight in [0, 1). */
  readonly smoothing: number;
  /** Groups to draw as mean ± std; undefined draws every run on its own. */
  readonly groups?: readonly RunGroup[];
}

export interface Curve {
  readonly label: string;
  /** The run id, or the group key: what a click highlights. */
  readonly owner: string;
  /** Index into the palette (run or group order). */
  readonly colour: number;
  readonly split: CurveSplit;
  /**
   * 'line' is a curve; 'raw' the same curve unsmoothed (only when smoothing is on); 'lower'/'upper' bound a
   * group's band (drawn lower first, upper filled down to it).
   */
  readonly role: 'line' | 'raw' | 'lower' | 'upper';
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
}

const SPLIT_NAME: Record<CurveSplit, string> = { train: 'train', val: 'val' };

export function buildCurves(runs: readonly RunData[], options: CurveOptions): Curve[] {
  const curves: Curve[] = [];
  const raw = options.smoothing > 0;
  const smoothed = (run: RunData, split: CurveSplit) => smooth(run.metrics[split][options.metric], options.smoothing);
  if (!options.groups) {
    runs.forEach((run, colour) => {
      for (const split of options.splits) {
        if (run.metrics[split].step.length === 0) continue;
        const label = `${run.name} · ${SPLIT_NAME[split]}`;
        const x = xValues(run, split, options.axis);
        if (raw) curves.push({ label: `${label} raw`, owner: run.id, colour, split, role: 'raw', x, y: run.metrics[split][options.metric] });
        curves.push({ label, owner: run.id, colour, split, role: 'line', x, y: smoothed(run, split) });
      }
    });
    return curves;
  }
  const byId = new Map(runs.map((r) => [r.id, r]));
  options.groups.forEach((group, colour) => {
    const members = group.members.map((id) => byId.get(id)).filter((r): r is RunData => r !== undefined);
    for (const split of options.splits) {
      const band = meanStd(members.map((run) => ({ step: run.metrics[split].step, x: xValues(run, split, options.axis), y: smoothed(run, split) })));
      if (band.x.length === 0) continue;
      const name = `${group.label} · ${SPLIT_NAME[split]}`;
      if (members.length > 1) {
        curves.push({ label: `${name} − std`, owner: group.key, colour, split, role: 'lower', x: band.x, y: band.mean.map((m, i) => m - band.std[i]!) });
        curves.push({ label: `${name} + std`, owner: group.key, colour, split, role: 'upper', x: band.x, y: band.mean.map((m, i) => m + band.std[i]!) });
      }
      const line = members.length > 1 ? `${name} mean` : name;
      if (raw) {
        const rawMean = meanStd(
          members.map((run) => ({ step: run.metrics[split].step, x: xValues(run, split, options.axis), y: run.metrics[split][options.metric] })),
        );
        curves.push({ label: `${line} raw`, owner: group.key, colour, split, role: 'raw', x: rawMean.x, y: rawMean.mean });
      }
      curves.push({ label: line, owner: group.key, colour, split, role: 'line', x: band.x, y: band.mean });
    }
  });
  return curves;
}
