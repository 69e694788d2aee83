/**
 * The demo report (`wslab demo`, `npm start`) as ONE self-contained HTML page: no scripts, no network —
 * images are embedded as data: PNG URIs and the training curves as inline SVG. Sections: the dataset
 * and its reconstructions, the augmentations, the training runs (curves and an accuracy table), the
 * commands to reproduce, and how to look at the same in VS Code. Every piece of text is escaped.
 */
import type { MetricRecord, RunSummary } from '../train/runFolder';
import { mean, std } from '../study/seedStats';
import { escapeHtml, pngDataUri } from './html';
import { trainingChartsSvg } from './trainingCharts';

/** One labelled image of a figure (a row of a grid). */
export interface FigureRow {
  readonly label: string;
  /** A second line under the label, e.g. what the row shows. */
  readonly detail?: string;
  readonly png: Uint8Array;
  readonly alt: string;
}

/** One training run: one seed of a ReportRun. */
export interface SeedRun {
  readonly seed: number;
  /** The run folder. */
  readonly dir: string;
  readonly summary: RunSummary;
  readonly metrics: readonly MetricRecord[];
}

/** One configuration of the demo, trained once per seed (the seeds differ only in the config's seed). */
export interface ReportRun {
  readonly label: string;
  /** The augmentations it trained with, in words ("none" for the baseline). */
  readonly augmentation: string;
  readonly seeds: readonly SeedRun[];
}

export interface ReportStage {
  readonly name: string;
  readonly seconds: number;
  readonly note?: string;
}

export interface DemoReportInput {
  readonly title: string;
  /** ISO time the report was made. */
  readonly createdAt: string;
  /** The machine, in words (cores, Node version). */
  readonly machine: string;
  /** Facts about the dataset, as label → value lines. */
  readonly dataset: readonly (readonly [string, string])[];
  readonly reconstructions: readonly FigureRow[];
  readonly reconstructionsCaption: string;
  readonly augmentations: readonly FigureRow[];
  readonly augmentationsCaption: string;
  /** The models and optimizer of the runs, in words. */
  readonly training: string;
  /** Classes of the task (chance is 1 / classes). */
  readonly classes: number;
  readonly runs: readonly ReportRun[];
  readonly stages: readonly ReportStage[];
  /** Shell commands that redo the demo step by step. */
  readonly commands: readonly string[];
  /** How to open the same results in VS Code, one sentence per entry. */
  readonly vscode: readonly string[];
}

const e = escapeHtml;

export function formatPercent(value: number | null): string {
  return value === null || !Number.isFinite(value) ? '–' : `${(100 * value).toFixed(1)}%`;
}

export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '–';
  const s = Math.round(seconds);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

function figure(rows: readonly FigureRow[], caption: string): string {
  const body = rows
    .map(
      (r) =>
        `<tr><th scope="row">${e(r.label)}${r.detail ? `<div class="detail">${e(r.detail)}</div>` : ''}</th>` +
        `<td><img src="${pngDataUri(r.png)}" alt="${e(r.alt)}"></td></tr>`,
    )
    .join('\n');
  return `<figure><table class="figure">\n${body}\n</table><figcaption>${e(caption)}</figcaption></figure>`;
}

/** One standard error of an accuracy p measured on n examples (binomial): the spread from the test sample alone. */
export function accuracyStandardError(p: number, n: number): number {
  return n > 0 && Number.isFinite(p) ? Math.sqrt((p * (1 - p)) / n) : Number.NaN;
}

/** The finite values of one number of every seed's summary. */
function perSeed(run: ReportRun, value: (s: RunSummary) => number | null): number[] {
  return run.seeds.map((r) => value(r.summary)).filter((v): v is number => v !== null && Number.isFinite(v));
}

/** "50.7%" for one seed, "50.7% ± 1.2" (sample std over seeds, in points) for several, "–" for none. */
export function formatMeanStd(values: readonly number[]): string {
  if (values.length === 0) return '–';
  return values.length === 1 ? formatPercent(values[0]!) : `${formatPercent(mean(values))} ± ${(100 * std(values)).toFixed(1)}`;
}

/** The accuracy table: one row per configuration, mean ± std over its seeds and each seed's value. */
export function accuracyTable(runs: readonly ReportRun[]): string {
  const rows = runs
    .map((r) => {
      const tests = perSeed(r, (s) => s.testAccuracyAtBest);
      const losses = perSeed(r, (s) => s.last.trainLoss);
      const seconds = perSeed(r, (s) => s.durationSec);
      const epochs = r.seeds[0]?.summary.epochs ?? 0;
      return (
        `<tr><th scope="row">${e(r.label)}</th><td>${e(r.augmentation)}</td>` +
        `<td class="num">${formatMeanStd(tests)}</td>` +
        `<td class="num">${r.seeds.map((x) => formatPercent(x.summary.testAccuracyAtBest)).join(', ')}</td>` +
        `<td class="num">${formatMeanStd(perSeed(r, (s) => s.bestValAccuracy))}</td>` +
        `<td class="num">${r.seeds.map((x) => x.summary.bestEpoch ?? '–').join(', ')} / ${epochs}</td>` +
        `<td class="num">${losses.length ? mean(losses).toFixed(3) : '–'}</td>` +
        `<td class="num">${e(seconds.length ? formatSeconds(mean(seconds)) : '–')}</td>` +
        `<td>${r.seeds.map((x) => `<code>${e(x.dir)}</code>`).join(' ')}</td></tr>`
      );
    })
    .join('\n');
  return (
    '<table class="data">\n<thead><tr><th>run</th><th>augmentation</th><th>test accuracy at best val, mean ± std over seeds</th><th>per seed</th>' +
    '<th>best val accuracy</th><th>at epoch (per seed)</th><th>final train loss (mean)</th><th>training time per run (mean)</th><th>run folders</th></tr></thead>\n' +
    `<tbody>\n${rows}\n</tbody></table>`
  );
}

const STYLE = `
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #111827; max-width: 1100px; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; } h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #e5e7eb; }
.meta, .detail, figcaption { color: #6b7280; font-size: 0.85rem; }
table.figure th { text-align: right; vertical-align: middle; padding-right: 0.8rem; font-weight: 600; max-width: 16rem; }
table.figure img { image-rendering: pixelated; display: block; }
table.data { border-collapse: collapse; margin: 0.5rem 0; } table.data th, table.data td { border: 1px solid #e5e7eb; padding: 0.3rem 0.6rem; text-align: left; }
table.data thead th { background: #f9fafb; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
dl { display: grid; grid-template-columns: max-content auto; gap: 0.1rem 1rem; } dt { font-weight: 600; } dd { margin: 0; }
.charts { display: flex; flex-wrap: wrap; gap: 1rem; }
pre { background: #f3f4f6; padding: 0.8rem; overflow-x: auto; font-size: 0.85rem; }
`;

/** What the accuracies can and cannot say: chance, the spread over seeds and from the test sample. */
export function accuracyCaveat(runs: readonly ReportRun[], classes: number): string {
  const first = runs[0]?.seeds[0];
  const n = first?.summary.counts.test ?? 0;
  const seeds = runs[0]?.seeds.map((r) => r.seed) ?? [];
  const sampleError = `with ${n} test INRs one run's test accuracy has a standard error of up to ${(100 * accuracyStandardError(0.5, n)).toFixed(1)} points from the test sample alone`;
  return (
    `Chance is ${formatPercent(1 / classes)} (${classes} classes). Model selection uses the validation split only; the test accuracy is that of the best-validation epoch. ` +
    (seeds.length > 1
      ? `Each configuration trained with seeds ${seeds.join(', ')} (initialisation, data order, augmentation draws): ± is the sample standard deviation over them; ${sampleError}. A difference between configurations smaller than these spreads is noise.`
      : `Each configuration trained with one seed (${seeds.join('')}), so the spread over seeds is unknown (rerun with --seeds 3); ${sampleError}, and another seed moves it further, so a difference of a few points is noise.`)
  );
}

export function demoReportHtml(input: DemoReportInput): string {
  // The curves of each configuration's first seed (all seeds would crowd the charts).
  const shown = input.runs.flatMap((r) =>
    r.seeds[0] ? [{ label: r.label, summary: r.seeds[0].summary, metrics: r.seeds[0].metrics, seed: r.seeds[0].seed }] : [],
  );
  const charts = trainingChartsSvg(shown);
  const total = input.stages.reduce((sum, s) => sum + s.seconds, 0);
  const stages = input.stages
    .map((s) => `<tr><td>${e(s.name)}</td><td class="num">${e(formatSeconds(s.seconds))}</td><td>${e(s.note ?? '')}</td></tr>`)
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(input.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${e(input.title)}</h1>
<p class="meta">Made ${e(input.createdAt)} on ${e(input.machine)} in ${e(formatSeconds(total))}.</p>

<h2>1. The dataset: one SIREN per image</h2>
<dl>
${input.dataset.map(([k, v]) => `<dt>${e(k)}</dt><dd>${e(v)}</dd>`).join('\n')}
</dl>
${figure(input.reconstructions, input.reconstructionsCaption)}

<h2>2. Augmentations in weight space</h2>
${figure(input.augmentations, input.augmentationsCaption)}

<h2>3. Training: a sanity baseline, then the classifier without and with augmentation</h2>
<p>${e(input.training)}</p>
${accuracyTable(input.runs)}
<p class="meta">${e(accuracyCaveat(input.runs, input.classes))}</p>
<div class="charts">
${charts.loss}
${charts.accuracy}
</div>
<p class="meta">The curves: seed ${e([...new Set(shown.map((r) => r.seed))].join(', '))} of each configuration.</p>

<h2>4. Time per stage</h2>
<table class="data"><thead><tr><th>stage</th><th>time</th><th></th></tr></thead>
<tbody>
${stages}
</tbody></table>

<h2>5. Reproduce</h2>
<pre>${input.commands.map(e).join('\n')}</pre>

<h2>6. The same in VS Code</h2>
${input.vscode.map((line) => `<p>${e(line)}</p>`).join('\n')}
</body>
</html>
`;
}
