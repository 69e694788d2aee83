/**
 * The diff against another weight file (picked in the host's dialog): per tensor, ‖a − b‖₂, max |a − b|
 * and ‖a − b‖₂ / ‖a‖₂, or why it was not compared (only in one file, different shapes); when both files
 * hold INRs, the two reconstructions side by side.
 */
import type { DiffReport, InspectHeader, TensorDiff } from '../../src/protocol';
import { toErrorInfo } from '../../src/protocol/errorInfo';
import { formatNumber, formatShape } from '../../src/protocol/display';
import { baseName, el } from '../shared/dom';
import { errorBox } from '../shared/errorBox';
import { actionButton } from '../shared/controls/button';
import { drawReconstruction, failureText, type ReconstructRequester } from './inr';

type Requester = () => Promise<DiffReport>;

const STATUS_TEXT: Record<TensorDiff['status'], string> = {
  compared: '',
  'shape-mismatch': 'different shapes',
  'only-in-file': 'only in this file',
  'only-in-other': 'only in the other file',
};

export class DiffView {
  readonly element = el('section', 'diff');

  constructor(
    private readonly header: InspectHeader,
    private readonly other: InspectHeader,
    private readonly requestDiff: Requester,
    private readonly requestReconstruction: ReconstructRequester,
    onClose: () => void,
  ) {
    this.element.setAttribute('aria-label', 'Diff');
    const title = el('h2', undefined, 'Difference to ');
    const name = el('span', 'file-name', baseName(other.file));
    name.title = other.file;
    title.append(name);
    const close = actionButton('close-diff', 'Close diff', onClose, true);
    const heading = el('div', 'section-heading');
    heading.append(title, close);
    this.element.append(heading, el('p', 'status', 'Comparing…'));
  }

  /** Asks for the diff (and the reconstructions) and fills the section. */
  async load(inrIndex: number, resolution: number): Promise<void> {
    const status = this.element.querySelector('p.status')!;
    if (this.header.inrs && this.other.inrs) void this.sideBySide(inrIndex, resolution);
    let diff: DiffReport;
    try {
      diff = await this.requestDiff();
    } catch (e) {
      status.replaceWith(errorBox(toErrorInfo(e, ''), 'Cannot compare with'));
      return;
    }
    status.remove();
    this.element.append(this.table(diff.tensors));
  }

  private table(rows: readonly TensorDiff[]): HTMLElement {
    const compared = rows.filter((r) => r.status === 'compared').length;
    const summary = el('p', 'diff-summary', `${compared} of ${rows.length} tensors compared`);
    const table = el('table', 'diff-table');
    const head = el('tr');
    for (const label of ['Name', 'Shape', 'L2 of difference', 'Max |difference|', 'Relative L2', 'Note']) {
      const th = el('th', label === 'Name' || label === 'Shape' || label === 'Note' ? 'text' : 'numeric', label);
      th.scope = 'col';
      head.append(th);
    }
    const thead = el('thead');
    thead.append(head);
    const body = el('tbody');
    for (const row of rows) {
      const tr = el('tr');
      tr.dataset.status = row.status;
      const shape =
        row.shape && row.otherShape && row.status === 'shape-mismatch'
          ? `${formatShape(row.shape)} vs ${formatShape(row.otherShape)}`
          : formatShape(row.shape ?? row.otherShape ?? []);
      tr.append(
        el('td', 'text', row.name),
        el('td', 'text', shape),
        el('td', 'numeric', formatNumber(row.l2)),
        el('td', 'numeric', formatNumber(row.maxAbs)),
        el('td', 'numeric', row.relative === null ? '—' : `${formatNumber(row.relative * 100, 3)}%`),
        el('td', 'text status', STATUS_TEXT[row.status]),
      );
      body.append(tr);
    }
    table.append(thead, body);
    const wrapper = el('div', 'table-wrapper');
    wrapper.append(summary, table);
    return wrapper;
  }

  private async sideBySide(index: number, resolution: number): Promise<void> {
    const area = el('div', 'side-by-side');
    this.element.append(area);
    const sources = [
      ['file', this.header],
      ['other', this.other],
    ] as const;
    for (const [source, header] of sources) {
      const figure = el('figure', 'inr-figure');
      const canvas = el('canvas', `reconstruction ${source}`);
      const caption = el('figcaption', 'inr-label', baseName(header.file));
      figure.append(canvas, caption);
      area.append(figure);
      const catalog = header.inrs!;
      const i = Math.min(index, catalog.names.length - 1);
      try {
        const r = await this.requestReconstruction({ source, index: i, resolution, view: null });
        drawReconstruction(canvas, r, 192);
        caption.textContent = `${baseName(header.file)} · ${r.name}${r.label !== null ? ` · label ${r.label}` : ''}`;
      } catch (e) {
        caption.textContent = `${baseName(header.file)}: ${failureText(e)}`;
      }
    }
  }
}
