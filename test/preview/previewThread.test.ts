// The preview panel's render thread (src/worker/previewThread.ts): a request's answer is the samples of
// previewSamples encoded for the webview, failures are typed (code, file, message), and the thread's
// message loop answers in order when it runs as a real worker_threads Worker.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { parseAugmentations } from '../../src/core/augment/parse';
import { openPreviewInput } from '../../src/core/augment/preview';
import { previewSamples } from '../../src/core/augment/previewSamples';
import { DEFAULT_SIREN } from '../../src/core/inr/spec';
import type { PreviewSelection, PreviewThreadReply, PreviewThreadRequest } from '../../src/protocol/preview';
import { decodeFloat32 } from '../../src/protocol/wire';
import { renderRequest } from '../../src/worker/previewThread';

const ROOT = resolve(__dirname, '..', '..');
const TINY = join(ROOT, 'test', 'fixtures', 'dataset', 'tiny');
const SAMPLE = join(ROOT, 'samples', 'siren-sample.pth');

const selection = (fields: Partial<PreviewSelection> = {}): PreviewSelection => ({ inrId: 'x', augmentation: 'rotate', params: { degrees: 30 }, seed: 2, count: 1, partnerId: null, ...fields });
const request = (fields: Partial<PreviewThreadRequest> = {}): PreviewThreadRequest => ({ id: 1, target: `${TINY}#img409-v0`, partnerTarget: null, selection: selection(), size: 12, ...fields });

test('the answer is previewSamples, base64-encoded, with the selection echoed', async () => {
  const reply = await renderRequest(request({ selection: selection({ augmentation: 'mixup', params: { min: 0.5, max: 0.5 }, count: 8, partnerId: 'p' }), partnerTarget: `${TINY}#img8176-v0` }));
  assert.ok(reply.ok, JSON.stringify(reply));
  const input = await openPreviewInput(`${TINY}#img409-v0`, `${TINY}#img8176-v0`, DEFAULT_SIREN);
  const expected = await previewSamples(input, parseAugmentations('mixup:min=0.5,max=0.5')[0]!, { seed: 2, count: 8, size: 12 });
  const { preview } = reply;
  assert.equal(preview.selection.partnerId, 'p');
  assert.deepEqual([preview.size, preview.channels, preview.warped], [12, 1, false]);
  assert.deepEqual(decodeFloat32(preview.original.pixels), expected.original.pixels);
  assert.equal(preview.samples.length, 8);
  preview.samples.forEach((s, k) => {
    assert.deepEqual(decodeFloat32(s.pixels), expected.samples[k]!.pixels);
    assert.equal(s.error, expected.samples[k]!.error);
    assert.equal(s.partner, 'p'); // the panel's id for the chosen partner, not its path
    assert.deepEqual(s.weights.map((w) => decodeFloat32(w.values)), expected.samples[k]!.weights.map((w) => w.values));
  });
  assert.equal(preview.mix?.alpha, 0.5);
  assert.equal(preview.mix?.partner, 'p');
  assert.deepEqual(decodeFloat32(preview.mix!.aligned.pixels), expected.mix!.aligned.pixels);
  assert.ok(preview.elapsedMs >= 0);
});

test('failures come back typed: the augmentation’s, the dataset’s, the weight file’s', async () => {
  const mixupWithoutPartner = await renderRequest(request({ target: SAMPLE, selection: selection({ augmentation: 'mixup', params: {} }) }));
  assert.deepEqual(mixupWithoutPartner.ok ? undefined : [mixupWithoutPartner.error.code, mixupWithoutPartner.error.file], ['augment', SAMPLE]);
  assert.match(mixupWithoutPartner.ok ? '' : mixupWithoutPartner.error.message, /mixup needs a partner/);
  const unknownId = await renderRequest(request({ target: `${TINY}#nope` }));
  assert.deepEqual(unknownId.ok ? undefined : unknownId.error.code, 'dataset');
  const missing = await renderRequest(request({ target: join(ROOT, 'no-such.safetensors') }));
  assert.deepEqual(missing.ok ? undefined : missing.error.code, 'not-found');
  const badParam = await renderRequest(request({ selection: selection({ params: { degrees: 999 } }) }));
  assert.match(badParam.ok ? '' : badParam.error.message, /rotate:degrees must be/);
});

test('as a worker_threads Worker it answers every request, in order', async () => {
  const source = `require(${JSON.stringify(createRequire(__filename).resolve('tsx/cjs/api'))}).register(); require(${JSON.stringify(join(ROOT, 'src', 'worker', 'previewThread.ts'))});`;
  const worker = new Worker(source, { eval: true });
  try {
    const replies: PreviewThreadReply[] = [];
    const done = new Promise<void>((resolveDone, reject) => {
      worker.on('message', (reply: PreviewThreadReply) => {
        replies.push(reply);
        if (replies.length === 3) resolveDone();
      });
      worker.on('error', reject);
    });
    worker.postMessage(request({ id: 1 }));
    worker.postMessage(request({ id: 2, target: `${TINY}#nope` }));
    worker.postMessage(request({ id: 3, selection: selection({ augmentation: 'permute', params: {} }) }));
    await done;
    assert.deepEqual(replies.map((r) => [r.id, r.ok]), [[1, true], [2, false], [3, true]]);
    const permuted = replies[2]!;
    assert.ok(permuted.ok && permuted.preview.samples[0]!.error !== null && permuted.preview.samples[0]!.error < 1e-4);
  } finally {
    await worker.terminate();
  }
});
