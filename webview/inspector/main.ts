/**
 * The inspector webview: renders the report of one weight file (header, metadata and a table of
 * tensor statistics) or an error box. It only renders what the host sends; it keeps the last message
 * in the webview state, so a panel hidden and shown again re-renders without asking the host.
 * Tensor names and metadata come from untrusted files: all text goes in through textContent.
 */
import type { HostToInspector, InspectorToHost, InspectReport, TensorReport } from '../../src/protocol';
import { formatCount, formatNumber, formatPercent, formatShape } from '../../src/protocol/display';

const vscode = acquireVsCodeApi<HostToInspector>();

function post(message: InspectorToHost): void {
  vscode.postMessage(message);
}

// ── formatting ────────────────────────────────────────────────────────────────────────────────────

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

// ── DOM helpers ───────────────────────────────────────────────────────────────────────────────────

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}

function refreshButton(label: string): HTMLButtonElement {
  const button = el('button', 'refresh', label);
  button.type = 'button';
  button.addEventListener('click', () => {
    button.disabled = true;
    post({ type: 'refresh' });
  });
  return button;
}

// ── views ─────────────────────────────────────────────────────────────────────────────────────────

function renderLoading(): HTMLElement {
  return el('p', 'status', 'Reading the weight file…');
}

function renderError(error: { code: string; file: string; message: string }): HTMLElement {
  const box = el('div', 'error-box');
  box.setAttribute('role', 'alert');
  const title = el('h1', 'error-title', error.file ? 'Cannot inspect ' : 'Cannot show this file');
  if (error.file) {
    const name = el('span', 'file-name', baseName(error.file));
    name.title = error.file;
    title.append(name);
  }
  const code = el('p', 'error-code');
  code.append('Error code: ', el('code', undefined, error.code));
  box.append(title, code, el('p', 'error-message', error.message), refreshButton('Try again'));
  return box;
}

function renderReport(report: InspectReport): HTMLElement {
  const root = el('div', 'report');
  const totalParams = report.tensors.reduce((sum, t) => sum + t.params, 0);

  const header = el('header', 'report-header');
  const title = el('h1', 'file-name', baseName(report.file));
  title.title = report.file;
  const summary = el('p', 'summary');
  const tensorCount = report.tensors.length;
  summary.append(
    el('span', 'format', report.format),
    ` · ${formatCount(tensorCount)} ${tensorCount === 1 ? 'tensor' : 'tensors'}`,
    ` · ${formatCount(totalParams)} parameters`,
  );
  const nonFiniteTensors = report.tensors.filter((t) => t.nonFinite > 0).length;
  if (nonFiniteTensors > 0) {
    summary.append(' · ', el('span', 'non-finite', `${nonFiniteTensors} with NaN/Inf`));
  }
  header.append(title, summary, refreshButton('Refresh'));
  root.append(header, renderMetadata(report.metadata), renderTensorTable(report.tensors));
  return root;
}

function renderMetadata(metadata: Readonly<Record<string, string>>): HTMLElement {
  const entries = Object.entries(metadata);
  if (entries.length === 0) return el('p', 'status', 'No metadata.');
  const list = el('dl', 'metadata');
  for (const [key, value] of entries) list.append(el('dt', undefined, key), el('dd', undefined, value));
  return list;
}

interface Column {
  readonly label: string;
  readonly numeric: boolean;
  readonly cell: (t: TensorReport) => string;
  /** When true for a tensor, its cell is highlighted as a problem. */
  readonly alert?: (t: TensorReport) => boolean;
}

const COLUMNS: readonly Column[] = [
  { label: 'Name', numeric: false, cell: (t) => t.name },
  { label: 'dtype', numeric: false, cell: (t) => t.dtype },
  { label: 'Shape', numeric: false, cell: (t) => formatShape(t.shape) },
  { label: '#params', numeric: true, cell: (t) => formatCount(t.params) },
  { label: 'Min', numeric: true, cell: (t) => formatNumber(t.min) },
  { label: 'Max', numeric: true, cell: (t) => formatNumber(t.max) },
  { label: 'Mean', numeric: true, cell: (t) => formatNumber(t.mean) },
  { label: 'Std', numeric: true, cell: (t) => formatNumber(t.std) },
  { label: 'Zeros', numeric: true, cell: (t) => formatPercent(t.zerosPct) },
  { label: 'NaN/Inf', numeric: true, cell: (t) => formatCount(t.nonFinite), alert: (t) => t.nonFinite > 0 },
];

function renderTensorTable(tensors: readonly TensorReport[]): HTMLElement {
  if (tensors.length === 0) return el('p', 'status', 'The file holds no tensors.');
  const headRow = el('tr');
  for (const column of COLUMNS) {
    const th = el('th', column.numeric ? 'numeric' : 'text', column.label);
    th.scope = 'col';
    headRow.append(th);
  }
  const head = el('thead');
  head.append(headRow);
  const body = el('tbody');
  for (const tensor of tensors) {
    const row = el('tr');
    for (const column of COLUMNS) {
      const td = el('td', column.numeric ? 'numeric' : 'text', column.cell(tensor));
      if (column.alert?.(tensor)) td.classList.add('non-finite');
      row.append(td);
    }
    body.append(row);
  }
  const table = el('table', 'tensors');
  table.append(head, body);
  const wrapper = el('div', 'table-wrapper');
  wrapper.append(table);
  return wrapper;
}

// ── wiring ────────────────────────────────────────────────────────────────────────────────────────

/** Replaces the page with the view of a message; a rendering failure still shows an error, never a blank page. */
function show(message: HostToInspector | undefined): void {
  let view: HTMLElement;
  try {
    if (message === undefined) view = renderLoading();
    else if (message.type === 'report') view = renderReport(message.report);
    else view = renderError(message.error);
  } catch (e) {
    view = renderError({ code: 'render', file: '', message: `The inspector could not show this result: ${String(e)}` });
  }
  document.body.replaceChildren(view);
}

window.addEventListener('message', (event: MessageEvent<HostToInspector>) => {
  const message = event.data;
  if (message?.type !== 'report' && message?.type !== 'error') return;
  vscode.setState(message);
  show(message);
});

const saved = vscode.getState();
show(saved);
if (saved === undefined) post({ type: 'ready' });
