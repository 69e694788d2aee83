// parseCompareMessage: the host's only door for messages from the comparison webview. Malformed and
// malicious messages are refused with a ProtocolError that names the field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_EXPORT_CHARS, parseCompareMessage } from '../../src/protocol/compare';
import { ProtocolError } from '../../src/protocol/shape';

const PNG = 'data:image/png;base64,iVBORw0KGgo=';
const save = (over: Record<string, unknown> = {}) => ({ type: 'save', requestId: 3, format: 'png', name: 'chart.png', data: PNG, ...over });

test('accepts the known messages and returns fresh objects', () => {
  for (const input of [{ type: 'ready' }, { type: 'pickRuns' }, { type: 'openStudyPoint', curve: 'mixup-aligned', size: 8000 }, save(), save({ format: 'csv', name: 'table 1.csv', data: 'a,b\r\n1,2\r\n' })]) {
    const parsed = parseCompareMessage(input);
    assert.deepEqual(parsed, input);
    assert.notEqual(parsed, input);
  }
});

function refused(value: unknown, pattern: RegExp): void {
  assert.throws(() => parseCompareMessage(value), (e: unknown) => e instanceof ProtocolError && pattern.test(e.message), JSON.stringify(value)?.slice(0, 80));
}

test('refuses unknown types, extra fields and wrong kinds, naming the field', () => {
  refused({ type: 'deleteRun', id: 'r0' }, /unknown type "deleteRun"/);
  refused({ type: 'ready', path: '/etc' }, /unknown field\(s\) "path"/);
  refused(save({ requestId: 1.5 }), /requestId must be an integer/);
  refused({ type: 'openStudyPoint', curve: 'none', size: 0 }, /size must be an integer/);
  refused({ type: 'openStudyPoint', curve: 7, size: 10 }, /curve must be a string/);
  refused({ type: 'openStudyPoint', curve: 'none', size: 10, dir: '/etc' }, /unknown field\(s\) "dir"/);
  refused(save({ requestId: -1 }), /requestId must be an integer/);
  refused(save({ format: 'svg' }), /format must be one of "png", "csv"/);
  refused(save({ data: 42 }), /data must be a string/);
  for (const value of [null, 'ready', [{ type: 'ready' }], 7]) refused(value, /must be an object|unknown type/);
});

test('a suggested name may not leave the folder, hide, or carry another extension', () => {
  for (const name of ['../../.bashrc.png', '/etc/passwd.png', 'a/b.png', 'a\\b.png', '.hidden.png', 'x..png', '', 'a'.repeat(101) + '.png', 'chart.png\u0000.exe']) refused(save({ name }), /name must be a plain file name/);
  refused(save({ name: 'chart.exe' }), /name must end in \.png/);
  refused(save({ format: 'csv', name: 'table.png', data: 'x' }), /name must end in \.csv/);
});

test('png data must be a base64 PNG data URL; oversized exports are refused', () => {
  for (const data of ['javascript:alert(1)', 'data:text/html;base64,PGgxPg==', 'data:image/png;base64,<script>', 'data:image/png,abc']) refused(save({ data }), /data:image\/png;base64 URL/);
  refused(save({ format: 'csv', name: 't.csv', data: 'x'.repeat(MAX_EXPORT_CHARS + 1) }), /at most \d+ characters/);
});

test('prototype tricks and accessors never reach the host', () => {
  refused(JSON.parse('{"__proto__": {"type": "ready"}}'), /unknown type/);
  const getter = Object.defineProperty({ type: 'save', requestId: 1, format: 'png', name: 'a.png' }, 'data', { get: () => PNG, enumerable: true });
  refused(getter, /data property/);
  class Message {
    type = 'ready';
  }
  refused(new Message(), /plain object/);
});
