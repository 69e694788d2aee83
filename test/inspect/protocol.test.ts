// The host's door for inspector webview messages: every request shape is accepted exactly, and
// malformed or malicious messages (extra keys, wrong types, huge numbers, accessors, __proto__) give
// undefined (parseInspectorMessage) or a ProtocolError naming the field (checkInspectorMessage) — never a crash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkInspectorMessage, INSPECTOR_LIMITS, isInspectorRequest, parseInspectorMessage, toWireReconstruction, toWireValues } from '../../src/protocol';
import { ProtocolError } from '../../src/protocol/shape';
import { decodeFloat32 } from '../../src/protocol/wire';
import { tensorValues } from '../../src/core/inspect/tensorValues';

const VALID = [
  { type: 'ready' },
  { type: 'refresh' },
  { type: 'closeDiff' },
  { type: 'tensorStats', requestId: 1, name: 'seq.0.weight' },
  { type: 'tensorValues', requestId: 2, name: 'img409-v0/seq.0.bias', bins: 64 },
  { type: 'reconstruct', requestId: 3, source: 'file', index: 0, resolution: 28 },
  { type: 'reconstruct', requestId: 4, source: 'other', index: 255, resolution: 512 },
  { type: 'pickDiffFile', requestId: 5 },
  { type: 'diff', requestId: 0 },
] as const;

test('accepts every well-formed message and returns a fresh copy', () => {
  for (const message of VALID) {
    const parsed = parseInspectorMessage(JSON.parse(JSON.stringify(message)));
    assert.deepEqual(parsed, message);
    assert.notEqual(parsed, message);
    assert.equal(isInspectorRequest(parsed!), 'requestId' in message);
  }
});

const MALFORMED: [string, unknown][] = [
  ['unknown type', { type: 'deleteFile', requestId: 1 }],
  ['host-to-webview type', { type: 'header', header: {} }],
  ['missing requestId', { type: 'tensorStats', name: 'a' }],
  ['requestId as string', { type: 'diff', requestId: '1' }],
  ['negative requestId', { type: 'diff', requestId: -1 }],
  ['fractional requestId', { type: 'diff', requestId: 1.5 }],
  ['unsafe requestId', { type: 'diff', requestId: 2 ** 60 }],
  ['NaN requestId', { type: 'diff', requestId: NaN }],
  ['extra key', { type: 'ready', path: '/etc/passwd' }],
  ['a path smuggled into pickDiffFile', { type: 'pickDiffFile', requestId: 1, file: '/etc/passwd' }],
  ['empty name', { type: 'tensorStats', requestId: 1, name: '' }],
  ['name not a string', { type: 'tensorStats', requestId: 1, name: ['seq.0.weight'] }],
  ['huge name', { type: 'tensorStats', requestId: 1, name: 'x'.repeat(INSPECTOR_LIMITS.maxNameLength + 1) }],
  ['zero bins', { type: 'tensorValues', requestId: 1, name: 'a', bins: 0 }],
  ['huge bins', { type: 'tensorValues', requestId: 1, name: 'a', bins: 1e9 }],
  ['bins Infinity', { type: 'tensorValues', requestId: 1, name: 'a', bins: Infinity }],
  ['huge resolution', { type: 'reconstruct', requestId: 1, source: 'file', index: 0, resolution: 100_000 }],
  ['tiny resolution', { type: 'reconstruct', requestId: 1, source: 'file', index: 0, resolution: 1 }],
  ['negative index', { type: 'reconstruct', requestId: 1, source: 'file', index: -1, resolution: 28 }],
  ['huge index', { type: 'reconstruct', requestId: 1, source: 'file', index: 2 ** 40, resolution: 28 }],
  ['unknown source', { type: 'reconstruct', requestId: 1, source: '/tmp/x.pth', index: 0, resolution: 28 }],
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

test('refuses malformed and malicious messages: undefined from parse, ProtocolError from check', () => {
  for (const [what, value] of MALFORMED) {
    assert.equal(parseInspectorMessage(value), undefined, what);
    assert.throws(() => checkInspectorMessage(value), ProtocolError, what);
  }
});

test('the ProtocolError names the field and what it got', () => {
  assert.throws(() => checkInspectorMessage({ type: 'tensorValues', requestId: 1, name: 'a', bins: 5000 }), /bins must be an integer in \[1, 1024\], got 5000/);
  assert.throws(() => checkInspectorMessage({ type: 'ready', extra: 1 }), /unknown field\(s\) "extra"/);
});

test('never runs a getter and refuses accessor fields', () => {
  let calls = 0;
  const sneaky = {
    type: 'tensorStats',
    requestId: 1,
    get name() {
      calls++;
      return 'seq.0.weight';
    },
  };
  assert.equal(parseInspectorMessage(sneaky), undefined);
  const typeGetter = {
    get type() {
      calls++;
      return 'ready';
    },
  };
  assert.equal(parseInspectorMessage(typeGetter), undefined);
  assert.equal(calls, 0);
});

test('a Proxy that throws on inspection is refused without escaping as a crash', () => {
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
  assert.equal(parseInspectorMessage(hostile), undefined);
});

test('wire conversions keep every float bit', () => {
  const data = Float32Array.from([1.5, -0, NaN, 3e-39, -2]);
  const wire = toWireValues(tensorValues('t', [5], data));
  assert.deepEqual(Array.from(decodeFloat32(wire.matrix.values)), Array.from(data));
  const r = toWireReconstruction({ name: 'seq.{i}', index: 0, width: 1, height: 1, channels: 1, pixels: Float32Array.of(0.25), label: null }, 'other');
  assert.equal(r.source, 'other');
  assert.deepEqual(Array.from(decodeFloat32(r.pixels)), [0.25]);
});
