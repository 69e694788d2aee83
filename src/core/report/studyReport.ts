/**
 * A study's report as ONE self-contained HTML page (no scripts, no network): accuracy against training-set
 * size per curve (log x, mean ± std over seeds as whiskers), the table of every point, and the
 * data-equivalent of each condition — the size without augmentation that reaches the same accuracy. Built
 * from study.json alone, so it can be redrawn at any time. Every piece of text is escaped.
 */
import type { Equivalent } from '../study/dataEquivalent';
import type { StudyResult } from '../study/studyResult';
import { escapeHtml as e } from './html';
import { lineChartSvg, type ChartSeries } from './lineChart';

/** Ten distinguishable colours (the Tableau palette), one per curve in order. */
export const CURVE_COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

export const percent = (v: number | null | undefined, digits = 1): string =>
  v === null || v === undefined || !Number.isFinite(v) ? '–' : `${(100 * v).toFixed(digits)}`;

/** A size in words: 8000 → "8,000". */
export const sizeText = (n: number): string => Math.round(n).toLocaleString('en-US');

/** An equivalent in words: "≈ 4,100 (2.1×)", "> 8,000", "< 1,000". */
export function equivalentText(equivalent: Equivalent | null, size: number): string {
  if (!equivalent) return '–';
  if (equivalent.kind === 'above') return `> ${sizeText(equivalent.size)}`;
  if (equivalent.kind === 'below') return `< ${sizeText(equivalent.size)}`;
  return `≈ ${sizeText(equivalent.size)} (${(equivalent.size / size).toFixed(1)}×)`;
}

/** The accuracy-vs-size chart of a study as inline SVG. */
export function studyChartSvg(result: StudyResult, width = 640, height = 380): string {
  const series: ChartSeries[] = result.curves.map((c, i) => ({
    name: c.label,
    color: CURVE_COLORS[i % CURVE_COLORS.length]!,
    markers: true,
    dashed: i >= CURVE_COLORS.length,
    points: c.points.map((p) => ({ x: p.size, y: p.mean ?? NaN, ...(p.std !== null ? { error: p.std } : {}) })),
  }));
  return lineChartSvg(series, {
    title: `${result.name}: ${result.metric}`,
    xLabel: 'training INRs (log scale)',
    yLabel: 'test accuracy (%)',
    width,
    height,
    xScale: 'log',
    xTicks: result.sizes,
    xFormat: sizeText,
    yFormat: (v) => String(Number((100 * v).toFixed(1))),
  });
}

function pointsTable(result: StudyResult): string {
  const head = `<tr><th scope="col">curve</th>${result.sizes.map((s) => `<th scope="col" class="num">${e(sizeText(s))}</th>`).join('')}</tr>`;
  const rows = result.curves.map(
    (c) =>
      `<tr><th scope="row">${e(c.label)}</th>${c.points
        .map(
          (p) =>
            `<td class="num">${p.mean === null ? '–' : `${percent(p.mean)} ± ${percent(p.std)}`}<div class="detail">${p.runs.length}/${result.seeds.length} seeds</div></td>`,
        )
        .join('')}</tr>`,
  );
  return `<table>\n<thead>${head}</thead>\n<tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

function equivalentsTable(result: StudyResult): string {
  const curves = result.curves.filter((c) => c.reference !== null);
  if (curves.length === 0) return '<p>The study has a single condition per group, so there is nothing to compare against.</p>';
  const label = (key: string | null) => result.curves.find((c) => c.key === key)?.label ?? key ?? '';
  const head = `<tr><th scope="col">curve</th><th scope="col">against</th>${result.sizes.map((s) => `<th scope="col" class="num">at ${e(sizeText(s))}</th>`).join('')}</tr>`;
  const rows = curves.map((c) => {
    const cells = result.sizes.map((size) => {
      const q = c.equivalents.find((x) => x.size === size);
      return `<td class="num">${q ? e(equivalentText(q.equivalent, size)) : '–'}</td>`;
    });
    return `<tr><th scope="row">${e(c.label)}</th><td>${e(label(c.reference))}</td>${cells.join('')}</tr>`;
  });
  return `<table>\n<thead>${head}</thead>\n<tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

function runsList(result: StudyResult): string {
  const rows = result.curves.flatMap((c) =>
    c.points.flatMap((p) =>
      p.runs.map(
        (r) =>
          `<tr><td><code>${e(r.name)}</code></td><td class="num">${e(sizeText(r.trainCount))}</td><td class="num">${r.seed}</td><td class="num">${percent(r.bestVal)}</td><td class="num">${r.bestEpoch ?? '–'}</td><td class="num">${percent(r.test)}</td></tr>`,
      ),
    ),
  );
  return `<table>\n<thead><tr><th scope="col">run (runs/…)</th><th scope="col" class="num">training INRs</th><th scope="col" class="num">seed</th><th scope="col" class="num">best val %</th><th scope="col" class="num">epoch</th><th scope="col" class="num">test %</th></tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

export interface StudyReportContext {
  /** Facts about the setup, as label → value lines (dataset, model, training, machine). */
  readonly setup: readonly (readonly [string, string])[];
}

export function studyReportHtml(result: StudyResult, context: StudyReportContext = { setup: [] }): string {
  const status = result.complete ? `complete: ${result.runsFinished} runs` : `in progress: ${result.runsFinished} of ${result.runsTotal} runs finished`;
  const failed = result.failed.length
    ? `<p class="failed">${result.failed.length} run(s) failed: ${result.failed.map((f) => `<code>${e(f.name)}</code> (${e(f.error)})`).join('; ')}</p>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${e(result.name)}: study</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 980px; padding: 0 16px; color: #111827; }
table { border-collapse: collapse; margin: 8px 0 18px; }
th, td { border-bottom: 1px solid #e5e7eb; padding: 4px 10px; text-align: left; vertical-align: top; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.detail { color: #6b7280; font-size: 11px; }
.failed { color: #b91c1c; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; }
dt { color: #4b5563; }
</style></head><body>
<h1>Study ${e(result.name)}</h1>
${result.description ? `<p>${e(result.description)}</p>` : ''}
<p>${e(status)}; ${e(result.metric)}, mean ± std over seeds ${e(result.seeds.join(', '))}. The test split is the same at every size and is never used for selection.</p>
${failed}
${context.setup.length ? `<dl>${context.setup.map(([k, v]) => `<dt>${e(k)}</dt><dd>${e(v)}</dd>`).join('')}</dl>` : ''}
<h2>Accuracy against training-set size</h2>
${studyChartSvg(result)}
<h2>Every point (test accuracy %, mean ± std)</h2>
${pointsTable(result)}
<h2>Data-equivalents</h2>
<p>How many training INRs the reference curve (the first condition) needs for the same mean accuracy, by interpolation in log(size) between measured sizes; never extrapolated ("&gt; N": better than the reference at its largest size).</p>
${equivalentsTable(result)}
<h2>Runs</h2>
${runsList(result)}
</body></html>
`;
}
