/**
 * The inspector webview. The host pushes the file's header (or its typed error) and the page shows the
 * tensor table at once; then it asks for each tensor's statistics in table order, one at a time, and
 * fills the rows as answers arrive. Clicking a tensor asks for its histogram, heatmap and norms; a file
 * of INRs gets a live reconstruction (and, for a dataset shard, a thumbnail strip); "Compare with…"
 * diffs against a file the host lets the user pick. The view (header, statistics so far, sort, filter,
 * selection, INR choice) is kept in the webview state, so a panel hidden and shown again re-renders at
 * once. Tensor names and metadata come from untrusted files: all text goes in through textContent.
 */
import type { HostToInspector, InspectHeader, InspectorNotice, InspectorRpc, TensorStats, WireTensorValues } from '../../src/protocol';
import { toErrorInfo } from '../../src/protocol/errorInfo';
import { formatCountOf } from '../../src/protocol/display';
import { baseName, el } from '../shared/dom';
import { errorBox } from '../shared/errorBox';
import { createHostChannel } from '../shared/host';
import { actionButton, type VscodeButton } from '../shared/controls/button';
import { TensorDetail } from './detail';
import { DiffView } from './diff';
import { InrView, type InrViewState } from './inr';
import { renderMetadata } from './metadata';
import { TensorTable } from './table';
import { FILE_ORDER, type SortOrder } from './tableModel';
import type { ErrorInfo } from '../../src/protocol/errorInfo';

interface SavedState {
  readonly header?: InspectHeader;
  readonly error?: ErrorInfo;
  readonly stats: Readonly<Record<string, TensorStats>>;
  readonly order: SortOrder;
  readonly filter: string;
  readonly selected?: string;
  readonly inr: InrViewState;
}

const HISTOGRAM_BINS = 64;
/** A 1 GiB tensor takes seconds to tens of seconds on a busy machine: wait longer than the channel's default. */
const TENSOR_TIMEOUT_MS = 10 * 60_000;
/** The diff dialog waits for the user: give it time. */
const PICK_TIMEOUT_MS = 30 * 60_000;

const host = createHostChannel<InspectorRpc, InspectorNotice, HostToInspector, SavedState>();

let state: SavedState = host.getState() ?? { stats: {}, order: FILE_ORDER, filter: '', inr: { index: 0, resolution: 64 } };
/** Counts rendered headers: the statistics loop of an older header stops. */
let generation = 0;
let table: TensorTable | undefined;
let detail: TensorDetail | undefined;
let inrView: InrView | undefined;
let diffArea: HTMLElement | undefined;
/** Whether the next header is the first since the page loaded (it may match the saved one). */
let firstHeader = true;

function save(change: Partial<SavedState>): void {
  state = { ...state, ...change };
  host.setState(state);
}

// ── views ─────────────────────────────────────────────────────────────────────────────────────────

function renderError(error: ErrorInfo): HTMLElement {
  return errorBox(error, error.file ? 'Cannot inspect' : 'Cannot show this file', () => host.post({ type: 'refresh' }));
}

function renderHeader(header: InspectHeader): HTMLElement {
  const root = el('div', 'report');
  const totalParams = header.tensors.reduce((sum, t) => sum + t.params, 0);
  const top = el('header', 'report-header');
  const title = el('h1', 'file-name', baseName(header.file));
  title.title = header.file;
  const summary = el('p', 'summary');
  const count = header.tensors.length;
  summary.append(el('span', 'format', header.format), ` · ${formatCountOf(count, 'tensor')}`, ` · ${formatCountOf(totalParams, 'parameter')}`);
  const nonFinite = el('span', 'non-finite');
  summary.append(nonFinite);
  const actions = el('div', 'actions');
  actions.append(
    actionButton('refresh', 'Refresh', (b) => {
      b.disabled = true;
      host.post({ type: 'refresh' });
    }),
    actionButton('compare', 'Compare with…', (b) => void pickDiff(header, b), true),
  );
  top.append(title, summary, actions);
  root.append(top, renderMetadata(header.metadata));

  if (header.inrs) {
    inrView = new InrView(
      header.inrs,
      state.inr,
      (p) => host.request('reconstruct', p),
      (inr, name) => {
        save({ inr });
        if (header.inrs?.kind === 'shard') table?.setFilter(`${name}/`);
      },
    );
    root.append(inrView.element);
  } else inrView = undefined;

  diffArea = el('div', 'diff-area');
  root.append(diffArea);

  const known = new Map(Object.entries(state.stats));
  detail = new TensorDetail();
  table = new TensorTable(header.tensors, known, {
    order: state.order,
    filter: state.filter,
    selected: state.selected,
    onSelect: (name) => void selectTensor(name),
    onViewChange: (order, filter) => save({ order, filter }),
  });
  // The table and the selected tensor beside it (below it on narrow panels); the page is the only scroll container.
  const grid = el('div', 'main-grid');
  grid.append(table.element, detail.element);
  root.append(grid);

  const updateNonFinite = (): void => {
    const bad = Object.values(state.stats).filter((s) => s.nonFinite > 0).length;
    nonFinite.textContent = bad > 0 ? ` · ${bad} with NaN/Inf` : '';
  };
  updateNonFinite();
  void loadStats(++generation, updateNonFinite);
  if (state.selected && header.tensors.some((t) => t.name === state.selected)) void selectTensor(state.selected);
  return root;
}

/** Asks for the statistics of every tensor still without them, in table order, one at a time. */
async function loadStats(mine: number, onStats: () => void): Promise<void> {
  const names = table?.orderedNames() ?? [];
  for (const name of names) {
    if (mine !== generation) return;
    if (state.stats[name]) continue;
    let stats: TensorStats;
    try {
      stats = await host.request('tensorStats', { name }, TENSOR_TIMEOUT_MS);
    } catch (e) {
      if (mine !== generation) return;
      const error = toErrorInfo(e, '');
      showNotice(`Statistics of ${name} failed: ${error.message}`);
      if (error.code === 'no-answer') return;
      continue;
    }
    if (mine !== generation) return;
    save({ stats: { ...state.stats, [name]: stats } });
    table?.setStats(name, stats);
    onStats();
  }
}

function showNotice(text: string): void {
  const notice = document.querySelector('.notice') ?? document.querySelector('.report')?.insertBefore(el('p', 'notice'), document.querySelector('.main-grid'));
  if (notice) notice.textContent = text;
}

/** Shows a tensor's panel. Nothing scrolls: the table stays where the user clicked it. */
async function selectTensor(name: string): Promise<void> {
  if (!detail || !table) return;
  save({ selected: name });
  table.select(name);
  detail.showLoading(name);
  let values: WireTensorValues;
  try {
    values = await host.request('tensorValues', { name, bins: HISTOGRAM_BINS }, TENSOR_TIMEOUT_MS);
  } catch (e) {
    if (state.selected === name) detail.showContent(name, errorBox(toErrorInfo(e, ''), 'Cannot read'));
    return;
  }
  if (state.selected !== name) return;
  try {
    detail.show(values);
  } catch (e) {
    // A drawing failure still says what happened, never a blank or forever-loading panel.
    detail.showContent(name, errorBox({ code: 'render', file: '', message: `Could not draw this tensor: ${String(e)}` }, 'Cannot show'));
  }
  if (!state.stats[name]) {
    save({ stats: { ...state.stats, [name]: values.stats } });
    table.setStats(name, values.stats);
  }
}

async function pickDiff(header: InspectHeader, trigger: VscodeButton): Promise<void> {
  trigger.disabled = true;
  let other: InspectHeader | null;
  try {
    other = await host.request('pickDiffFile', {}, PICK_TIMEOUT_MS);
  } catch (e) {
    diffArea?.replaceChildren(errorBox(toErrorInfo(e, ''), 'Cannot compare with'));
    return;
  } finally {
    trigger.disabled = false;
  }
  if (!diffArea || other === null) return;
  const view = new DiffView(
    header,
    other,
    () => host.request('diff', {}),
    (p) => host.request('reconstruct', p),
    () => {
      host.post({ type: 'closeDiff' });
      diffArea?.replaceChildren();
    },
  );
  diffArea.replaceChildren(view.element);
  await view.load(state.inr.index, state.inr.resolution);
}

/** Replaces the page; a rendering failure still shows an error, never a blank page. */
function show(): void {
  let view: HTMLElement;
  try {
    if (state.error) view = renderError(state.error);
    else if (state.header) view = renderHeader(state.header);
    else view = el('p', 'status', 'Reading the weight file…');
  } catch (e) {
    view = renderError({ code: 'render', file: '', message: `The inspector could not show this result: ${String(e)}` });
  }
  document.body.replaceChildren(view);
}

host.onMessage((message) => {
  if (message.type === 'header') {
    const same = firstHeader && state.header !== undefined && JSON.stringify(state.header) === JSON.stringify(message.header);
    firstHeader = false;
    if (!same) save({ header: message.header, error: undefined, stats: {}, selected: undefined });
    else save({ error: undefined });
    show();
  } else if (message.type === 'error') {
    firstHeader = false;
    generation++;
    save({ header: undefined, error: message.error, stats: {}, selected: undefined });
    show();
  }
});

show();
host.post({ type: 'ready' });
