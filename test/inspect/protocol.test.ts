// The host's door for inspector webview messages. Requests ({ rpc: 'request', id, method, params }) are
// checked by rpc.ts's RpcServer against INSPECTOR_RPC: every well-formed request reaches its handler as a
// fresh copy of its params; a malformed one (unknown method, extra keys, wrong types, huge numbers,
// accessors) is answered with code bad-message naming the field and reaches no handler; one without a
// readable id is dropped. Notices ({ type: 'ready' | 'refresh' | 'closeDiff' }) give undefined
// (parseInspectorNotice) or a ProtocolError naming the field (checkInspectorNotice) when malformed, and
// are not the RPC layer's. Nothing a webview sends crashes the host.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkInspectorNotice,
  INSPECTOR_LIMITS,
  INSPECTOR_RPC,
  parseInspectorNotice,
  toWireReconstruction,
  toWireValues,
  type InspectorRpc,
} from '../../src/protocol';
import { RpcServer, type Handlers, type RpcReply } from '../../src/protocol/rpc';
import { ProtocolError } from '../../src/protocol/shape';
import { decodeFloat32 } from '../../src/protocol/wire';
import { tensorValues } from '../../src/core/inspect/tensorValues';

/** Runs `message` through an RpcServer for INSPECTOR_RPC whose handlers only record what reached them. */
async function serve(message: unknown): Promise<{ handled: boolean; replies: RpcReply[]; calls: [string, unknown][] }> {
  const calls: [string, unknown][] = [];
  const replies: RpcReply[] = [];
  const record =
    (method: string) =>
    (params: unknown): never => {
      calls.push([method, params]);
      return null as never; // the result is not what these tests look at
    };
  const handlers: Handlers<InspectorRpc> = {
    tensorStats: record('tensorStats'),
    tensorValues: record('tensorValues'),
    reconstruct: record('reconstruct'),
    pickDiffFile: record('pickDiffFile'),
    diff: record('diff'),
  };
  const server = new RpcServer(INSPECTOR_RPC, handlers, (reply) => replies.push(reply));
  const handled = await server.receive(message);
  return { handled, replies, calls };
}

const VALID_NOTICES = [{ type: 'ready' }, { type: 'refresh' }, { type: 'closeDiff' }] as const;

const VALID_REQUESTS = [
  { rpc: 'request', id: 1, method: 'tensorStats', params: { name: 'seq.0.weight' } },
  { rpc: 'request', id: 2, method: 'tensorValues', params: { name: 'img409-v0/seq.0.bias', bins: 64 } },
  { rpc: 'request', id: 3, method: 'reconstruct', params: { source: 'file', index: 0, resolution: 28, view: null } },
  { rpc: 'request', id: 4, method: 'reconstruct', params: { source: 'other', index: 255, resolution: 512, view: null } },
  {
    rpc: 'request',
    id: 5,
    method: 'reconstruct',
    params: { source: 'file', index: 0, resolution: 64, view: { kind: 'surface', azimuth: -120, elevation: 60 } },
  },
  { rpc: 'request', id: 6, method: 'reconstruct', params: { source: 'file', index: 0, resolution: 64, view: { kind: 'slice', axis: 'y', at: -0.5 } } },
  { rpc: 'request', id: 5, method: 'pickDiffFile', params: {} },
  { rpc: 'request', id: 0, method: 'diff', params: {} },
] as const;

test('accepts every well-formed message and hands on a fresh copy', async () => {
  for (const message of VALID_NOTICES) {
    const parsed = parseInspectorNotice(JSON.parse(JSON.stringify(message)));
    assert.deepEqual(parsed, message);
    assert.notEqual(parsed, message);
    const { handled, replies, calls } = await serve(message);
    assert.equal(handled, false, `${message.type} is a notice, not the RPC layer's`);
    assert.deepEqual([replies, calls], [[], []]);
  }
  for (const message of VALID_REQUESTS) {
    const sent = JSON.parse(JSON.stringify(message)) as typeof message;
    const { handled, replies, calls } = await serve(sent);
    assert.equal(handled, true, message.method);
    assert.deepEqual(calls, [[message.method, message.params]]);
    assert.notEqual(calls[0]![1], sent.params, `${message.method}: a copy of the params, not the received object`);
    assert.deepEqual(replies, [{ rpc: 'reply', id: message.id, result: null }]);
    assert.equal(parseInspectorNotice(sent), undefined, `${message.method} is a request, not a notice`);
  }
});

const request = (id: unknown, method: unknown, params: unknown) => ({ rpc: 'request', id, method, params });

/** Requests with a readable id but an unknown method or bad params: answered bad-message, no handler runs. */
const MALFORMED_REQUESTS: [string, unknown][] = [
  ['unknown method', request(1, 'deleteFile', {})],
  ['host-to-webview type as method', request(1, 'header', { header: {} })],
  ['method __proto__', request(1, '__proto__', {})],
  ['method constructor', request(1, 'constructor', {})],
  ['method toString', request(1, 'toString', {})],
  ['method not a string', request(1, ['diff'], {})],
  ['missing params', { rpc: 'request', id: 1, method: 'diff' }],
  ['params not an object', request(1, 'diff', 'all')],
  ['params an array', request(1, 'diff', [])],
  ['extra key on the request', { rpc: 'request', id: 1, method: 'diff', params: {}, path: '/etc/passwd' }],
  ['a path smuggled into pickDiffFile', request(1, 'pickDiffFile', { file: '/etc/passwd' })],
  ['missing name', request(1, 'tensorStats', {})],
  ['empty name', request(1, 'tensorStats', { name: '' })],
  ['name not a string', request(1, 'tensorStats', { name: ['seq.0.weight'] })],
  ['huge name', request(1, 'tensorStats', { name: 'x'.repeat(INSPECTOR_LIMITS.maxNameLength + 1) })],
  ['zero bins', request(1, 'tensorValues', { name: 'a', bins: 0 })],
  ['huge bins', request(1, 'tensorValues', { name: 'a', bins: 1e9 })],
  ['bins Infinity', request(1, 'tensorValues', { name: 'a', bins: Infinity })],
  ['huge resolution', request(1, 'reconstruct', { source: 'file', index: 0, resolution: 100_000, view: null })],
  ['tiny resolution', request(1, 'reconstruct', { source: 'file', index: 0, resolution: 1, view: null })],
  ['negative index', request(1, 'reconstruct', { source: 'file', index: -1, resolution: 28, view: null })],
  ['huge index', request(1, 'reconstruct', { source: 'file', index: 2 ** 40, resolution: 28, view: null })],
  ['unknown source', request(1, 'reconstruct', { source: '/tmp/x.pth', index: 0, resolution: 28, view: null })],
  ['a slice outside the cube', request(1, 'reconstruct', { source: 'file', index: 0, resolution: 28, view: { kind: 'slice', axis: 'x', at: 2 } })],
  ['an unknown slice axis', request(1, 'reconstruct', { source: 'file', index: 0, resolution: 28, view: { kind: 'slice', axis: 'w', at: 0 } })],
  ['an unknown view', request(1, 'reconstruct', { source: 'file', index: 0, resolution: 28, view: { kind: 'orbit' } })],
  ['a camera below the pole', request(1, 'reconstruct', { source: 'file', index: 0, resolution: 28, view: { kind: 'surface', azimuth: 0, elevation: -91 } })],
  ['JSON __proto__ key in params', request(1, 'diff', JSON.parse('{"__proto__":{"polluted":true}}'))],
  ['literal __proto__ params (not a plain object)', request(1, 'tensorStats', { __proto__: { name: 'seq.0.weight' } })],
  ['inherited params field', request(1, 'tensorStats', Object.create({ name: 'seq.0.weight' }))],
];

/** Requests whose id cannot be read: dropped, with no reply and no handler. */
const UNADDRESSABLE_REQUESTS: [string, unknown][] = [
  ['missing id', { rpc: 'request', method: 'tensorStats', params: { name: 'a' } }],
  ['id as string', request('1', 'diff', {})],
  ['negative id', request(-1, 'diff', {})],
  ['fractional id', request(1.5, 'diff', {})],
  ['unsafe id', request(2 ** 60, 'diff', {})],
  ['NaN id', request(NaN, 'diff', {})],
];

/** Malformed notices (and everything else that is neither a request nor a notice). */
const MALFORMED_NOTICES: [string, unknown][] = [
  ['unknown type', { type: 'deleteFile' }],
  ['host-to-webview type', { type: 'header', header: {} }],
  ['a request method as notice type', { type: 'tensorStats', name: 'a' }],
  ['the retired requestId convention', { type: 'diff', requestId: 1 }],
  ['extra key', { type: 'ready', path: '/etc/passwd' }],
  ['JSON __proto__ key', JSON.parse('{"type":"ready","__proto__":{"polluted":true}}')],
  ['literal __proto__ (not a plain object)', { __proto__: { type: 'ready' } }],
  ['inherited type', Object.create({ type: 'ready' })],
  ['type __proto__', { type: '__proto__' }],
  ['type constructor', { type: 'constructor' }],
  ['array', [{ type: 'ready' }]],
  ['null', null],
  ['string', 'ready'],
  ['number', 42],
  ['undefined', undefined],
];

test('refuses malformed and malicious messages: bad-message for requests, undefined from parse, ProtocolError from check', async () => {
  for (const [what, value] of MALFORMED_REQUESTS) {
    const { handled, replies, calls } = await serve(value);
    assert.equal(handled, true, what);
    assert.deepEqual(calls, [], what);
    assert.equal(replies.length, 1, what);
    const reply = replies[0]!;
    assert.ok('error' in reply && reply.id === 1 && reply.error.code === 'bad-message', `${what}: ${JSON.stringify(reply)}`);
    assert.equal(parseInspectorNotice(value), undefined, what);
    assert.throws(() => checkInspectorNotice(value), ProtocolError, what);
  }
  for (const [what, value] of UNADDRESSABLE_REQUESTS) {
    const { handled, replies, calls } = await serve(value);
    assert.equal(handled, true, what);
    assert.deepEqual([replies, calls], [[], []], what);
    assert.equal(parseInspectorNotice(value), undefined, what);
  }
  for (const [what, value] of MALFORMED_NOTICES) {
    assert.equal(parseInspectorNotice(value), undefined, what);
    assert.throws(() => checkInspectorNotice(value), ProtocolError, what);
    const { handled, replies, calls } = await serve(value);
    assert.deepEqual([handled, replies, calls], [false, [], []], what);
  }
});

test('the error names the field and what it got', async () => {
  const { replies } = await serve(request(1, 'tensorValues', { name: 'a', bins: 5000 }));
  assert.ok('error' in replies[0]!);
  assert.match(replies[0].error.message, /bins must be an integer in \[1, 1024\], got 5000/);
  const unknown = await serve(request(2, 'deleteFile', {}));
  assert.ok('error' in unknown.replies[0]!);
  assert.match(unknown.replies[0].error.message, /unknown method "deleteFile" \(known: tensorStats, tensorValues, reconstruct, pickDiffFile, diff\)/);
  assert.throws(() => checkInspectorNotice({ type: 'ready', extra: 1 }), /unknown field\(s\) "extra"/);
});

test('never runs a getter and refuses accessor fields', async () => {
  let calls = 0;
  const sneakyParams = {
    get name() {
      calls++;
      return 'seq.0.weight';
    },
  };
  const params = await serve(request(1, 'tensorStats', sneakyParams));
  assert.ok(params.calls.length === 0 && params.replies.length === 1 && 'error' in params.replies[0]! && params.replies[0].error.code === 'bad-message');
  const sneakyMethod = {
    rpc: 'request',
    id: 1,
    params: {},
    get method() {
      calls++;
      return 'diff';
    },
  };
  const method = await serve(sneakyMethod);
  assert.ok(method.calls.length === 0 && method.replies.length === 1 && 'error' in method.replies[0]! && method.replies[0].error.code === 'bad-message');
  const sneakyId = {
    rpc: 'request',
    method: 'diff',
    params: {},
    get id() {
      calls++;
      return 1;
    },
  };
  assert.deepEqual(await serve(sneakyId), { handled: true, replies: [], calls: [] });
  const typeGetter = {
    get type() {
      calls++;
      return 'ready';
    },
  };
  assert.equal(parseInspectorNotice(typeGetter), undefined);
  assert.equal((await serve(typeGetter)).handled, false);
  assert.equal(calls, 0);
});

test('a Proxy that throws on inspection is refused without escaping as a crash', async () => {
  const hostile = new Proxy(
    {},
    {
      ownKeys: () => {
        throw new Error('trap');
      },
      getOwnPropertyDescriptor: () => {
        throw new Error('trap');
      },
    },
  );
  assert.equal(parseInspectorNotice(hostile), undefined);
  assert.deepEqual(await serve(hostile), { handled: false, replies: [], calls: [] });
  const inParams = await serve(request(1, 'diff', hostile));
  assert.ok(
    inParams.calls.length === 0 && inParams.replies.length === 1 && 'error' in inParams.replies[0]! && inParams.replies[0].error.code === 'bad-message',
  );
});

test('wire conversions keep every float bit', () => {
  const data = Float32Array.from([1.5, -0, NaN, 3e-39, -2]);
  const wire = toWireValues(tensorValues('t', [5], data));
  assert.deepEqual(Array.from(decodeFloat32(wire.matrix.values)), Array.from(data));
  const r = toWireReconstruction({ name: 'seq.{i}', index: 0, width: 1, height: 1, channels: 1, pixels: Float32Array.of(0.25), label: null }, 'other');
  assert.equal(r.source, 'other');
  assert.deepEqual(Array.from(decodeFloat32(r.pixels)), [0.25]);
});
