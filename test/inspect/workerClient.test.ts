// The host's worker thread for the inspector (src/extension/inspector/workerClient.ts running
// src/worker/inspectWorker.ts): answers as the engine does, typed errors come back as
// InspectRequestError, a closed client refuses and fails what was pending, a restart drops the old thread.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { InspectRequestError, InspectWorkerClient } from '../../src/extension/inspector/workerClient';
import { InspectEngine } from '../../src/core/inspect/engine';
import type { DiffReport, InspectHeader, Reconstruction, TensorStats } from '../../src/core/inspect/reportTypes';
import type { TensorValues } from '../../src/core/inspect/tensorValues';
import { fixturePath } from '../helpers/fixtures';

const SIREN = fixturePath('safetensors', 'siren.safetensors');
const clients: InspectWorkerClient[] = [];
after(() => clients.forEach((c) => c.dispose()));

function client(file = SIREN): InspectWorkerClient {
  const c = new InspectWorkerClient(file);
  clients.push(c);
  return c;
}

test('the worker answers statistics, values, reconstructions and diffs as the engine does', async () => {
  const worker = client();
  assert.equal(worker.threadId, undefined, 'no thread before the first request');
  const engine = await InspectEngine.open(SIREN);
  try {
    assert.deepEqual(await worker.request<TensorStats>({ op: 'stats', name: 'seq.1.weight' }), await engine.tensorStats('seq.1.weight'));
    assert.notEqual(worker.threadId, undefined);
    const values = await worker.request<TensorValues>({ op: 'values', name: 'seq.0.weight', bins: 8 });
    assert.deepEqual(values.histogram, (await engine.tensorValues('seq.0.weight', 8)).histogram);
    assert.ok(values.matrix.values instanceof Float32Array);
    const r = await worker.request<Reconstruction>({ op: 'reconstruct', source: 'file', index: 0, resolution: 12 });
    assert.deepEqual(Array.from(r.pixels), Array.from((await engine.reconstruct(0, 12)).pixels));
    const other = await worker.request<InspectHeader>({ op: 'openOther', file: fixturePath('torch', 'siren.pth') });
    assert.equal(other.format, 'pth');
    const diff = await worker.request<DiffReport>({ op: 'diff' });
    assert.equal(diff.tensors.length, 6);
    assert.ok(diff.tensors.every((t) => t.status === 'compared'));
    await worker.request({ op: 'closeOther' });
    await assert.rejects(worker.request({ op: 'diff' }), (e: unknown) => e instanceof InspectRequestError && e.info.code === 'invalid-request');
  } finally {
    await engine.close();
  }
});

test('typed errors: an unknown tensor, an unreadable other file, a broken main file', async () => {
  const worker = client();
  await assert.rejects(worker.request({ op: 'stats', name: 'nope' }), (e: unknown) => e instanceof InspectRequestError && e.info.code === 'no-such-tensor');
  await assert.rejects(
    worker.request({ op: 'openOther', file: fixturePath('torch', 'malicious-os-system.pth') }),
    (e: unknown) => e instanceof InspectRequestError && e.info.code === 'forbidden-global' && /malicious-os-system\.pth/.test(e.info.file),
  );
  const missing = client('/nonexistent/dir/x.safetensors');
  await assert.rejects(missing.request({ op: 'stats', name: 'a' }), (e: unknown) => e instanceof InspectRequestError && e.info.code === 'not-found');
});

test('dispose fails pending requests and refuses new ones; restart starts a fresh thread', async () => {
  const worker = client();
  await worker.request({ op: 'stats', name: 'seq.0.bias' });
  const first = worker.threadId;
  worker.restart();
  assert.equal(worker.threadId, undefined);
  await worker.request({ op: 'stats', name: 'seq.0.bias' });
  assert.notEqual(worker.threadId, first);
  const pending = worker.request({ op: 'reconstruct', source: 'file', index: 0, resolution: 512 });
  worker.dispose();
  await assert.rejects(pending, /closed/);
  await assert.rejects(worker.request({ op: 'stats', name: 'seq.0.bias' }), /closed/);
});
