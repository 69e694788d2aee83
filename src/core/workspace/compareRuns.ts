/**
 * A side-by-side table of training runs from their run folders (summary.json, status, config.json), as
 * Markdown: the interim "Compare Runs…" view of the extension (issue 9 replaces it with a panel) and
 * anything else that wants the numbers in one place. Accuracies in percent; a value a run does not have
 * yet is "–".
 */
import { basename } from 'node:path';
import { readRunConfig, readStatus, readSummary, type RunStatus, type RunSummary } from '../train/runFolder';

export interface ComparedRun {
  readonly name: string;
  readonly dir: string;
  readonly status: RunStatus | undefined;
  readonly summary: RunSummary | undefined;
  readonly config: { readonly model?: { kind?: string; hidden?: number; layers?: number }; readonly augment?: readonly { name: string; p?: number }[]; readonly trainLimit?: number | null; readonly seed?: number } | undefined;
}

export async function readComparedRun(dir: string): Promise<ComparedRun> {
  const [status, summary, config] = await Promise.all([readStatus(dir), readSummary(dir), readRunConfig<ComparedRun['config']>(dir)]);
  return { name: basename(dir), dir, status, summary, config };
}

const pct = (x: number | null | undefined) => (x === null || x === undefined || Number.isNaN(x) ? '–' : `${(100 * x).toFixed(2)}%`);
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function duration(sec: number | undefined): string {
  if (sec === undefined || !Number.isFinite(sec)) return '–';
  return sec < 60 ? `${sec.toFixed(0)} s` : sec < 3600 ? `${(sec / 60).toFixed(1)} min` : `${(sec / 3600).toFixed(1)} h`;
}

export function compareRunsMarkdown(runs: readonly ComparedRun[], title = 'Run comparison'): string {
  const best = Math.max(...runs.map((r) => r.summary?.bestValAccuracy ?? -1));
  const header = ['run', 'state', 'best val acc', 'at epoch', 'test acc at best val', 'epochs', 'model', 'augment', 'train limit', 'seed', 'backend', 'duration'];
  const rows = runs.map((r) => {
    const s = r.summary;
    const model = r.config?.model;
    const augment = r.config?.augment?.length ? r.config.augment.map((a) => (a.p !== undefined && a.p !== 1 ? `${a.name} (p ${a.p})` : a.name)).join(', ') : 'none';
    const star = s?.bestValAccuracy !== null && s?.bestValAccuracy !== undefined && s.bestValAccuracy === best && runs.length > 1 ? ' ★' : '';
    return [
      r.name,
      r.status?.state ?? 'unknown',
      `${pct(s?.bestValAccuracy)}${star}`,
      String(s?.bestEpoch ?? '–'),
      pct(s?.testAccuracyAtBest),
      s ? `${s.epochsDone}/${s.epochs}` : '–',
      model ? `${model.kind ?? '?'} ${model.hidden ?? '?'}×${model.layers ?? '?'}` : '–',
      augment,
      String(r.config?.trainLimit ?? 'all'),
      String(r.config?.seed ?? '–'),
      s?.backend ?? '–',
      duration(s?.durationSec),
    ].map(cell);
  });
  const lines = [
    `# ${title}`,
    '',
    `${runs.length} run${runs.length === 1 ? '' : 's'}; ★ marks the best validation accuracy. Test accuracy is that of the best-validation checkpoint (never used for selection).`,
    '',
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
    '',
    ...runs.map((r) => `- \`${r.name}\`: ${r.dir}${r.status?.error ? ` — ${r.status.state}: ${cell(r.status.error)}` : ''}`),
    '',
  ];
  return lines.join('\n');
}
