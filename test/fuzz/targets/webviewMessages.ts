/**
 * Fuzz target for the host's checks of what a webview posts: the RPC servers of its requests
 * (src/protocol/rpc.ts, serving INSPECTOR_RPC, PREVIEW_RPC and COMPARE_RPC with recording handlers) and
 * the parsers of its one-way notices (parseInspectorNotice, parsePreviewMessage, parseCompareMessage).
 * Seeds: a valid notice and request of every kind each panel sends; the seed an input came from picks the
 * panel. An input is first given to that panel's RpcServer's `receive`; what it does not take as a request
 * goes to the notice parser, as the host sessions do. An input is JSON text, parsed (so "__proto__" and
 * "constructor" stay own keys, as structured clone keeps them) with marker strings turned into the values
 * JSON cannot write (NaN, ±Infinity, -0, undefined); mutations swap types, add keys (at the top and in a
 * request's params), nest deeply (to 200,000 levels) and make long strings.
 *
 * The typed outcomes are refusals: a request answered with code bad-message (its handler not run), a
 * request whose id cannot be read dropped (no reply, no handler), undefined from parseInspectorNotice, a
 * ProtocolError from the other notice parsers. An accepted request must get exactly one reply, to its id,
 * carrying its handler's result, the handler having been given fresh params equal to what was sent (no key
 * beyond the method's shape, none missing) that are accepted again as they are; an accepted notice must be
 * a fresh object equal to what was sent that checks again to itself. receive never throws.
 */
import { deepStrictEqual } from 'node:assert/strict';
import { COMPARE_RPC, parseCompareMessage } from '../../../src/protocol/compare';
import { INSPECTOR_RPC, parseInspectorNotice } from '../../../src/protocol/inspector';
import { parsePreviewMessage, PREVIEW_RPC } from '../../../src/protocol/preview';
import { RpcServer, type Channel, type Handlers, type RpcReply } from '../../../src/protocol/rpc';
import { ProtocolError } from '../../../src/protocol/shape';
import type { Rng } from '../../../src/core/random/rng';
import type { FuzzSeed, FuzzTarget } from '../harness';
import { mutateJsonText, pick, shallowJson } from '../mutate';
import { OracleError } from './common';

const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

const request = (id: number, method: string, params: Record<string, unknown>) => ({ rpc: 'request', id, method, params });

const MESSAGES: Record<'inspector' | 'preview' | 'compare', readonly unknown[]> = {
  inspector: [
    { type: 'ready' },
    { type: 'refresh' },
    request(1, 'tensorStats', { name: 'layers.0.weight' }),
    request(2, 'tensorValues', { name: 'layers.0.bias', bins: 64 }),
    request(3, 'reconstruct', { source: 'file', index: 0, resolution: 28, view: null }),
    request(4, 'reconstruct', { source: 'other', index: 12, resolution: 512, view: { kind: 'slice', axis: 'z', at: 0.25 } }),
    request(5, 'reconstruct', { source: 'file', index: 1, resolution: 64, view: { kind: 'surface', azimuth: 35, elevation: 25 } }),
    request(5, 'pickDiffFile', {}),
    request(6, 'diff', {}),
    { type: 'closeDiff' },
  ],
  preview: [
    { type: 'ready' },
    request(1, 'render', { inrId: 'img8176-v0', augmentation: 'rotate', params: { degrees: 15 }, seed: 42, count: 8, partnerId: null }),
    request(2, 'render', { inrId: 'a', augmentation: 'mixup-aligned', params: {}, seed: 4294967295, count: 1, partnerId: 'img1-v0' }),
    request(3, 'pickFile', {}),
  ],
  compare: [
    { type: 'ready' },
    { type: 'pickRuns' },
    request(3, 'save', { format: 'png', name: 'chart.png', data: PNG }),
    request(0, 'save', { format: 'csv', name: 'table 1.csv', data: 'a,b\r\n1,2\r\n' }),
    { type: 'openStudyPoint', curve: 'mixup-aligned', size: 8000 },
  ],
};

type Panel = keyof typeof MESSAGES;

let seedList: FuzzSeed[] | undefined;

const seeds = (): FuzzSeed[] =>
  (seedList ??= (Object.entries(MESSAGES) as Array<[Panel, unknown[]]>).flatMap(([panel, messages]) =>
    messages.map((m, i) => {
      const { type, method } = m as { type?: string; method?: string };
      return { name: `${panel}/${type ?? method}-${i}`, bytes: new TextEncoder().encode(JSON.stringify(m)) };
    }),
  ));

/** Marker strings for the values JSON cannot hold. */
const SPECIAL: Record<string, unknown> = {
  '@@NaN@@': Number.NaN,
  '@@Infinity@@': Infinity,
  '@@-Infinity@@': -Infinity,
  '@@-0@@': -0,
  '@@undefined@@': undefined,
};

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

/** `object` as JSON text with `key` (written by hand: JSON.stringify drops an own "__proto__" key set through a literal) first, set to the JSON text `value`. */
function withKey(object: Record<string, unknown>, key: string, value: string): string {
  const rest = JSON.stringify(Object.fromEntries(Object.entries(object).filter(([k]) => k !== key))).slice(1);
  const entry = `${JSON.stringify(key)}:${value}`;
  return rest === '}' ? `{${entry}}` : `{${entry},${rest}`;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Value-level mutations JSON mutation does not make: special numbers, prototype keys, type swaps (at the top, or in a request's params). */
function mutateMessageValue(input: Uint8Array, rng: Rng, seeds: readonly Uint8Array[] = []): Uint8Array {
  const value = shallowJson(new TextDecoder().decode(input))?.value; // deep nesting would overflow JSON.stringify
  if (!isPlainObject(value)) return mutateJsonText(input, rng, seeds);
  const message = value;
  const inParams = isPlainObject(message.params) && rng.next() < 0.5;
  const target = inParams ? (message.params as Record<string, unknown>) : message;
  const keys = Object.keys(target);
  const key =
    keys.length > 0 && rng.next() < 0.7
      ? pick(rng, keys)
      : pick(rng, [
          '__proto__',
          'constructor',
          'prototype',
          'toString',
          'type',
          'rpc',
          'id',
          'method',
          'params',
          'requestId',
          'extra',
          'hasOwnProperty',
          'name',
          'data',
        ]);
  const current = target[key];
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
    () => pick(rng, ['request', 'reply', 'tensorStats', 'render', 'save', 'pickFile', 'diff', '__proto__', 'hasOwnProperty']),
    () => null,
    () => true,
  ])();
  const text = withKey(target, key, replacement === undefined ? 'null' : JSON.stringify(replacement));
  return new TextEncoder().encode(inParams ? withKey(message, 'params', text) : text);
}

/** The notice parser of each panel (what its host session uses for anything that is not a request). */
const NOTICES: Record<Panel, (value: unknown) => unknown> = {
  inspector: (v) => {
    const m = parseInspectorNotice(v);
    if (m === undefined) throw new Refused();
    return m;
  },
  preview: parsePreviewMessage,
  compare: parseCompareMessage,
};

const CHANNELS: Record<Panel, Channel> = { inspector: INSPECTOR_RPC, preview: PREVIEW_RPC, compare: COMPARE_RPC };

/** What a recording handler answers (a value no real handler returns). */
const RESULT = Object.freeze({ fuzzResult: true });

/** Serves `message` on `panel`'s channel with handlers that record their params: whether it was a request, its replies and the handlers' calls. */
async function serve(panel: Panel, message: unknown): Promise<{ handled: boolean; replies: RpcReply[]; calls: Array<{ method: string; params: unknown }> }> {
  const channel = CHANNELS[panel];
  const calls: Array<{ method: string; params: unknown }> = [];
  const replies: RpcReply[] = [];
  const handlers = Object.fromEntries(
    Object.keys(channel).map((method) => [method, (params: unknown) => (calls.push({ method, params }), RESULT)]),
  ) as unknown as Handlers<Channel>;
  const handled = await new RpcServer(channel, handlers, (reply) => replies.push(reply)).receive(message);
  return { handled, replies, calls };
}

/** A refusal: by the notice parser (parseInspectorNotice returns undefined rather than throwing), or of a request. */
class Refused extends Error {
  override readonly name = 'Refused';
  constructor(readonly label = 'refused') {
    super(label);
  }
}

const own = (value: unknown, key: string): unknown => (isPlainObject(value) ? Object.getOwnPropertyDescriptor(value, key)?.value : undefined);

function oracle(ok: boolean, what: () => string): void {
  if (!ok) throw new OracleError(what());
}

/** Checks what the server did with a request; throws Refused for a typed refusal. */
async function checkRequest(
  panel: Panel,
  sent: unknown,
  replies: readonly RpcReply[],
  calls: ReadonlyArray<{ method: string; params: unknown }>,
): Promise<void> {
  const id = own(sent, 'id');
  if (!(Number.isSafeInteger(id) && (id as number) >= 0)) {
    oracle(
      replies.length === 0 && calls.length === 0,
      () => `a request with unreadable id ${String(id)} was answered (${replies.length} replies, ${calls.length} handler calls)`,
    );
    throw new Refused('dropped');
  }
  oracle(replies.length === 1, () => `a request got ${replies.length} replies, not one`);
  const reply = replies[0]!;
  oracle(reply.rpc === 'reply' && reply.id === id, () => `the reply ${JSON.stringify(reply).slice(0, 200)} does not answer request ${String(id)}`);
  if ('error' in reply) {
    oracle(calls.length === 0, () => 'a refused request ran its handler');
    oracle(
      reply.error.code === 'bad-message' && reply.error.file === '' && typeof reply.error.message === 'string',
      () => `a refusal is not a bad-message ErrorInfo: ${JSON.stringify(reply.error).slice(0, 300)}`,
    );
    throw new Refused('bad-message');
  }
  oracle(reply.result === RESULT, () => 'the reply does not carry the handler’s result');
  oracle(
    calls.length === 1 && calls[0]!.method === own(sent, 'method'),
    () => `an accepted request ran ${calls.length} handlers (${calls.map((c) => c.method).join(', ')})`,
  );
  const sentParams = own(sent, 'params');
  const got = calls[0]!.params;
  if (got === sentParams) throw new OracleError('the handler was given the params object that was sent, not a fresh one');
  try {
    deepStrictEqual(got, sentParams);
  } catch (e) {
    throw new OracleError(`accepted params are not what was sent: ${(e as Error).message.slice(0, 400)}`);
  }
  const again = await serve(panel, { rpc: 'request', id, method: calls[0]!.method, params: got });
  try {
    deepStrictEqual(again.replies, [{ rpc: 'reply', id, result: RESULT }]);
    deepStrictEqual(
      again.calls.map((c) => c.params),
      [got],
    );
  } catch (e) {
    throw new OracleError(`accepted params are not accepted again as they are: ${(e as Error).message.slice(0, 400)}`);
  }
}

function checkNotice(parse: (v: unknown) => unknown, sent: unknown, got: unknown): void {
  if (got === sent) throw new OracleError('the parser returned the object it was given, not a fresh one');
  try {
    deepStrictEqual(got, sent);
    deepStrictEqual(parse(got), got);
  } catch (e) {
    throw new OracleError(`an accepted message is not what was sent: ${(e as Error).message.slice(0, 400)}`);
  }
}

export const webviewMessagesTarget: FuzzTarget = {
  name: 'webview-messages',
  extension: '.json',
  seeds,
  // byte mutations mostly make text that is not JSON (which no webview can post): mutateJsonText makes a few
  mutators: [
    { name: 'json', weight: 10, mutate: mutateJsonText },
    { name: 'message-value', weight: 10, mutate: mutateMessageValue },
  ],
  async run(input, { seedIndex }) {
    const panel = seeds()[seedIndex]!.name.split('/')[0] as Panel;
    let sent: unknown;
    try {
      sent = parseInput(input);
    } catch {
      throw new Refused('not-json'); // not JSON: a webview can only post structured-clone values, so nothing to check
    }
    const failure = await (async () => {
      const { handled, replies, calls } = await serve(panel, sent);
      if (handled) {
        oracle(own(sent, 'rpc') === 'request', () => 'the server took a message that is no request');
        await checkRequest(panel, sent, replies, calls);
      } else {
        oracle(replies.length === 0 && calls.length === 0, () => 'the server answered a message it did not take');
        oracle(own(sent, 'rpc') !== 'request', () => 'the server left a request to the notice parser');
        const parse = NOTICES[panel];
        checkNotice(parse, sent, parse(sent));
      }
    })().then(
      () => undefined,
      (e: unknown) => e,
    );
    if ('polluted' in Object.prototype) throw new OracleError('a message changed Object.prototype');
    if (failure !== undefined) throw failure;
  },
  typedError: (e) => (e instanceof Refused ? e.label : e instanceof ProtocolError ? 'ProtocolError' : undefined),
};
