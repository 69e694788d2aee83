/**
 * A tensor name for a table cell that wraps only at its separators: each part up to and including a '.'
 * or '/' is a span that never breaks (media/inspector.css), with a line-break opportunity (<wbr>) between
 * parts, so "img9564-v0/seq.1.weight" wraps as "img9564-v0/" / "seq.1.weight", never "img95" / "64-v0…".
 * Names come from untrusted files: text nodes only.
 */
import { el } from '../shared/dom';

export function tensorName(name: string): HTMLSpanElement {
  const span = el('span', 'tensor-name');
  for (const part of name.split(/(?<=[./])/)) {
    if (span.firstChild) span.append(el('wbr'));
    span.append(el('span', 'name-part', part));
  }
  return span;
}
