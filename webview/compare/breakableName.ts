/**
 * A run name for a table cell that wraps only between its parts: a line-break opportunity (<wbr>) after
 * each separator (- _ . / and space), while the cell's CSS (media/compare.css) forbids breaking inside a
 * part, so "baseline-seed0" wraps as "baseline-" / "seed0", never "baseli" / "ne-seed0". The text goes in
 * as text nodes only (run names are untrusted).
 */
import { el } from '../shared/dom';

export function breakableName(name: string): HTMLSpanElement {
  const span = el('span', 'run-cell-name');
  for (const part of name.split(/(?<=[-_./ ])/)) {
    if (span.firstChild) span.append(el('wbr'));
    span.append(document.createTextNode(part));
  }
  return span;
}
