/**
 * A worker thread of SdfTargetPool (sdfTargetPool.ts): computes one mesh's targets (meshTargets) per
 * message and posts them back, its arrays transferred.
 */
import { parentPort } from 'node:worker_threads';
import { meshTargets } from './meshFitItem';
import type { SdfJob, SdfReply } from './sdfTargetPool';

parentPort!.on('message', (job: SdfJob) => {
  let reply: SdfReply;
  try {
    const targets = meshTargets({ vertices: job.vertices, triangles: job.triangles }, job.seed);
    reply = { id: job.id, targets };
    parentPort!.postMessage(reply, [targets.coords.buffer, targets.target.buffer, targets.heldOut.buffer, targets.truth.buffer] as ArrayBuffer[]);
  } catch (e) {
    reply = { id: job.id, error: e instanceof Error ? e.message : String(e) };
    parentPort!.postMessage(reply);
  }
});
