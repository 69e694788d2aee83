// The inspector's host logic (src/extension/panels/inspector/session.ts) with a stub webview and dialog and the
// real worker thread: the header on the ready notice, one RPC reply per request (rpc.ts: { rpc: 'reply',
// id, result } or { rpc: 'reply', id, error }) carrying the request's id, typed failures, requests with bad
// params or an unknown method answered with code bad-message (and no work done), messages that are neither
// a request with a readable id nor a notice dropped without a reply, the diff flow, and a changed file read again.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InspectorSession, readHeader } from '../../src/extension/panels/inspector/session';
import { InspectWorkerClient } from '../../src/extension/panels/inspector/workerClient';
import type { ErrorInfo } from '../../src/core/labError';
import type { HostToInspector, InspectorRpc } from '../../src/protocol';
import type { MethodName, ResultOf, RpcReply } from '../../src/protocol/rpc';
import { fixturePath } from '../helpers/fixtures';

type Posted = HostToInspector | RpcReply;

const tmp = mkdtempSync(join(tmpdir(), 'wslab-session-'));
const sessions: InspectorSession[] = [];
after(() => {
  sessions.forEach((s) => s.dispose());
  rmSync(tmp, { recursive: true, force: true });
});

function open(
  file: string,
  pick: string | undefined = undefined,
): { session: InspectorSession; posted: Posted[]; worker: InspectWorkerClient; picks: () => number } {
  const posted: Posted[] = [];
  let picks = 0;
  const worker = new InspectWorkerClient(file);
  const host = {
    post: (m: Posted) => posted.push(m),
    pickFile: async () => {
      picks++;
      return pick;
    },
  };
  const session = new InspectorSession(file, host, worker);
  sessions.push(session);
  return { session, posted, worker, picks: () => picks };
}

/** The webview's request `method` with `params`, as rpc.ts puts it on the wire. */
function request(id: number, method: string, params: unknown = {}): unknown {
  return { rpc: 'request', id, method, params };
}

/** The result of the reply to request `id` (`method` only types it); fails when `message` is anything else. */
function resultOf<K extends MethodName<InspectorRpc>>(message: Posted | undefined, id: number, _method: K): ResultOf<InspectorRpc, K> {
  if (!message || !('rpc' in message) || message.id !== id || !('result' in message)) {
    assert.fail(`expected the result of request ${id}, got ${JSON.stringify(message)}`);
  }
  return message.result as ResultOf<InspectorRpc, K>;
}

/** The error of the reply to request `id`; fails when `message` is anything else. */
function errorOf(message: Posted | undefined, id: number): ErrorInfo {
  if (!message || !('rpc' in message) || message.id !== id || !('error' in message)) {
    assert.fail(`expected an error reply to request ${id}, got ${JSON.stringify(message)}`);
  }
  return message.error;
}

test('ready pushes the header; each request gets one reply with its id', async () => {
  const { session, posted } = open(fixturePath('safetensors', 'siren.safetensors'));
  await session.handle({ type: 'ready' });
  assert.equal(posted.length, 1);
  assert.ok(!('rpc' in posted[0]!) && posted[0]!.type === 'header');
  await session.handle(request(7, 'tensorStats', { name: 'seq.0.bias' }));
  assert.equal(posted.length, 2);
  assert.deepEqual(posted[1], { rpc: 'reply', id: 7, result: { params: 32, min: 0, max: 0, mean: 0, std: 0, zerosPct: 100, nonFinite: 0 } });
  await session.handle(request(8, 'tensorValues', { name: 'seq.1.weight', bins: 10 }));
  assert.equal(posted.length, 3);
  const values = resultOf(posted[2], 8, 'tensorValues');
  assert.ok(values.name === 'seq.1.weight' && typeof values.matrix.values === 'string');
  await session.handle(request(9, 'reconstruct', { source: 'file', index: 0, resolution: 8, view: null }));
  assert.equal(posted.length, 4);
  const reconstruction = resultOf(posted[3], 9, 'reconstruct');
  assert.ok(reconstruction.label === '7' && typeof reconstruction.pixels === 'string' && reconstruction.source === 'file');
});

test('failures are typed replies: an unknown tensor, an INR that does not exist, a diff with nothing picked', async () => {
  const { session, posted } = open(fixturePath('safetensors', 'siren.safetensors'));
  await session.handle(request(1, 'tensorStats', { name: 'nope' }));
  await session.handle(request(2, 'reconstruct', { source: 'file', index: 3, resolution: 8, view: null }));
  await session.handle(request(3, 'diff'));
  assert.deepEqual(
    posted.map((m) => ('rpc' in m && 'error' in m ? [m.id, m.error.code] : m)),
    [
      [1, 'no-such-tensor'],
      [2, 'invalid-request'],
      [3, 'invalid-request'],
    ],
  );
});

test('bad params and unknown methods are answered with bad-message, once each, and do no work', async () => {
  const { session, posted, worker, picks } = open(fixturePath('safetensors', 'siren.safetensors'), fixturePath('torch', 'siren.pth'));
  const bad: [number, unknown, RegExp][] = [
    [1, request(1, 'tensorValues', { name: 'seq.0.bias', bins: 0 }), /bins/],
    [2, request(2, 'tensorValues', { name: 'seq.0.bias', bins: 1e12 }), /bins/],
    [3, request(3, 'tensorStats', { name: 'seq.0.bias', extra: true }), /"extra"/],
    [4, request(4, 'pickDiffFile', { file: '/etc/passwd' }), /"file"/],
    [5, request(5, 'reconstruct', { source: '/tmp/x.pth', index: 0, resolution: 8, view: null }), /source/],
    [6, request(6, 'deleteFile', {}), /unknown method "deleteFile"/],
    [7, request(7, 'constructor', {}), /unknown method/],
    [8, request(8, '__proto__', {}), /unknown method/],
    [9, { rpc: 'request', id: 9, method: 'diff' }, /params/],
    [10, { rpc: 'request', id: 10, method: 'diff', params: {}, extra: 1 }, /"extra"/],
  ];
  for (const [, message] of bad) await session.handle(message);
  assert.equal(posted.length, bad.length, 'exactly one reply per request');
  bad.forEach(([id, , names], i) => {
    const error = errorOf(posted[i], id);
    assert.equal(error.code, 'bad-message', `request ${id}`);
    assert.match(error.message, names, `request ${id}`);
  });
  assert.equal(worker.threadId, undefined, 'no worker started for a refused request');
  assert.equal(picks(), 0, 'no dialog shown for a refused pickDiffFile');
  // The session still answers well-formed requests afterwards.
  await session.handle(request(11, 'tensorStats', { name: 'seq.0.bias' }));
  assert.equal(resultOf(posted[bad.length], 11, 'tensorStats').params, 32);
});

test('malformed and malicious messages without a readable request id are dropped: no reply, no crash, no work', async () => {
  const { session, posted, worker, picks } = open(fixturePath('safetensors', 'siren.safetensors'), fixturePath('torch', 'siren.pth'));
  const params = { name: 'seq.0.bias' };
  for (const m of [
    null,
    'ready',
    // the retired { type, requestId } convention: neither a request nor a notice
    { type: 'tensorStats', requestId: 1, name: 'seq.0.bias' },
    { type: 'tensorStats', requestId: 1, name: 'seq.0.bias', extra: true },
    { type: 'tensorValues', requestId: 1, name: 'seq.0.bias', bins: 1e12 },
    { type: 'pickDiffFile', requestId: 1, file: '/etc/passwd' },
    // requests whose id cannot be read: nothing to address an answer to
    { rpc: 'request', method: 'tensorStats', params },
    { rpc: 'request', id: '1', method: 'tensorStats', params },
    { rpc: 'request', id: -1, method: 'tensorStats', params },
    { rpc: 'request', id: 1.5, method: 'tensorStats', params },
    { rpc: 'request', id: NaN, method: 'pickDiffFile', params: {} },
    { rpc: 'request', id: 2 ** 60, method: 'pickDiffFile', params: {} },
    // a reply sent by the webview is not a request
    { rpc: 'reply', id: 1, result: null },
    JSON.parse('{"type":"ready","__proto__":{"x":1}}'),
    { type: 'ready', path: '/etc/passwd' },
  ]) {
    await session.handle(m);
  }
  assert.deepEqual(posted, []);
  assert.equal(worker.threadId, undefined, 'no worker started');
  assert.equal(picks(), 0, 'no dialog shown');
});

test('Compare with…: cancelled gives a null header; a picked file its header, then the diff', async () => {
  const cancelled = open(fixturePath('safetensors', 'siren.safetensors'));
  await cancelled.session.handle(request(4, 'pickDiffFile'));
  assert.deepEqual(cancelled.posted, [{ rpc: 'reply', id: 4, result: null }]);

  const { session, posted } = open(fixturePath('safetensors', 'siren.safetensors'), fixturePath('torch', 'siren.pth'));
  await session.handle(request(5, 'pickDiffFile'));
  assert.equal(resultOf(posted[0], 5, 'pickDiffFile')?.format, 'pth');
  await session.handle(request(6, 'diff'));
  assert.equal(resultOf(posted[1], 6, 'diff').tensors.length, 6);
  await session.handle(request(7, 'reconstruct', { source: 'other', index: 0, resolution: 8, view: null }));
  assert.equal(resultOf(posted[2], 7, 'reconstruct').source, 'other');
  assert.equal(posted.length, 3);
});

test('a file that fails to parse: the error message on ready; a changed file is read again', async () => {
  const file = join(tmp, 'changing.pth');
  copyFileSync(fixturePath('torch', 'malicious-os-system.pth'), file);
  const { session, posted } = open(file);
  await session.handle({ type: 'ready' });
  const first = posted[0]!;
  assert.ok(!('rpc' in first) && first.type === 'error' && first.error.code === 'forbidden-global' && first.error.file === file);
  copyFileSync(fixturePath('torch', 'siren.pth'), file);
  await session.fileChanged();
  const second = posted[1]!;
  assert.ok(!('rpc' in second) && second.type === 'header' && second.header.tensors.length === 6);
  await session.handle(request(1, 'tensorStats', { name: 'seq.0.weight' }));
  assert.equal(typeof resultOf(posted[2], 1, 'tensorStats').params, 'number');
});

test('with a header source (the VS Code document’s cache, shared by its editors) the session reads no header itself', async () => {
  const file = fixturePath('safetensors', 'siren.safetensors');
  const shared = await readHeader(file);
  let asked = 0;
  const posted: Posted[] = [];
  const header = async () => (asked++, shared);
  const session = new InspectorSession(join(tmp, 'does-not-exist.safetensors'), { post: (m) => posted.push(m), pickFile: async () => undefined, header });
  sessions.push(session);
  await session.handle({ type: 'ready' });
  await session.fileChanged();
  assert.equal(asked, 2, 'asked on ready and after the change');
  assert.deepEqual(posted, [shared, shared], 'the shared header, not a read of the (missing) file');
});
