// The host's doors for messages from the comparison webview: parseCompareMessage for its notices, and
// COMPARE_RPC (through the RPC layer's server, rpc.ts) for its `save` requests. Malformed and malicious
// messages are refused with a ProtocolError (notices) or answered with code bad-message (requests), either
// naming the field; a request whose id cannot be read is dropped. Nothing refused reaches a handler.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COMPARE_RPC, MAX_EXPORT_CHARS, parseCompareMessage } from '../../src/protocol/compare';
import { RpcServer, type RpcReply } from '../../src/protocol/rpc';
import { ProtocolError } from '../../src/protocol/shape';

const PNG = 'data:image/png;base64,iVBORw0KGgo=';
const params = (over: Record<string, unknown> = {}) => ({ format: 'png', name: 'chart.png', data: PNG, ...over });
const save = (over: Record<string, unknown> = {}, id: unknown = 3) => ({ rpc: 'request', id, method: 'save', params: params(over) });

/** Serves one request with a `save` handler that records what it was given; the replies and those calls. */
async function serve(request: unknown): Promise<{ replies: RpcReply[]; calls: unknown[] }> {
  const replies: RpcReply[] = [];
  const calls: unknown[] = [];
  const handled = await new RpcServer(COMPARE_RPC, { save: (p) => (calls.push(p), `/w/${p.name}`) }, (r) => replies.push(r)).receive(request);
  assert.equal(handled, true, 'a request is the RPC layer’s');
  return { replies, calls };
}

test('accepts the known notices and requests, and hands on fresh objects', async () => {
  for (const input of [{ type: 'ready' }, { type: 'pickRuns' }, { type: 'openStudyPoint', curve: 'mixup-aligned', size: 8000 }]) {
    const parsed = parseCompareMessage(input);
    assert.deepEqual(parsed, input);
    assert.notEqual(parsed, input);
  }
  for (const request of [save(), save({ format: 'csv', name: 'table 1.csv', data: 'a,b\r\n1,2\r\n' }, 0)]) {
    const { replies, calls } = await serve(request);
    assert.deepEqual(calls, [request.params]);
    assert.notEqual(calls[0], request.params);
    assert.deepEqual(replies, [{ rpc: 'reply', id: request.id, result: `/w/${request.params.name}` }]);
  }
  // A request is no notice.
  assert.throws(() => parseCompareMessage(save()), /unknown type/);
});

function refused(value: unknown, pattern: RegExp): void {
  assert.throws(
    () => parseCompareMessage(value),
    (e: unknown) => e instanceof ProtocolError && pattern.test(e.message),
    JSON.stringify(value)?.slice(0, 80),
  );
}

/** The request is answered with one bad-message reply matching `pattern`, and the handler never runs. */
async function refusedRequest(request: unknown, pattern: RegExp): Promise<void> {
  const { replies, calls } = await serve(request);
  const what = JSON.stringify(request)?.slice(0, 80);
  assert.deepEqual(calls, [], what);
  assert.equal(replies.length, 1, what);
  const reply = replies[0]!;
  assert.ok('error' in reply, `${what}: not an error reply`);
  assert.equal(reply.error.code, 'bad-message', what);
  assert.match(reply.error.message, pattern, what);
}

/** A request whose id cannot be read: no reply, no handler. */
async function dropped(request: unknown): Promise<void> {
  assert.deepEqual(await serve(request), { replies: [], calls: [] }, JSON.stringify(request)?.slice(0, 80));
}

test('refuses unknown types and methods, extra fields and wrong kinds, naming the field', async () => {
  refused({ type: 'deleteRun', id: 'r0' }, /unknown type "deleteRun"/);
  refused({ type: 'ready', path: '/etc' }, /unknown field\(s\) "path"/);
  refused({ type: 'openStudyPoint', curve: 'none', size: 0 }, /size must be an integer/);
  refused({ type: 'openStudyPoint', curve: 7, size: 10 }, /curve must be a string/);
  refused({ type: 'openStudyPoint', curve: 'none', size: 10, dir: '/etc' }, /unknown field\(s\) "dir"/);
  for (const value of [null, 'ready', [{ type: 'ready' }], 7]) refused(value, /must be an object|unknown type/);
  await dropped(save({}, 1.5));
  await dropped(save({}, -1));
  await dropped(save({}, '3'));
  await refusedRequest({ rpc: 'request', id: 3, method: 'deleteRun', params: { id: 'r0' } }, /unknown method "deleteRun"/);
  await refusedRequest({ rpc: 'request', id: 3, method: 'save', params: params(), path: '/etc' }, /unknown field\(s\) "path"/);
  await refusedRequest(save({ path: '/etc' }), /unknown field\(s\) "path"/);
  await refusedRequest(save({ format: 'svg' }), /format must be one of "png", "csv"/);
  await refusedRequest(save({ data: 42 }), /data must be a string/);
  await refusedRequest({ rpc: 'request', id: 3, method: 'save', params: 'chart.png' }, /must be an object/);
});

test('a suggested name may not leave the folder, hide, or carry another extension', async () => {
  for (const name of [
    '../../.bashrc.png',
    '/etc/passwd.png',
    'a/b.png',
    'a\\b.png',
    '.hidden.png',
    'x..png',
    '',
    'a'.repeat(101) + '.png',
    'chart.png\u0000.exe',
  ]) {
    await refusedRequest(save({ name }), /name must be a plain file name/);
  }
  await refusedRequest(save({ name: 'chart.exe' }), /name must end in \.png/);
  await refusedRequest(save({ format: 'csv', name: 'table.png', data: 'x' }), /name must end in \.csv/);
});

test('png data must be a base64 PNG data URL; oversized exports are refused', async () => {
  for (const data of ['javascript:alert(1)', 'data:text/html;base64,PGgxPg==', 'data:image/png;base64,<script>', 'data:image/png,abc'])
    await refusedRequest(save({ data }), /data:image\/png;base64 URL/);
  await refusedRequest(save({ format: 'csv', name: 't.csv', data: 'x'.repeat(MAX_EXPORT_CHARS + 1) }), /at most \d+ characters/);
});

test('prototype tricks and accessors never reach the host', async () => {
  refused(JSON.parse('{"__proto__": {"type": "ready"}}'), /unknown type/);
  class Message {
    type = 'ready';
  }
  refused(new Message(), /plain object/);
  await refusedRequest(
    { rpc: 'request', id: 3, method: 'save', params: JSON.parse(`{"__proto__": {"format": "png"}, "name": "chart.png", "data": ${JSON.stringify(PNG)}}`) },
    /unknown field\(s\) "__proto__"/,
  );
  const getter = Object.defineProperty({ format: 'png', name: 'a.png' }, 'data', { get: () => PNG, enumerable: true });
  await refusedRequest({ rpc: 'request', id: 3, method: 'save', params: getter }, /data property/);
  class Params {
    format = 'png';
    name = 'a.png';
    data = PNG;
  }
  await refusedRequest({ rpc: 'request', id: 3, method: 'save', params: new Params() }, /plain object/);
  await refusedRequest({ rpc: 'request', id: 3, method: '__proto__', params: {} }, /unknown method "__proto__"/);
  await refusedRequest({ rpc: 'request', id: 3, method: 'toString', params: {} }, /unknown method "toString"/);
});
