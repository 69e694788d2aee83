// The host's worker thread for the inspector (src/extension/panels/inspector/workerClient.ts running
// src/worker/inspectWorker.ts over INSPECT_WORKER_RPC): answers as the engine does, typed errors come back
// as RemoteError with the worker's ErrorInfo, a closed client refuses (no-answer) and fails what was
// pending, a restart drops the old thread, a thread that dies fails what it held (internal).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InspectWorkerClient } from '../../src/extension/panels/inspector/workerClient';
import { InspectEngine } from '../../src/core/inspect/engine';
import { RemoteError, type ErrorCode } from '../../src/core/labError';
import { fixturePath } from '../helpers/fixtures';

const SIREN = fixturePath('safetensors', 'siren.safetensors');
const tmp = mkdtempSync(join(tmpdir(), 'wslab-inspect-worker-'));
const clients: InspectWorkerClient[] = [];
after(() => {
  clients.forEach((c) => c.dispose());
  rmSync(tmp, { recursive: true, force: true });
});

function client(file = SIREN, script?: string): InspectWorkerClient {
  const c = new InspectWorkerClient(file, script);
  clients.push(c);
  return c;
}

/** A rejection check: a RemoteError with `code` (and whatever else `more` asks of it). */
function remote(code: ErrorCode, more: (e: RemoteError) => boolean = () => true): (e: unknown) => boolean {
  return (e) => e instanceof RemoteError && e.info.code === code && more(e);
}

test('the worker answers statistics, values, reconstructions and diffs as the engine does', async () => {
  const worker = client();
  assert.equal(worker.threadId, undefined, 'no thread before the first request');
  const engine = await InspectEngine.open(SIREN);
  try {
    assert.deepEqual(await worker.request('stats', { name: 'seq.1.weight' }), await engine.tensorStats('seq.1.weight'));
    assert.notEqual(worker.threadId, undefined);
    const values = await worker.request('values', { name: 'seq.0.weight', bins: 8 });
    assert.deepEqual(values.histogram, (await engine.tensorValues('seq.0.weight', 8)).histogram);
    assert.ok(values.matrix.values instanceof Float32Array);
    const r = await worker.request('reconstruct', { source: 'file', index: 0, resolution: 12, view: null });
    assert.deepEqual(Array.from(r.pixels), Array.from((await engine.reconstruct(0, 12)).pixels));
    const other = await worker.request('openOther', { file: fixturePath('torch', 'siren.pth') });
    assert.equal(other.format, 'pth');
    const diff = await worker.request('diff', {});
    assert.equal(diff.tensors.length, 6);
    assert.ok(diff.tensors.every((t) => t.status === 'compared'));
    assert.equal(await worker.request('closeOther', {}), null);
    await assert.rejects(worker.request('diff', {}), remote('invalid-request'));
  } finally {
    await engine.close();
  }
});

test('typed errors: an unknown tensor, an unreadable other file, a broken main file', async () => {
  const worker = client();
  await assert.rejects(worker.request('stats', { name: 'nope' }), remote('no-such-tensor'));
  await assert.rejects(
    worker.request('openOther', { file: fixturePath('torch', 'malicious-os-system.pth') }),
    remote('forbidden-global', (e) => /malicious-os-system\.pth/.test(e.info.file)),
  );
  const missing = client('/nonexistent/dir/x.safetensors');
  await assert.rejects(missing.request('stats', { name: 'a' }), remote('not-found'));
});

test('dispose fails pending requests and refuses new ones; restart starts a fresh thread', async () => {
  const worker = client();
  await worker.request('stats', { name: 'seq.0.bias' });
  const first = worker.threadId;
  worker.restart();
  assert.equal(worker.threadId, undefined);
  await worker.request('stats', { name: 'seq.0.bias' });
  assert.notEqual(worker.threadId, first);
  const pending = worker.request('reconstruct', { source: 'file', index: 0, resolution: 512, view: null });
  worker.dispose();
  await assert.rejects(
    pending,
    remote('no-answer', (e) => /closed/.test(e.message)),
  );
  await assert.rejects(
    worker.request('stats', { name: 'seq.0.bias' }),
    remote('no-answer', (e) => /closed/.test(e.message)),
  );
  assert.equal(worker.threadId, undefined, 'no thread started after dispose');
});

test('a thread that dies fails what it held with code internal; the next request starts a new one', async () => {
  // A stand-in worker that exits on the first message it gets.
  const script = join(tmp, 'dies.cjs');
  writeFileSync(script, "require('node:worker_threads').parentPort.on('message', () => process.exit(3));\n");
  const worker = client(SIREN, script);
  await assert.rejects(
    worker.request('stats', { name: 'seq.0.bias' }),
    remote('internal', (e) => /exit code 3/.test(e.message)),
  );
  await assert.rejects(worker.request('stats', { name: 'seq.0.bias' }), remote('internal'));
});
