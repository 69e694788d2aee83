// The preview panel's render thread (src/worker/previewThread.ts): a request resolves with the samples of
// previewSamples encoded for the webview, a failure rejects with a RemoteError typed (code, file, message),
// and as a real worker_threads Worker the thread serves PREVIEW_THREAD_RPC (src/protocol/rpc.ts), answering
// every { rpc: 'request', id, method: 'render', params } with one reply, in order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { parseAugmentations } from '../../src/core/augment/parse';
import { openPreviewInput } from '../../src/core/augment/preview';
import { previewSamples } from '../../src/core/augment/previewSamples';
import { DEFAULT_SIREN } from '../../src/core/inr/spec';
import { RemoteError, type ErrorInfo } from '../../src/core/labError';
import type { PreviewSelection, PreviewThreadRequest, WirePreview } from '../../src/protocol/preview';
import type { RpcReply, RpcRequest } from '../../src/protocol/rpc';
import { decodeFloat32 } from '../../src/protocol/wire';
import { renderRequest } from '../../src/worker/previewThread';

const ROOT = resolve(__dirname, '..', '..');
const TINY = join(ROOT, 'test', 'fixtures', 'dataset', 'tiny');
const SAMPLE = join(ROOT, 'samples', 'siren-sample.pth');

const selection = (fields: Partial<PreviewSelection> = {}): PreviewSelection => ({
  inrId: 'x',
  augmentation: 'rotate',
  params: { degrees: 30 },
  seed: 2,
  count: 1,
  partnerId: null,
  ...fields,
});
const request = (fields: Partial<PreviewThreadRequest> = {}): PreviewThreadRequest => ({
  target: `${TINY}#img409-v0`,
  partnerTarget: null,
  selection: selection(),
  size: 12,
  ...fields,
});

/** The typed error a render rejects with (fails the test when it resolves, or rejects with anything else). */
async function failure(thread: PreviewThreadRequest): Promise<ErrorInfo> {
  let preview: WirePreview;
  try {
    preview = await renderRequest(thread);
  } catch (e) {
    assert.ok(e instanceof RemoteError, `rejected with ${String(e)}, not a RemoteError`);
    return e.info;
  }
  assert.fail(`rendered instead of failing: ${JSON.stringify(preview.selection)}`);
}

test('the answer is previewSamples, base64-encoded, with the selection echoed', async () => {
  const preview = await renderRequest(
    request({ selection: selection({ augmentation: 'mixup', params: { min: 0.5, max: 0.5 }, count: 8, partnerId: 'p' }), partnerTarget: `${TINY}#img8176-v0` }),
  );
  const input = await openPreviewInput(`${TINY}#img409-v0`, `${TINY}#img8176-v0`, DEFAULT_SIREN);
  const expected = await previewSamples(input, parseAugmentations('mixup:min=0.5,max=0.5')[0]!, { seed: 2, count: 8, size: 12 });
  assert.equal(preview.selection.partnerId, 'p');
  assert.deepEqual([preview.size, preview.channels, preview.warped], [12, 1, false]);
  assert.deepEqual(decodeFloat32(preview.original.pixels), expected.original.pixels);
  assert.equal(preview.samples.length, 8);
  preview.samples.forEach((s, k) => {
    assert.deepEqual(decodeFloat32(s.pixels), expected.samples[k]!.pixels);
    assert.equal(s.error, expected.samples[k]!.error);
    assert.equal(s.partner, 'p'); // the panel's id for the chosen partner, not its path
    assert.deepEqual(
      s.weights.map((w) => decodeFloat32(w.values)),
      expected.samples[k]!.weights.map((w) => w.values),
    );
  });
  assert.equal(preview.mix?.alpha, 0.5);
  assert.equal(preview.mix?.partner, 'p');
  assert.deepEqual(decodeFloat32(preview.mix!.aligned.pixels), expected.mix!.aligned.pixels);
  assert.ok(preview.elapsedMs >= 0);
});

test('failures come back typed: the augmentation’s, the dataset’s, the weight file’s', async () => {
  const mixupWithoutPartner = await failure(request({ target: SAMPLE, selection: selection({ augmentation: 'mixup', params: {} }) }));
  assert.deepEqual([mixupWithoutPartner.code, mixupWithoutPartner.file], ['augment', SAMPLE]);
  assert.match(mixupWithoutPartner.message, /mixup needs a partner/);
  const unknownId = await failure(request({ target: `${TINY}#nope` }));
  assert.equal(unknownId.code, 'dataset');
  const missing = await failure(request({ target: join(ROOT, 'no-such.safetensors') }));
  assert.equal(missing.code, 'not-found');
  const badParam = await failure(request({ selection: selection({ params: { degrees: 999 } }) }));
  assert.equal(badParam.code, 'augment');
  assert.match(badParam.message, /rotate:degrees must be/);
  const unknownAugmentation = await failure(request({ selection: selection({ augmentation: 'nope', params: {} }) }));
  assert.deepEqual([unknownAugmentation.code, unknownAugmentation.message], ['augment', 'unknown augmentation "nope"']);
});

test('as a worker_threads Worker it answers every request, in order, and a malformed one with bad-message', async () => {
  const source = `require(${JSON.stringify(createRequire(__filename).resolve('tsx/cjs/api'))}).register(); require(${JSON.stringify(join(ROOT, 'src', 'worker', 'previewThread.ts'))});`;
  const worker = new Worker(source, { eval: true });
  try {
    const replies: RpcReply[] = [];
    const done = new Promise<void>((resolveDone, reject) => {
      worker.on('message', (reply: RpcReply) => {
        replies.push(reply);
        if (replies.length === 3) resolveDone();
      });
      worker.on('error', reject);
    });
    const render = (id: number, params: unknown): RpcRequest => ({ rpc: 'request', id, method: 'render', params });
    worker.postMessage(render(1, request()));
    worker.postMessage(render(2, request({ target: `${TINY}#nope` })));
    worker.postMessage(render(3, request({ selection: selection({ augmentation: 'permute', params: {} }) })));
    worker.postMessage({ rpc: 'request', method: 'render', params: request() }); // no id: cannot be answered, dropped
    await done;
    // The request without an id, sent last but checked at once, would have been answered first.
    assert.deepEqual(
      replies.map((r) => [r.id, 'error' in r ? r.error.code : 'result']),
      [
        [1, 'result'],
        [2, 'dataset'],
        [3, 'result'],
      ],
    );
    const permuted = replies[2]!;
    assert.ok(!('error' in permuted), JSON.stringify(permuted));
    const error = (permuted.result as WirePreview).samples[0]!.error;
    assert.ok(error !== null && error < 1e-4, `permute is exact: ${error}`);
    // A request the thread cannot check is answered at once (not queued) with the field named.
    worker.postMessage(render(4, { ...request(), size: 0 }));
    const bad = await new Promise<RpcReply>((resolveBad) => worker.once('message', resolveBad));
    assert.deepEqual(bad, {
      rpc: 'reply',
      id: 4,
      error: { code: 'bad-message', file: '', message: '"render" params.size must be an integer in [1, 4096], got 0' },
    });
    assert.equal(replies.length, 4, 'every request is answered exactly once');
  } finally {
    await worker.terminate();
  }
});
