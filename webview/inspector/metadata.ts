/**
 * A file's metadata as compact `key: value` pairs, each long value summarised (a JSON array as
 * "[16 items]", a JSON object by its keys, other text cut with "…"), and the full metadata, JSON values
 * pretty-printed, one click away in a <details>. Dataset shards keep their settings and item list here as
 * long JSON, which must not push the tensor table off the first screen. Metadata comes from untrusted
 * files: textContent only.
 */
import { summariseMetadata } from '../../src/protocol/display';
import { el } from '../shared/dom';

/** Values longer than this are summarised (summariseMetadata: a JSON array as its length, an object as its keys). */
const SHORT_VALUE = 48;

/** A metadata value parsed when it is a JSON object or array, else undefined. */
function parseJson(value: string): unknown {
  if (!/^\s*[[{]/.test(value)) return undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}

/** All the metadata as indented JSON, values that are JSON expanded in place. */
function fullText(metadata: Readonly<Record<string, string>>): string {
  const expanded = Object.fromEntries(Object.entries(metadata).map(([key, value]) => [key, parseJson(value) ?? value]));
  return JSON.stringify(expanded, null, 2);
}

export function renderMetadata(metadata: Readonly<Record<string, string>>): HTMLElement {
  const entries = Object.entries(metadata);
  if (entries.length === 0) return el('p', 'status metadata-none', 'No metadata.');
  const root = el('div', 'metadata');
  const list = el('dl', 'metadata-summary');
  for (const [key, value] of entries) {
    const pair = el('div', 'metadata-pair');
    const dd = el('dd', undefined, summariseMetadata(value, SHORT_VALUE));
    pair.append(el('dt', undefined, key), dd);
    list.append(pair);
  }
  const details = el('details', 'metadata-full');
  details.append(el('summary', undefined, 'Full metadata (JSON)'), el('pre', undefined, fullText(metadata)));
  root.append(list, details);
  return root;
}
