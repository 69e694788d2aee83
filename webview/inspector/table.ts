/**
 * The tensor table: one row per tensor (name, dtype, shape, #params from the header; min, max, mean,
 * std, zeros and NaN/Inf filled in as each tensor's statistics arrive), sortable by clicking a column
 * header (ascending, descending, file order; `aria-sort` shows which) and filtered by a search field.
 * Clicking a row (or Enter on it) selects the tensor. The table always fits its width (so NaN/Inf, the
 * last column, is never behind a horizontal scrollbar): the Name column takes what the others leave, names
 * wrap only at their '.' and '/' separators, and every other column can be resized from its header's
 * right edge. Names come from untrusted files: textContent only.
 */
import type { TensorHeader, TensorStats } from '../../src/protocol';
import { formatCount, formatNumber, formatPercent, formatShape } from '../../src/protocol/display';
import { el } from '../shared/dom';
import { textField, type VscodeTextfield } from '../shared/controls/textField';
import { addResizeHandle } from './columnResize';
import { tensorName } from './tensorName';
import { FILE_ORDER, filterRows, nextOrder, sortRows, type Row, type SortKey, type SortOrder } from './tableModel';

interface Column {
  readonly label: string;
  readonly key: SortKey;
  readonly numeric: boolean;
  readonly cell: (t: TensorHeader, s: TensorStats | undefined) => string;
  /** When true for a tensor, its cell is highlighted as a problem. */
  readonly alert?: (s: TensorStats) => boolean;
}

const PENDING = '…';
/** The Name column keeps at least this many CSS pixels when another column is widened. */
const NAME_MIN_WIDTH = 96;
/** No column gets narrower than this by resizing. */
const COLUMN_MIN_WIDTH = 32;
const stat = (f: (s: TensorStats) => string) => (_t: TensorHeader, s: TensorStats | undefined) => (s ? f(s) : PENDING);

const COLUMNS: readonly Column[] = [
  { label: 'Name', key: 'name', numeric: false, cell: (t) => t.name },
  { label: 'dtype', key: 'dtype', numeric: false, cell: (t) => t.dtype },
  { label: 'Shape', key: 'shape', numeric: false, cell: (t) => formatShape(t.shape) },
  { label: '#params', key: 'params', numeric: true, cell: (t) => formatCount(t.params) },
  { label: 'Min', key: 'min', numeric: true, cell: stat((s) => formatNumber(s.min)) },
  { label: 'Max', key: 'max', numeric: true, cell: stat((s) => formatNumber(s.max)) },
  { label: 'Mean', key: 'mean', numeric: true, cell: stat((s) => formatNumber(s.mean)) },
  { label: 'Std', key: 'std', numeric: true, cell: stat((s) => formatNumber(s.std)) },
  { label: 'Zeros', key: 'zerosPct', numeric: true, cell: stat((s) => formatPercent(s.zerosPct)) },
  { label: 'NaN/Inf', key: 'nonFinite', numeric: true, cell: stat((s) => formatCount(s.nonFinite)), alert: (s) => s.nonFinite > 0 },
];

export interface TensorTableOptions {
  readonly order: SortOrder;
  readonly filter: string;
  readonly selected: string | undefined;
  readonly onSelect: (name: string) => void;
  /** Called when the user changes the order or the filter (to save them in the webview state). */
  readonly onViewChange: (order: SortOrder, filter: string) => void;
}

export class TensorTable {
  readonly element: HTMLElement;
  private readonly rows: Row[];
  private readonly stats = new Map<string, TensorStats>();
  private readonly rowElements = new Map<string, HTMLTableRowElement>();
  private readonly body = el('tbody');
  private readonly headers = new Map<SortKey, HTMLTableCellElement>();
  private readonly count = el('span', 'filter-count');
  private readonly filterInput: VscodeTextfield;
  private order: SortOrder;
  private selected: string | undefined;
  private resortPending = false;

  constructor(
    tensors: readonly TensorHeader[],
    known: ReadonlyMap<string, TensorStats>,
    private readonly options: TensorTableOptions,
  ) {
    this.rows = tensors.map((tensor, index) => ({ index, tensor, stats: known.get(tensor.name) }));
    for (const [name, s] of known) this.stats.set(name, s);
    this.order = options.order;
    this.selected = options.selected;

    this.filterInput = textField(
      'filter',
      'search',
      'Filter by name, dtype or shape ("nan": tensors with NaN/Inf)',
      'Filter tensors',
      options.filter,
      (filter) => {
        this.render();
        this.options.onViewChange(this.order, filter);
      },
    );
    const toolbar = el('div', 'table-toolbar');
    toolbar.append(this.filterInput, this.count);

    const headRow = el('tr');
    const columns = el('colgroup');
    const table = el('table', 'tensors');
    for (const column of COLUMNS) {
      // Each column's default width is set in media/inspector.css (col.col-<key>); Name's is the rest.
      const col = el('col', `col-${column.key}`);
      columns.append(col);
      const th = el('th', column.numeric ? 'numeric' : 'text');
      th.scope = 'col';
      const button = el('button', 'sort', column.label);
      button.type = 'button';
      button.title = `Sort by ${column.label}`;
      button.addEventListener('click', () => {
        this.order = nextOrder(this.order, column.key);
        this.render();
        this.options.onViewChange(this.order, this.filterInput.value);
      });
      th.append(button);
      if (column.key !== 'name') {
        // As wide as the table allows while the Name column keeps its minimum.
        const max = () => th.getBoundingClientRect().width + (this.headers.get('name')?.getBoundingClientRect().width ?? 0) - NAME_MIN_WIDTH;
        addResizeHandle(th, col, column.label, { min: COLUMN_MIN_WIDTH, max });
      }
      this.headers.set(column.key, th);
      headRow.append(th);
    }
    const head = el('thead');
    head.append(headRow);
    table.append(columns, head, this.body);
    const wrapper = el('div', 'table-wrapper');
    wrapper.append(table);
    this.element = el('section', 'tensor-section');
    this.element.setAttribute('aria-label', 'Tensors');
    this.element.append(toolbar, wrapper);
    this.render();
  }

  /** The tensors in the order shown (all of them, ignoring the filter): the order to compute statistics in. */
  orderedNames(): string[] {
    return sortRows(this.rows, this.order).map((r) => r.tensor.name);
  }

  /** The statistics of one tensor arrived: fills its row; re-sorts (once per frame) when sorted by a statistic. */
  setStats(name: string, stats: TensorStats): void {
    this.stats.set(name, stats);
    const i = this.rows.findIndex((r) => r.tensor.name === name);
    if (i < 0) return;
    const row = { ...this.rows[i]!, stats };
    this.rows[i] = row;
    const tr = this.rowElements.get(name);
    if (tr) this.fillRow(tr, row);
    if (this.order.key !== 'index' && !['name', 'dtype', 'shape', 'params'].includes(this.order.key) && !this.resortPending) {
      this.resortPending = true;
      requestAnimationFrame(() => {
        this.resortPending = false;
        this.render();
      });
    }
  }

  select(name: string | undefined): void {
    this.selected = name;
    for (const [n, tr] of this.rowElements) tr.setAttribute('aria-selected', String(n === name));
  }

  setFilter(query: string): void {
    this.filterInput.value = query;
    this.render();
    this.options.onViewChange(this.order, query);
  }

  private render(): void {
    for (const [key, th] of this.headers) {
      if (this.order.key === key) th.setAttribute('aria-sort', this.order.direction);
      else th.removeAttribute('aria-sort');
    }
    const shown = filterRows(sortRows(this.rows, this.order), this.filterInput.value);
    this.count.textContent = shown.length === this.rows.length ? '' : `${shown.length} of ${this.rows.length}`;
    this.rowElements.clear();
    this.body.replaceChildren(
      ...shown.map((row) => {
        const tr = el('tr');
        tr.tabIndex = 0;
        tr.dataset.name = row.tensor.name;
        tr.setAttribute('aria-selected', String(row.tensor.name === this.selected));
        tr.addEventListener('click', () => this.options.onSelect(row.tensor.name));
        tr.addEventListener('keydown', (event) => {
          if (event.key === 'Enter' || event.key === ' ') {
            event.preventDefault();
            this.options.onSelect(row.tensor.name);
          }
        });
        this.fillRow(tr, row);
        this.rowElements.set(row.tensor.name, tr);
        return tr;
      }),
    );
    if (shown.length === 0) {
      const tr = el('tr');
      const td = el('td', 'status', 'No tensor matches the filter.');
      td.colSpan = COLUMNS.length;
      tr.append(td);
      this.body.append(tr);
    }
  }

  private fillRow(tr: HTMLTableRowElement, row: Row): void {
    tr.replaceChildren(
      ...COLUMNS.map((column) => {
        const text = column.cell(row.tensor, row.stats);
        const td = el('td', column.numeric ? 'numeric' : 'text');
        // The whole text on hover, for a cell too narrow to show it.
        if (text !== PENDING) td.title = text;
        if (column.key === 'name') td.append(tensorName(text));
        else td.textContent = text;
        if (text === PENDING) td.classList.add('pending');
        if (row.stats && column.alert?.(row.stats)) td.classList.add('non-finite');
        return td;
      }),
    );
  }
}

export { FILE_ORDER };
