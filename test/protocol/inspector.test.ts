// parseInspectorNotice: the host's door for the inspector webview's one-way notices (ready, refresh,
// closeDiff); requests go through rpc.ts's RpcServer instead (test/inspect/protocol.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseInspectorNotice } from '../../src/protocol';

test('accepts the known webview notices and returns fresh objects', () => {
  for (const type of ['ready', 'refresh', 'closeDiff'] as const) {
    const input = { type };
    const parsed = parseInspectorNotice(input);
    assert.deepEqual(parsed, { type });
    assert.notEqual(parsed, input);
  }
});

test('accepts messages built without a prototype (as structured clone may deliver them)', () => {
  const input = Object.assign(Object.create(null) as object, { type: 'ready' });
  assert.deepEqual(parseInspectorNotice(input), { type: 'ready' });
});

test('rejects values that are not plain objects', () => {
  for (const value of [undefined, null, 'ready', 42, true, Symbol('ready'), () => 'ready', ['ready'], [{ type: 'ready' }]]) {
    assert.equal(parseInspectorNotice(value), undefined, String(value));
  }
  class Message {
    type = 'ready';
  }
  assert.equal(parseInspectorNotice(new Message()), undefined);
  assert.equal(parseInspectorNotice(new Date()), undefined);
});

test('rejects unknown, misspelled, request and host-to-webview types', () => {
  for (const type of ['report', 'error', 'header', 'tensorStats', 'diff', 'pickDiffFile', 'Ready', 'ready ', '', 'constructor', 'toString', '__proto__']) {
    assert.equal(parseInspectorNotice({ type }), undefined, type);
  }
});

test('rejects a type that is not a string', () => {
  for (const type of [1, null, undefined, true, ['ready'], { toString: () => 'ready' }, new String('ready')]) {
    assert.equal(parseInspectorNotice({ type }), undefined, String(type));
  }
  assert.equal(parseInspectorNotice({}), undefined);
});

test('rejects extra keys, including symbols and non-enumerable ones', () => {
  assert.equal(parseInspectorNotice({ type: 'ready', report: {} }), undefined);
  assert.equal(parseInspectorNotice({ type: 'closeDiff', requestId: 1 }), undefined);
  assert.equal(parseInspectorNotice({ type: 'refresh', [Symbol('x')]: 1 }), undefined);
  const hidden = { type: 'ready' };
  Object.defineProperty(hidden, 'extra', { value: 1, enumerable: false });
  assert.equal(parseInspectorNotice(hidden), undefined);
});

test('rejects prototype tricks', () => {
  // `type` inherited, not own.
  assert.equal(parseInspectorNotice(Object.create({ type: 'ready' })), undefined);
  // A JSON-parsed "__proto__" key is an own property, not a prototype: an extra key.
  assert.equal(parseInspectorNotice(JSON.parse('{"type":"ready","__proto__":{"type":"refresh"}}')), undefined);
  // An object literal's __proto__ sets the prototype: no longer a plain object.
  assert.equal(parseInspectorNotice({ __proto__: { polluted: true }, type: 'ready' }), undefined);
});

test('never runs a getter of the message', () => {
  let calls = 0;
  const sneaky = {
    get type() {
      calls++;
      return 'ready';
    },
  };
  assert.equal(parseInspectorNotice(sneaky), undefined);
  assert.equal(calls, 0);
});
