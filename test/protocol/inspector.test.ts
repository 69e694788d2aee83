// parseInspectorMessage: the host's only door for messages from the inspector webview.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseInspectorMessage } from '../../src/protocol';

test('accepts the known webview messages and returns fresh objects', () => {
  for (const type of ['ready', 'refresh'] as const) {
    const input = { type };
    const parsed = parseInspectorMessage(input);
    assert.deepEqual(parsed, { type });
    assert.notEqual(parsed, input);
  }
});

test('accepts messages built without a prototype (as structured clone may deliver them)', () => {
  const input = Object.assign(Object.create(null) as object, { type: 'ready' });
  assert.deepEqual(parseInspectorMessage(input), { type: 'ready' });
});

test('rejects values that are not plain objects', () => {
  for (const value of [undefined, null, 'ready', 42, true, Symbol('ready'), () => 'ready', ['ready'], [{ type: 'ready' }]]) {
    assert.equal(parseInspectorMessage(value), undefined, String(value));
  }
  class Message {
    type = 'ready';
  }
  assert.equal(parseInspectorMessage(new Message()), undefined);
  assert.equal(parseInspectorMessage(new Date()), undefined);
});

test('rejects unknown, misspelled and host-to-webview types', () => {
  for (const type of ['report', 'error', 'Ready', 'ready ', '', 'constructor', 'toString', '__proto__']) {
    assert.equal(parseInspectorMessage({ type }), undefined, type);
  }
});

test('rejects a type that is not a string', () => {
  for (const type of [1, null, undefined, true, ['ready'], { toString: () => 'ready' }, new String('ready')]) {
    assert.equal(parseInspectorMessage({ type }), undefined, String(type));
  }
  assert.equal(parseInspectorMessage({}), undefined);
});

test('rejects extra keys, including symbols and non-enumerable ones', () => {
  assert.equal(parseInspectorMessage({ type: 'ready', report: {} }), undefined);
  assert.equal(parseInspectorMessage({ type: 'refresh', [Symbol('x')]: 1 }), undefined);
  const hidden = { type: 'ready' };
  Object.defineProperty(hidden, 'extra', { value: 1, enumerable: false });
  assert.equal(parseInspectorMessage(hidden), undefined);
});

test('rejects prototype tricks', () => {
  // `type` inherited, not own.
  assert.equal(parseInspectorMessage(Object.create({ type: 'ready' })), undefined);
  // A JSON-parsed "__proto__" key is an own property, not a prototype: an extra key.
  assert.equal(parseInspectorMessage(JSON.parse('{"type":"ready","__proto__":{"type":"refresh"}}')), undefined);
  // An object literal's __proto__ sets the prototype: no longer a plain object.
  assert.equal(parseInspectorMessage({ __proto__: { polluted: true }, type: 'ready' }), undefined);
});

test('never runs a getter of the message', () => {
  let calls = 0;
  const sneaky = {
    get type() {
      calls++;
      return 'ready';
    },
  };
  assert.equal(parseInspectorMessage(sneaky), undefined);
  assert.equal(calls, 0);
});
