/**
 * Fuzz target for the host's checks of what a webview posts: parseInspectorMessage
 * (src/protocol/inspector.ts), parsePreviewMessage (preview.ts) and parseCompareMessage (compare.ts).
 * Seeds: a valid message of every type each panel sends; the seed an input came from picks the parser.
 * An input is JSON text, parsed (so "__proto__" and "constructor" stay own keys, as structured clone
 * keeps them) with marker strings turned into the values JSON cannot write (NaN, ±Infinity, -0,
 * undefined); mutations swap types, add keys, nest deeply (to 200,000 levels) and make long strings.
 *
 * The typed outcome is a refusal: undefined from parseInspectorMessage, a ProtocolError from the
 * others. An accepted message must be a fresh object equal to what was sent (no key beyond its shape,
 * none missing), and check again to itself.
 */
import { deepStrictEqual } from 'node:assert/strict';
import { parseCompareMessage } from '../../../src/protocol/compare';
import { parseInspectorMessage } from '../../../src/protocol/inspector';
import { parsePreviewMessage } from '../../../src/protocol/preview';
import { ProtocolError } from '../../../src/protocol/shape';
import type { Rng } from '../../../src/core/random/rng';
import type { FuzzSeed, FuzzTarget } from '../harness';
import { mutateJsonText, pick, shallowJson } from '../mutate';
import { OracleError } from './common';

const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

const MESSAGES: Record<'inspector' | 'preview' | 'compare', readonly unknown[]> = {
  inspector: [
    { type: 'ready' },
    { type: 'refresh' },
    { type: 'tensorStats', requestId: 1, name: 'layers.0.weight' },
    { type: 'tensorValues', requestId: 2, name: 'layers.0.bias', bins: 64 },
    { type: 'reconstruct', requestId: 3, source: 'file', index: 0, resolution: 28 },
    { type: 'reconstruct', requestId: 4, source: 'other', index: 12, resolution: 512 },
    { type: 'pickDiffFile', requestId: 5 },
    { type: 'diff', requestId: 6 },
    { type: 'closeDiff' },
  ],
  preview: [
    { type: 'ready' },
    { type: 'render', requestId: 1, inrId: 'img8176-v0', augmentation: 'rotate', params: { degrees: 15 }, seed: 42, count: 8, partnerId: null },
    { type: 'render', requestId: 2, inrId: 'a', augmentation: 'mixup-aligned', params: {}, seed: 4294967295, count: 1, partnerId: 'img1-v0' },
    { type: 'pickFile', requestId: 3 },
  ],
  compare: [
    { type: 'ready' },
    { type: 'pickRuns' },
    { type: 'save', requestId: 3, format: 'png', name: 'chart.png', data: PNG },
    { type: 'save', requestId: 0, format: 'csv', name: 'table 1.csv', data: 'a,b\r\n1,2\r\n' },
  ],
};

type Panel = keyof typeof MESSAGES;

let seedList: FuzzSeed[] | undefined;

const seeds = (): FuzzSeed[] =>
  (seedList ??= (Object.entries(MESSAGES) as Array<[Panel, unknown[]]>).flatMap(([panel, messages]) =>
    messages.map((m, i) => ({ name: `${panel}/${(m as { type: string }).type}-${i}`, bytes: new TextEncoder().encode(JSON.stringify(m)) })),
  ));

/** Marker strings for the values JSON cannot hold. */
const SPECIAL: Record<string, unknown> = { '@@NaN@@': Number.NaN, '@@Infinity@@': Infinity, '@@-Infinity@@': -Infinity, '@@-0@@': -0, '@@undefined@@': undefined };

/** JSON text nesting deeper than this is parsed without a reviver (which recurses). */
const MAX_REVIVED_DEPTH = 2000;

function parseInput(input: Uint8Array): unknown {
  const text = new TextDecoder().decode(input);
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length && max <= MAX_REVIVED_DEPTH; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) max = Math.max(max, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  const revive = text.includes('"@@') && max <= MAX_REVIVED_DEPTH;
  return revive ? JSON.parse(text, (_, v: unknown) => (typeof v === 'string' && v in SPECIAL ? SPECIAL[v] : v)) : JSON.parse(text);
}

/** Value-level mutations JSON mutation does not make: special numbers, prototype keys, type swaps. */
function mutateMessageValue(input: Uint8Array, rng: Rng, seeds: readonly Uint8Array[] = []): Uint8Array {
  const value = shallowJson(new TextDecoder().decode(input))?.value; // deep nesting would overflow JSON.stringify
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return mutateJsonText(input, rng, seeds);
  const message = value as Record<string, unknown>;
  const keys = Object.keys(message);
  const key = keys.length > 0 && rng.next() < 0.7 ? pick(rng, keys) : pick(rng, ['__proto__', 'constructor', 'prototype', 'toString', 'type', 'requestId', 'extra', 'hasOwnProperty']);
  const current = message[key];
  const replacement = pick<() => unknown>(rng, [
    () => pick(rng, Object.keys(SPECIAL)),
    () => 2 ** 53 + 2,
    () => Number.MAX_SAFE_INTEGER,
    () => -1,
    () => 1e308,
    () => String(current),
    () => (typeof current === 'string' ? Number(current.length) : [current]),
    () => ({ value: current }),
    () => ({ ['__proto__']: current }),
    () => 'x'.repeat(rng.int(1000, 200_000)),
    () => (typeof current === 'string' ? current.repeat(Math.min(rng.int(2, 2000), Math.ceil(1e6 / (current.length + 1)))) : current),
    () => ({ constructor: { prototype: { polluted: true } } }),
    () => null,
    () => true,
  ])();
  // JSON.stringify drops an own "__proto__" key set through a literal, so the text is written by hand
  const entry = `${JSON.stringify(key)}:${replacement === undefined ? 'null' : JSON.stringify(replacement)}`;
  const rest = JSON.stringify(Object.fromEntries(Object.entries(message).filter(([k]) => k !== key))).slice(1);
  return new TextEncoder().encode(rest === '}' ? `{${entry}}` : `{${entry},${rest}`);
}

const PARSERS: Record<Panel, (value: unknown) => unknown> = {
  inspector: (v) => {
    const m = parseInspectorMessage(v);
    if (m === undefined) throw new Refused();
    return m;
  },
  preview: parsePreviewMessage,
  compare: parseCompareMessage,
};

/** parseInspectorMessage's refusal (it returns undefined rather than throwing). */
class Refused extends Error {
  override readonly name = 'Refused';
  constructor(readonly label = 'refused') {
    super(label);
  }
}

function checkAccepted(parse: (v: unknown) => unknown, sent: unknown, got: unknown): void {
  if (got === sent) throw new OracleError('the parser returned the object it was given, not a fresh one');
  try {
    deepStrictEqual(got, sent);
    deepStrictEqual(parse(got), got);
  } catch (e) {
    throw new OracleError(`an accepted message is not what was sent: ${(e as Error).message.slice(0, 400)}`);
  }
  if ('polluted' in Object.prototype) throw new OracleError('a message changed Object.prototype');
}

export const webviewMessagesTarget: FuzzTarget = {
  name: 'webview-messages',
  extension: '.json',
  seeds,
  // byte mutations mostly make text that is not JSON (which no webview can post): mutateJsonText makes a few
  mutators: [{ name: 'json', weight: 10, mutate: mutateJsonText }, { name: 'message-value', weight: 10, mutate: mutateMessageValue }],
  async run(input, { seedIndex }) {
    const panel = seeds()[seedIndex]!.name.split('/')[0] as Panel;
    let sent: unknown;
    try {
      sent = parseInput(input);
    } catch {
      throw new Refused('not-json'); // not JSON: a webview can only post structured-clone values, so nothing to check
    }
    const parse = PARSERS[panel];
    checkAccepted(parse, sent, parse(sent));
  },
  typedError: (e) => (e instanceof Refused ? e.label : e instanceof ProtocolError ? 'ProtocolError' : undefined),
};
