// The one request → reply layer (src/protocol/rpc.ts), a client and a server wired back to back: results
// and typed errors arrive as such, a lost answer times out, dispose fails what is pending and what comes
// later, and every malformed request is answered (or dropped) the same way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LabError, RemoteError } from '../../src/core/labError';
import { returns, RpcClient, RpcServer, type RpcReply, type RpcRequest } from '../../src/protocol/rpc';
import { integer, ProtocolError, string } from '../../src/protocol/shape';

const CHANNEL = {
  add: returns<number>()({ a: integer(0, 100), b: integer(0, 100) }),
  greet: returns<string>()({ name: string }, (p, path) => {
    if (p.name === 'nobody') throw new ProtocolError(`${path}.name must name somebody`);
  }),
  fail: returns<null>()({}),
  never: returns<null>()({}),
};

/** A client and server on one simulated channel; `replies` keeps what the server sent. */
function pair(timeoutMs = 0) {
  const replies: RpcReply[] = [];
  const server = new RpcServer(
    CHANNEL,
    {
      add: ({ a, b }) => a + b,
      greet: async ({ name }) => `hello ${name}`,
      fail: () => {
        throw new LabError('dataset', 'no such dataset', '/data/x');
      },
      never: () => new Promise<null>(() => undefined),
    },
    (reply) => {
      replies.push(reply);
      client.receive(reply);
    },
    '/default/file',
  );
  const client: RpcClient<typeof CHANNEL> = new RpcClient((request: RpcRequest) => void server.receive(request), {
    peer: 'the test server',
    timeoutMs,
    file: '/client/file',
  });
  return { client, server, replies };
}

const codeOf = (e: unknown) => (e instanceof RemoteError ? e.info.code : `not a RemoteError: ${String(e)}`);

test('results arrive typed; a thrown LabError arrives as a RemoteError with its code and file', async () => {
  const { client } = pair();
  assert.equal(await client.request('add', { a: 2, b: 40 }), 42);
  assert.equal(await client.request('greet', { name: 'Ada' }), 'hello Ada');
  await assert.rejects(
    client.request('fail', {}),
    (e: unknown) => e instanceof RemoteError && e.info.code === 'dataset' && e.info.file === '/data/x' && e.message === 'no such dataset',
  );
});

test('parameters are checked by the method’s checker and its refine step: bad-message, naming the field', async () => {
  const { client } = pair();
  await assert.rejects(
    client.request('add', { a: 2, b: 400 }),
    (e: unknown) => codeOf(e) === 'bad-message' && /"add" params\.b must be an integer in \[0, 100\]/.test((e as Error).message),
  );
  await assert.rejects(
    client.request('greet', { name: 'nobody' }),
    (e: unknown) => codeOf(e) === 'bad-message' && /name must name somebody/.test((e as Error).message),
  );
  await assert.rejects(
    client.request('add', { a: 1, b: 2, c: 3 } as never),
    (e: unknown) => codeOf(e) === 'bad-message' && /unknown field\(s\) "c"/.test((e as Error).message),
  );
});

test('a malformed request with a readable id is answered bad-message; without one it is dropped; other messages are not the layer’s', async () => {
  const { server, replies } = pair();
  assert.equal(await server.receive({ rpc: 'request', id: 7, method: 'nope', params: {} }), true);
  assert.equal(replies.length, 1);
  assert.deepEqual([replies[0]!.id, 'error' in replies[0]! ? replies[0].error.code : 'result'], [7, 'bad-message']);
  assert.match('error' in replies[0]! ? replies[0].error.message : '', /unknown method "nope" \(known: add, greet, fail, never\)/);
  assert.equal(await server.receive({ rpc: 'request', id: 8, method: 'add', params: { a: 1, b: 2 }, extra: true }), true);
  assert.equal('error' in replies[1]! && replies[1].error.code, 'bad-message');
  for (const unaddressable of [{ rpc: 'request', id: -1, method: 'add', params: {} }, { rpc: 'request', id: 'x', method: 'add' }, { rpc: 'request' }]) {
    assert.equal(await server.receive(unaddressable), true);
  }
  assert.equal(replies.length, 2, 'nothing answered without an id');
  for (const other of [{ type: 'ready' }, null, 'text', 42, { rpc: 'reply', id: 1, result: 1 }]) assert.equal(await server.receive(other), false);
  const throwing = new Proxy(
    {},
    {
      getOwnPropertyDescriptor: () => {
        throw new Error('trap');
      },
    },
  );
  assert.equal(await server.receive(throwing), false);
});

test('the client: replies to nobody are swallowed, other messages are left to the caller', async () => {
  const { client } = pair();
  assert.equal(client.receive({ rpc: 'reply', id: 999, result: 1 }), true);
  assert.equal(client.receive({ type: 'header' }), false);
  assert.equal(client.receive(undefined), false);
});

test('a request not answered in time rejects with no-answer; a late reply is ignored', async () => {
  const { client } = pair(50);
  await assert.rejects(
    client.request('never', {}),
    (e: unknown) =>
      codeOf(e) === 'no-answer' && /the test server did not answer "never"/.test((e as Error).message) && (e as RemoteError).info.file === '/client/file',
  );
  assert.equal(await client.request('add', { a: 1, b: 1 }), 2, 'the channel still works');
});

test('dispose rejects what is pending and every later request, with the reason and code given', async () => {
  const { client } = pair();
  const pending = client.request('never', {});
  client.dispose('the panel was closed', 'internal');
  await assert.rejects(pending, (e: unknown) => codeOf(e) === 'internal' && (e as Error).message === 'the panel was closed');
  await assert.rejects(client.request('add', { a: 1, b: 1 }), (e: unknown) => codeOf(e) === 'no-answer' && (e as Error).message === 'the panel was closed');
});

test('the server tells its owner why it refused each malformed request, answered or dropped', async () => {
  const refused: string[] = [];
  const server = new RpcServer(
    CHANNEL,
    { add: ({ a, b }) => a + b, greet: ({ name }) => name, fail: () => null, never: () => null },
    () => undefined,
    '',
    (why) => refused.push(why),
  );
  await server.receive({ rpc: 'request', id: 1, method: 'add', params: { a: -1, b: 0 } });
  await server.receive({ rpc: 'request', id: 'x', method: 'add', params: {} });
  await server.receive({ rpc: 'request', id: 2, method: 'add', params: { a: 1, b: 2 } });
  assert.equal(refused.length, 2);
  assert.match(refused[0]!, /params\.a must be an integer/);
  assert.match(refused[1]!, /request id must be an integer.*dropped/);
});
