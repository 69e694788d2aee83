/**
 * The run comparison panel: loss and accuracy curves of the runs the host sends (train solid, val dashed,
 * a key to the styles above them) over steps, epochs or wall time; TensorBoard smoothing, light by default,
 * with the raw values drawn faintly behind; seeds of one config grouped as mean ± std (a note says when
 * no runs can be grouped); the run list (show/hide, click to highlight, as clicking a curve does); the
 * best-vs-last and differing hyper-parameter tables; export of the charts as PNG and of the tables as CSV
 * (saved by the host); live updates as the host appends the records of running runs. Run names and config
 * values are untrusted: text goes in through textContent only. The view settings survive hiding the
 * panel (webview state). Controls are @vscode-elements/elements components (themed by VS Code's
 * variables); the smoothing slider stays a native range input, which the library lacks. With a study (the
 * host sends its study.json), the panel also has the Study view (studyView.ts): accuracy against
 * training-set size; a click on a point shows its runs here. As a run view (the host sends `runView`:
 * "Open Run" on one run) it also shows the run's state, config and buttons (runView.ts), without what
 * only a comparison needs (the run list, grouping, "Add runs…", the differing hyper-parameters).
 */
import type { CompareRpc, CompareRun, CompareToHost, HostToCompare, RunViewWire } from '../../src/protocol/compare';
import { COMPARE_SPLITS } from '../../src/protocol/compare';
import { createHostChannel } from '../shared/host';
import { clear, el } from '../shared/dom';
import { errorBox } from '../shared/errorBox';
import { CurveChart, type ChartLook } from './charts';
import { toCsv } from './csv';
import { buildCurves, CURVE_SPLITS, type CurveSplit } from './curves';
import { groupRuns } from './grouping';
import { palette, rgba, type Rgb } from './palette';
import { appendColumns, decodeColumns, decodeRun, type RunData, type XAxis } from './series';
import { bestVsLast, configCell, hyperParameterKeys, tableRows } from './tables';
import { breakableName } from './breakableName';
import { renderLegend } from './legend';
import { composeChartsPng } from './exportPng';
import { actionButton, type VscodeButton } from '../shared/controls/button';
import { checkbox } from '../shared/controls/checkbox';
import { singleSelect } from '../shared/controls/select';
import { StudyView } from './studyView';
import { RunViewParts } from './runView';
import type { ErrorInfo } from '../../src/protocol/errorInfo';

interface ViewState {
  axis: XAxis;
  splits: CurveSplit[];
  smoothing: number;
  grouped: boolean;
  hidden: string[];
}

/**
 * Smoothing 0.2 by default (TensorBoard's is 0.6): the smoothed line's last point is off the recorded one
 * by w × the last jump, and a 0.6 line drawn over 8–20 validation epochs ends visibly away from the
 * tables' last value (the issue's 25% against 10%). 0.2 still takes the edge off train noise, and the raw
 * values are drawn behind it anyway; the slider goes to 0.99. (A state saved before keeps its value.)
 */
const DEFAULT_VIEW: ViewState = { axis: 'step', splits: ['train', 'val'], smoothing: 0.2, grouped: false, hidden: [] };

const host = createHostChannel<CompareRpc, CompareToHost, HostToCompare, ViewState>();
const view: ViewState = { ...DEFAULT_VIEW, ...host.getState() };
let runs: RunData[] = [];
let highlight: string | undefined;
let colours: Rgb[] = [];
/** Set once the host said this panel is a run view. */
let runViewInfo: RunViewWire | undefined;

// ── page skeleton ─────────────────────────────────────────────────────────────────────────────────

const root = el('main', 'compare');
root.dataset.view = 'runs';
const viewTabs = el('div', 'view-tabs');
viewTabs.setAttribute('role', 'tablist');
const toolbar = el('div', 'toolbar');
toolbar.setAttribute('role', 'toolbar');
const statusLine = el('p', 'status');
statusLine.setAttribute('role', 'status');
const errorArea = el('div', 'error-area');
const groupNote = el('p', 'note group-note');
groupNote.setAttribute('role', 'status');
groupNote.hidden = true;
const legend = el('div', 'chart-legend');
legend.setAttribute('aria-label', 'Line styles');
const chartsArea = el('section', 'charts');
const runsArea = el('section', 'runs');
const bestArea = el('section', 'best');
const hyperArea = el('section', 'hyper');
root.append(viewTabs, toolbar, groupNote, errorArea, statusLine, legend, chartsArea, runsArea, bestArea, hyperArea);
document.body.append(root);
const runViewParts = new RunViewParts((message) => host.post(message));
root.insertBefore(runViewParts.header, viewTabs);
root.append(runViewParts.config);

const css = getComputedStyle(document.documentElement);
const look: ChartLook = {
  foreground: css.getPropertyValue('--vscode-foreground').trim() || '#cccccc',
  grid: css.getPropertyValue('--vscode-editorWidget-border').trim() || 'rgba(128, 128, 128, 0.25)',
  font: css.getPropertyValue('--vscode-font-family').trim() || 'sans-serif',
};

const onPick = (owner: string | undefined) => {
  highlight = owner === undefined || owner === highlight ? undefined : owner;
  render();
};
const lossChart = new CurveChart('Loss', look, onPick);
const accuracyChart = new CurveChart('Accuracy', look, onPick);
chartsArea.append(lossChart.figure, accuracyChart.figure);

const studyView = new StudyView(
  look,
  (count) => palette(count, (name) => css.getPropertyValue(name), toRgb),
  (curve, size) => host.post({ type: 'openStudyPoint', curve, size }),
);
root.insertBefore(studyView.section, toolbar);

/** Shows the Study view or the runs view (the tabs appear once there is a study). */
function showView(which: 'study' | 'runs'): void {
  root.dataset.view = which;
  for (const tab of viewTabs.children) (tab as VscodeButton).secondary = (tab as HTMLElement).dataset.view !== which;
  if (which === 'runs') scheduleRender();
}

function buildViewTabs(): void {
  for (const [which, text] of [
    ['study', 'Study'],
    ['runs', 'Runs'],
  ] as const) {
    const tab = button(text, `view-tab view-${which}`, () => showView(which));
    tab.dataset.view = which;
    tab.setAttribute('role', 'tab');
    viewTabs.append(tab);
  }
}

/** Any CSS colour to RGB, through a 1×1 canvas (handles names, hex, rgb(), hsl(), color-mix()). */
const probe = document.createElement('canvas').getContext('2d', { willReadFrequently: true });
function toRgb(colour: string): Rgb | undefined {
  if (!probe) return undefined;
  probe.clearRect(0, 0, 1, 1);
  probe.fillStyle = '#000000';
  probe.fillStyle = colour;
  probe.fillRect(0, 0, 1, 1);
  const [r, g, b, a] = probe.getImageData(0, 0, 1, 1).data;
  return a ? [r!, g!, b!] : undefined;
}

// ── toolbar ───────────────────────────────────────────────────────────────────────────────────────

function saveView(): void {
  host.setState({ ...view, hidden: [...view.hidden] });
}

function labelled(text: string, control: HTMLElement, className?: string): HTMLLabelElement {
  const label = el('label', className);
  label.append(el('span', 'label-text', text), control);
  return label;
}

/** A secondary vscode-button (every action of this panel is secondary to the charts). */
const button = (text: string, className: string, onClick: () => void): VscodeButton => actionButton(className, text, onClick, true);

function buildToolbar(): void {
  const axisOptions = [
    ['step', 'steps'],
    ['epoch', 'epochs'],
    ['time', 'wall time'],
  ] as const;
  const axis = singleSelect('axis', 'X axis', axisOptions, view.axis, (value) => {
    if (!axisOptions.some(([v]) => v === value)) return;
    view.axis = value as XAxis;
    saveView();
    render();
  });

  const splits = el('span', 'splits');
  for (const split of CURVE_SPLITS) {
    splits.append(
      checkbox(`split-${split}`, split, view.splits.includes(split), (checked) => {
        view.splits = CURVE_SPLITS.filter((s) => (s === split ? checked : view.splits.includes(s)));
        saveView();
        render();
      }),
    );
  }

  const slider = el('input', 'smoothing');
  slider.type = 'range';
  slider.min = '0';
  slider.max = '0.99';
  slider.step = '0.01';
  slider.value = String(view.smoothing);
  const value = el('output', 'smoothing-value', view.smoothing.toFixed(2));
  slider.addEventListener('input', () => {
    view.smoothing = Math.min(0.99, Math.max(0, Number(slider.value)));
    value.textContent = view.smoothing.toFixed(2);
    scheduleRender();
  });
  slider.addEventListener('change', saveView);
  const smoothing = labelled('Smoothing', slider, 'smoothing-control');
  smoothing.append(value);

  const group = checkbox('group', 'group seeds (mean ± std)', view.grouped, (checked) => {
    view.grouped = checked;
    highlight = undefined;
    saveView();
    render();
  });
  group.title = 'Runs whose configs differ only in the seed become one curve: the mean, with a band of ± one standard deviation';

  const actions = el('span', 'actions');
  actions.append(
    button('Add runs…', 'add-runs', () => host.post({ type: 'pickRuns' })),
    button('Export PNG', 'export-png', () => void exportFile('png')),
    button('Export CSV', 'export-csv', () => void exportFile('csv')),
  );
  toolbar.append(labelled('X axis', axis), splits, smoothing, group, el('span', 'spacer'), actions);
}

// ── rendering ─────────────────────────────────────────────────────────────────────────────────────

// A run view has no run list to show a hidden run again, nor anything to group.
const visibleRuns = () => runs.filter((r) => (runViewInfo !== undefined || !view.hidden.includes(r.id)) && !r.error);

let pending = 0;
function scheduleRender(): void {
  if (!pending) pending = requestAnimationFrame(() => render());
}

function render(): void {
  const t0 = performance.now();
  if (pending) cancelAnimationFrame(pending);
  pending = 0;
  const shown = visibleRuns();
  const groups = view.grouped && !runViewInfo ? groupRuns(shown) : undefined;
  colours = palette(Math.max(groups?.length ?? 0, runs.length), (name) => css.getPropertyValue(name), toRgb);
  const colourOf = new Map(runs.map((r, i) => [r.id, i]));
  const options = { axis: view.axis, splits: view.splits, smoothing: view.smoothing, groups };
  const xTitle = view.axis === 'time' ? 'wall time (s)' : view.axis;
  for (const [chart, metric] of [
    [lossChart, 'loss'],
    [accuracyChart, 'accuracy'],
  ] as const) {
    // Without groups a run keeps its colour whichever runs are hidden: colour = its index among all runs.
    const c0 = performance.now();
    const curves = buildCurves(shown, { ...options, metric }).map((c) => (groups ? c : { ...c, colour: colourOf.get(c.owner)! }));
    const curvesMs = performance.now() - c0;
    chart.show({ curves, colours, highlight, xTitle, percent: metric === 'accuracy' });
    chart.figure.dataset.timing = `smooth+group ${curvesMs.toFixed(0)} ms, ${chart.figure.dataset.timing ?? ''}`;
  }
  renderLegend(legend, { splits: view.splits, smoothing: view.smoothing, bands: groups?.some((g) => g.members.length > 1) ?? false });
  renderGroupNote(groups);
  renderRunList(groups);
  renderTables(shown);
  renderStatus();
  // How long smoothing, grouping, decimation, drawing and the tables took: the bench reads it.
  root.dataset.renderMs = (performance.now() - t0).toFixed(1);
  root.dataset.renders = String(Number(root.dataset.renders ?? 0) + 1);
}

function renderStatus(): void {
  const running = runs.filter((r) => r.state === 'running').length;
  const points = runs.reduce((n, r) => n + COMPARE_SPLITS.reduce((m, s) => m + r.metrics[s].step.length, 0), 0);
  const parts = [`${runs.length} run${runs.length === 1 ? '' : 's'}`, `${points.toLocaleString('en-US')} points`];
  if (running) parts.push(`${running} running (live)`);
  if (highlight)
    parts.push(`highlighted: ${runs.find((r) => r.id === highlight)?.name ?? groupRuns(visibleRuns()).find((g) => g.key === highlight)?.label ?? ''}`);
  statusLine.textContent = parts.join(' · ');
}

/** With "group seeds" ticked and no two runs sharing a config but the seed, says so instead of doing nothing visible. */
function renderGroupNote(groups: ReturnType<typeof groupRuns> | undefined): void {
  groupNote.hidden = !groups || groups.length === 0 || groups.some((g) => g.members.length > 1);
  groupNote.textContent = groupNote.hidden ? '' : 'Nothing to group: no two runs shown have the same config apart from the seed.';
}

function swatch(colour: Rgb | undefined): HTMLElement {
  const s = el('span', 'swatch');
  if (colour) s.style.backgroundColor = rgba(colour);
  return s;
}

function renderRunList(groups: ReturnType<typeof groupRuns> | undefined): void {
  clear(runsArea);
  runsArea.append(el('h2', undefined, 'Runs'));
  const list = el('ul', 'run-list');
  const groupIndex = new Map<string, number>();
  groups?.forEach((g, i) => g.members.forEach((id) => groupIndex.set(id, i)));
  runs.forEach((run, i) => {
    const item = el('li', 'run');
    item.dataset.state = run.state;
    if (highlight !== undefined && (highlight === run.id || groups?.[groupIndex.get(run.id) ?? -1]?.key === highlight)) item.classList.add('highlighted');
    const shown = !view.hidden.includes(run.id) && !run.error;
    const box = checkbox(
      'show-run',
      `show ${run.name}`,
      shown,
      (checked) => {
        view.hidden = checked ? view.hidden.filter((id) => id !== run.id) : [...view.hidden, run.id];
        saveView();
        render();
      },
      false,
    );
    box.disabled = run.error !== undefined;
    const colour = groups ? (groupIndex.has(run.id) ? colours[groupIndex.get(run.id)!] : undefined) : colours[i];
    const name = button(run.name, 'run-name', () => onPick(groups ? groups[groupIndex.get(run.id) ?? -1]?.key : run.id));
    // The highlighted run's button is the primary one.
    name.secondary = !item.classList.contains('highlighted');
    name.title = 'Highlight this run’s curves';
    item.append(box, swatch(shown ? colour : undefined), name, el('span', `state state-${run.state}`, run.state));
    if (run.reason) item.append(el('span', 'reason', run.reason));
    if (run.error) {
      const problem = el('span', 'run-error', `${run.error.code}: ${run.error.message}`);
      problem.setAttribute('role', 'alert');
      item.append(problem);
    }
    list.append(item);
  });
  runsArea.append(list);
}

const pct = (v: number | null) => (v === null ? '–' : `${(100 * v).toFixed(2)}%`);
const num = (v: number | null, digits = 4) => (v === null ? '–' : Number(v.toPrecision(digits)).toString());
const seconds = (v: number | null) =>
  v === null ? '–' : v < 60 ? `${v.toFixed(0)} s` : v < 3600 ? `${(v / 60).toFixed(1)} min` : `${(v / 3600).toFixed(2)} h`;

function table(className: string, header: readonly string[], rows: readonly (readonly (string | HTMLElement)[])[]): HTMLTableElement {
  const t = el('table', className);
  const head = el('tr');
  for (const h of header) head.append(el('th', undefined, h));
  t.append(el('thead'), el('tbody'));
  t.tHead!.append(head);
  for (const row of rows) {
    const tr = el('tr');
    for (const cell of row) {
      const td = el('td');
      td.append(cell);
      tr.append(td);
    }
    t.tBodies[0]!.append(tr);
  }
  return t;
}

function renderTables(shown: readonly RunData[]): void {
  clear(bestArea);
  clear(hyperArea);
  bestArea.append(el('h2', undefined, 'Best vs last'));
  const rows = shown.map(bestVsLast);
  const top = Math.max(...rows.map((r) => r.bestValAccuracy ?? -1));
  bestArea.append(
    table(
      'best-table',
      ['run', 'state', 'best val acc', 'at epoch', 'test acc at best', 'last val acc', 'last train loss', 'epoch', 'time'],
      rows.map((r) => [
        breakableName(r.name),
        r.state,
        `${pct(r.bestValAccuracy)}${rows.length > 1 && r.bestValAccuracy === top ? ' ★' : ''}`,
        r.bestEpoch === null ? '–' : String(r.bestEpoch),
        pct(r.testAccuracyAtBest),
        pct(r.lastValAccuracy),
        num(r.lastTrainLoss),
        r.lastEpoch === null ? '–' : `${r.lastEpoch}${r.epochs ? `/${r.epochs}` : ''}`,
        seconds(r.time),
      ]),
    ),
  );
  bestArea.append(el('p', 'note', '★ best validation accuracy. Test accuracy is that of the best-validation epoch (never used for selection).'));
  hyperArea.append(el('h2', undefined, 'Hyper-parameters that differ'));
  const keys = hyperParameterKeys(shown.map((r) => r.config));
  if (shown.length < 2) hyperArea.append(el('p', 'note', 'Show two runs or more to see what differs.'));
  else if (keys.length === 0) hyperArea.append(el('p', 'note', 'The hyper-parameters are identical.'));
  else
    hyperArea.append(
      table(
        'hyper-table',
        ['run', ...keys],
        shown.map((r) => [breakableName(r.name), ...keys.map((k) => configCell(k, Object.hasOwn(r.config, k) ? r.config[k] : undefined))]),
      ),
    );
}

// ── export ────────────────────────────────────────────────────────────────────────────────────────

const stamp = () => new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');

async function exportFile(format: 'png' | 'csv'): Promise<void> {
  const data =
    format === 'png'
      ? composeChartsPng(
          [lossChart, accuracyChart].map((c) => ({ title: c.title, canvas: c.canvas })),
          { background: css.getPropertyValue('--vscode-editor-background').trim() || '#1e1e1e', foreground: look.foreground, font: look.font },
        )
      : toCsv(tableRows(visibleRuns()));
  statusLine.textContent = `Exporting ${format.toUpperCase()}…`;
  try {
    const file = await host.request('save', { format, name: `run-comparison-${stamp()}.${format}`, data });
    statusLine.textContent = file ? `Saved ${file}` : 'Export cancelled.';
  } catch (e) {
    statusLine.textContent = `Export failed: ${(e as Error).message}`;
  }
}

// ── messages ──────────────────────────────────────────────────────────────────────────────────────

function showError(error: ErrorInfo): void {
  clear(errorArea);
  errorArea.append(errorBox(error, 'Cannot read', () => host.post({ type: 'ready' })));
}

function decodeRuns(list: readonly CompareRun[]): RunData[] {
  return list.map((run) => {
    try {
      return decodeRun(run);
    } catch (e) {
      const empty = decodeRun({
        ...run,
        metrics: Object.fromEntries(COMPARE_SPLITS.map((s) => [s, { step: '', epoch: '', time: '', loss: '', accuracy: '' }])) as CompareRun['metrics'],
      });
      return { ...empty, error: { code: 'bad-message', file: run.name, message: (e as Error).message } };
    }
  });
}

host.onMessage((message) => {
  switch (message.type) {
    case 'runs':
      clear(errorArea);
      runs = decodeRuns(message.runs);
      view.hidden = view.hidden.filter((id) => runs.some((r) => r.id === id));
      if (highlight && !runs.some((r) => r.id === highlight)) highlight = undefined;
      root.classList.toggle('empty', runs.length === 0);
      render();
      break;
    case 'append': {
      const run = runs.find((r) => r.id === message.id);
      if (!run) break;
      try {
        appendColumns(run, Object.fromEntries(COMPARE_SPLITS.map((s) => [s, decodeColumns(message.metrics[s], `append ${run.name} ${s}`)])) as never);
      } catch (e) {
        showError({ code: 'bad-message', file: run.name, message: (e as Error).message });
        break;
      }
      run.state = message.state;
      run.summary = message.summary;
      scheduleRender();
      break;
    }
    case 'error':
      showError(message.error);
      break;
    case 'study': {
      const first = !root.classList.contains('has-study');
      root.classList.add('has-study');
      studyView.show(message.study);
      if (message.error) showError(message.error);
      if (first && runs.length === 0) showView('study');
      break;
    }
    case 'view':
      showView(message.view);
      break;
    case 'runView': {
      const first = runViewInfo === undefined;
      runViewInfo = message.run;
      root.dataset.mode = 'run';
      runViewParts.show(message.run, runs.find((r) => r.id === message.run.id)?.config ?? {});
      if (first) render();
      break;
    }
  }
});

buildViewTabs();
buildToolbar();
statusLine.textContent = 'Reading the runs…';
host.post({ type: 'ready' });
