/**
 * Resizable table columns: a handle on a header cell's right edge that, dragged with the pointer (or moved
 * with the arrow keys when focused), sets the width of the column's <col>. The table is laid out with
 * `table-layout: fixed` at 100 % width and one flexible column (the names) that takes the width the
 * others leave, so a column never pushes the last ones out of view: `limit` keeps the flexible column at
 * least its minimum. Widths are in CSS pixels.
 */
import { el } from '../shared/dom';

export interface ResizeLimit {
  /** The narrowest the column may get. */
  readonly min: number;
  /** The widest it may get now (so the flexible column keeps its minimum). */
  readonly max: () => number;
}

const KEY_STEP = 16;

/** Adds a resize handle for `col` to `th`; `label` names the column for screen readers. */
export function addResizeHandle(th: HTMLTableCellElement, col: HTMLTableColElement, label: string, limit: ResizeLimit): void {
  const handle = el('span', 'col-resize');
  handle.setAttribute('role', 'separator');
  handle.setAttribute('aria-orientation', 'vertical');
  handle.setAttribute('aria-label', `Resize the ${label} column`);
  handle.title = 'Drag to resize';
  handle.tabIndex = 0;
  const setWidth = (width: number): void => {
    col.style.width = `${Math.round(Math.max(limit.min, Math.min(limit.max(), width)))}px`;
  };
  handle.addEventListener('pointerdown', (event) => {
    event.preventDefault();
    event.stopPropagation();
    const startX = event.clientX;
    const startWidth = th.getBoundingClientRect().width;
    handle.setPointerCapture(event.pointerId);
    const move = (e: PointerEvent): void => setWidth(startWidth + e.clientX - startX);
    const stop = (): void => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', stop);
      handle.removeEventListener('pointercancel', stop);
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', stop);
    handle.addEventListener('pointercancel', stop);
  });
  // A click on the handle is not a click on the header's sort button.
  handle.addEventListener('click', (event) => event.stopPropagation());
  handle.addEventListener('keydown', (event) => {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    event.preventDefault();
    setWidth(th.getBoundingClientRect().width + (event.key === 'ArrowRight' ? KEY_STEP : -KEY_STEP));
  });
  th.append(handle);
}
