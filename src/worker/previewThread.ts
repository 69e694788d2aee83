/**
 * The augmentation preview panel's render thread (worker_threads entry, bundled as
 * dist/preview-thread.js). The panel renders on every control change, so it keeps one thread alive per
 * panel instead of running the worker-process 'preview' job: a task would fork a process per render
 * (~0.3 s of start-up before a render of ~50 ms), queue behind a running training (one task at a time
 * by default) and raise a progress notification for each slider move. The thread keeps the extension
 * host's event loop free all the same, and caches the INR it last opened.
 *
 * It serves PREVIEW_THREAD_RPC (rpc.ts), one request at a time in order: the samples already encoded for
 * the webview (base64 float32), or the typed error about the INR's file.
 */
import { parentPort } from 'node:worker_threads';
import { AugmentError } from '../core/augment/params';
import { openPreviewInput, type PreviewInput } from '../core/augment/preview';
import { previewSamples, type PreviewImage, type PreviewSample, type PreviewSamples, type WeightMatrix } from '../core/augment/previewSamples';
import { findAugmentation } from '../core/augment/registry';
import { DEFAULT_SIREN } from '../core/inr/spec';
import {
  PREVIEW_THREAD_RPC,
  type PreviewSelection,
  type PreviewThreadRequest,
  type WireImage,
  type WireMatrix,
  type WirePreview,
  type WireSample,
} from '../protocol/preview';
import { RpcServer } from '../protocol/rpc';
import { encodeFloat32 } from '../protocol/wire';
import { RemoteError, toErrorInfo } from '../core/labError';

function wireMatrix(m: WeightMatrix): WireMatrix {
  return { layer: m.layer, rows: m.rows, cols: m.cols, outFeatures: m.outFeatures, inFeatures: m.inFeatures, values: encodeFloat32(m.values) };
}

function wireImage(image: PreviewImage): WireImage {
  return { pixels: encodeFloat32(image.pixels), weights: image.weights.map(wireMatrix) };
}

function wireSample(sample: PreviewSample, partnerName: (p: string) => string): WireSample {
  return {
    ...wireImage(sample),
    error: Number.isFinite(sample.error) ? sample.error : null,
    description: sample.description,
    partner: sample.partner === undefined ? null : partnerName(sample.partner),
  };
}

/**
 * The samples as the webview receives them. `partnerName` turns a partner as core names it (a dataset id,
 * or the chosen partner's path) into the panel's id for it.
 */
export function toWire(samples: PreviewSamples, selection: PreviewSelection, elapsedMs: number, partnerName: (p: string) => string = (p) => p): WirePreview {
  const { mix } = samples;
  const sample = (s: PreviewSample) => wireSample(s, partnerName);
  return {
    selection,
    size: samples.size,
    channels: samples.channels,
    warped: samples.warped,
    original: wireImage(samples.original),
    samples: samples.samples.map(sample),
    mix: mix
      ? {
          partner: partnerName(mix.partner),
          alpha: mix.alpha,
          partnerImage: wireImage(mix.partnerImage),
          unaligned: sample(mix.unaligned),
          aligned: sample(mix.aligned),
        }
      : null,
    elapsedMs,
  };
}

/** The last input opened (the panel renders the same INR over and over while controls change). */
let cached: { key: string; input: Promise<PreviewInput> } | undefined;

function inputFor(target: string, partnerTarget: string | null): Promise<PreviewInput> {
  const key = JSON.stringify([target, partnerTarget]);
  if (cached?.key === key) return cached.input;
  const input = openPreviewInput(target, partnerTarget ?? undefined, DEFAULT_SIREN);
  cached = { key, input };
  // A failed open is not kept: the file may be fixed before the next render.
  input.catch(() => {
    if (cached?.key === key) cached = undefined;
  });
  return input;
}

/** Renders one request; a failure rejects with the typed error about the request's INR. */
export async function renderRequest(request: PreviewThreadRequest): Promise<WirePreview> {
  const started = performance.now();
  try {
    const { selection } = request;
    const augmentation = findAugmentation(selection.augmentation);
    if (!augmentation) throw new AugmentError(`unknown augmentation "${selection.augmentation}"`);
    const step = { augmentation, params: augmentation.resolve(selection.params) };
    const input = await inputFor(request.target, request.partnerTarget);
    const samples = await previewSamples(input, step, { seed: selection.seed, count: selection.count, size: request.size });
    const partnerName = (p: string) => (p === request.partnerTarget && selection.partnerId !== null ? selection.partnerId : p);
    return toWire(samples, selection, Math.round(performance.now() - started), partnerName);
  } catch (e) {
    throw new RemoteError(toErrorInfo(e, request.target));
  }
}

if (parentPort) {
  const port = parentPort;
  // One at a time, in order: a render holds the INR's arrays, and the thread has one core's work anyway.
  let queue: Promise<unknown> = Promise.resolve();
  const server = new RpcServer(
    PREVIEW_THREAD_RPC,
    {
      render: (request) => {
        const done = queue.then(() => renderRequest(request));
        queue = done.catch(() => undefined);
        return done;
      },
    },
    (reply) => port.postMessage(reply),
  );
  port.on('message', (message: unknown) => void server.receive(message));
}
