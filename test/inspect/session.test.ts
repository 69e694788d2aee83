// The inspector's host logic (src/extension/inspector/session.ts) with a stub webview and dialog and the
// real worker thread: the header on ready, one reply per request with its replyTo, typed failures,
// malformed messages dropped without a reply, the diff flow, and a changed file read again.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InspectorSession } from '../../src/extension/inspector/session';
import type { HostToInspector } from '../../src/protocol';
import { fixturePath } from '../helpers/fixtures';

const tmp = mkdtempSync(join(tmpdir(), 'wslab-session-'));
const sessions: InspectorSession[] = [];
after(() => {
  sessions.forEach((s) => s.dispose());
  rmSync(tmp, { recursive: true, force: true });
});

function open(file: string, pick: string | undefined = undefined): { session: InspectorSession; posted: HostToInspector[] } {
  const posted: HostToInspector[] = [];
  const session = new InspectorSession(file, { post: (m) => posted.push(m), pickFile: async () => pick });
  sessions.push(session);
  return { session, posted };
}

test('ready pushes the header; each request gets one reply with its replyTo', async () => {
  const { session, posted } = open(fixturePath('safetensors', 'siren.safetensors'));
  await session.handle({ type: 'ready' });
  assert.equal(posted.length, 1);
  assert.equal(posted[0]!.type, 'header');
  await session.handle({ type: 'tensorStats', requestId: 7, name: 'seq.0.bias' });
  assert.deepEqual(posted[1], { type: 'tensorStats', replyTo: 7, name: 'seq.0.bias', stats: { params: 32, min: 0, max: 0, mean: 0, std: 0, zerosPct: 100, nonFinite: 0 } });
  await session.handle({ type: 'tensorValues', requestId: 8, name: 'seq.1.weight', bins: 10 });
  const values = posted[2]!;
  assert.ok(values.type === 'tensorValues' && values.replyTo === 8 && typeof values.values.matrix.values === 'string');
  await session.handle({ type: 'reconstruct', requestId: 9, source: 'file', index: 0, resolution: 8 });
  assert.ok(posted[3]!.type === 'reconstruction' && posted[3]!.replyTo === 9 && posted[3]!.reconstruction.label === '7');
});

test('failures are typed replies: an unknown tensor, an INR that does not exist, a diff with nothing picked', async () => {
  const { session, posted } = open(fixturePath('safetensors', 'siren.safetensors'));
  await session.handle({ type: 'tensorStats', requestId: 1, name: 'nope' });
  await session.handle({ type: 'reconstruct', requestId: 2, source: 'file', index: 3, resolution: 8 });
  await session.handle({ type: 'diff', requestId: 3 });
  assert.deepEqual(
    posted.map((m) => (m.type === 'failed' ? [m.replyTo, m.error.code] : m.type)),
    [[1, 'no-such-tensor'], [2, 'invalid-request'], [3, 'invalid-request']],
  );
});

test('malformed and malicious messages are dropped: no reply, no crash, no work', async () => {
  const { session, posted } = open(fixturePath('safetensors', 'siren.safetensors'));
  for (const m of [
    null,
    'ready',
    { type: 'tensorStats', requestId: 1, name: 'seq.0.bias', extra: true },
    { type: 'tensorValues', requestId: 1, name: 'seq.0.bias', bins: 1e12 },
    { type: 'pickDiffFile', requestId: 1, file: '/etc/passwd' },
    JSON.parse('{"type":"ready","__proto__":{"x":1}}'),
  ]) {
    await session.handle(m);
  }
  assert.deepEqual(posted, []);
});

test('Compare with…: cancelled gives a null header; a picked file its header, then the diff', async () => {
  const cancelled = open(fixturePath('safetensors', 'siren.safetensors'));
  await cancelled.session.handle({ type: 'pickDiffFile', requestId: 4 });
  assert.deepEqual(cancelled.posted, [{ type: 'diffFile', replyTo: 4, header: null }]);

  const { session, posted } = open(fixturePath('safetensors', 'siren.safetensors'), fixturePath('torch', 'siren.pth'));
  await session.handle({ type: 'pickDiffFile', requestId: 5 });
  assert.ok(posted[0]!.type === 'diffFile' && posted[0]!.header?.format === 'pth');
  await session.handle({ type: 'diff', requestId: 6 });
  assert.ok(posted[1]!.type === 'diffReport' && posted[1]!.diff.tensors.length === 6);
  await session.handle({ type: 'reconstruct', requestId: 7, source: 'other', index: 0, resolution: 8 });
  assert.ok(posted[2]!.type === 'reconstruction' && posted[2]!.reconstruction.source === 'other');
});

test('a file that fails to parse: the error message on ready; a changed file is read again', async () => {
  const file = join(tmp, 'changing.pth');
  copyFileSync(fixturePath('torch', 'malicious-os-system.pth'), file);
  const { session, posted } = open(file);
  await session.handle({ type: 'ready' });
  assert.ok(posted[0]!.type === 'error' && posted[0]!.error.code === 'forbidden-global' && posted[0]!.error.file === file);
  copyFileSync(fixturePath('torch', 'siren.pth'), file);
  await session.fileChanged();
  assert.ok(posted[1]!.type === 'header' && posted[1]!.header.tensors.length === 6);
  await session.handle({ type: 'tensorStats', requestId: 1, name: 'seq.0.weight' });
  assert.equal(posted[2]!.type, 'tensorStats');
});
