/**
 * worker_threads entry of sharded fused training (bundled as dist/fused-worker.js): one FusedShard, built
 * from the plain data and compiled kernel its engine sends, running the engine's commands on its rows. A
 * failure raises the team's abort flag (so no thread waits for this one) and is reported on the error port.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { KernelModule } from '../inr/wasmKernel';
import { WeightSet } from '../weights/weightSet';
import { batchMaker, type BatchSource } from '../train/trainingBatch';
import { FusedShard, type ShardInit } from './fusedShard';

export interface FusedWorkerInit {
  readonly shard: ShardInit;
  readonly module: KernelModule;
  /** Where a failure is reported (read synchronously by the engine after an abort). */
  readonly errors: MessagePort;
  /** Float32 [batchRows, P] networks then [batchRows, classes] targets, written by the engine for each step. */
  readonly batch: SharedArrayBuffer;
  readonly batchRows: number;
  /** The training split (in shared memory) and how to make rows of it: each thread makes its own shard. */
  readonly source?: BatchSource;
}

export type ToFusedWorker =
  | { readonly type: 'step'; readonly count: number }
  | { readonly type: 'batch'; readonly indices: Int32Array; readonly epoch: number; readonly start: number }
  | { readonly type: 'eval'; readonly data: SharedArrayBuffer; readonly labels: SharedArrayBuffer }
  | { readonly type: 'load'; readonly tensors: ShardInit['program']['tensors']; readonly m: Float32Array; readonly v: Float32Array; readonly step: number };

function serve(port: NonNullable<typeof parentPort>, init: FusedWorkerInit): void {
  const shard = new FusedShard(init.shard, init.module);
  const P = init.shard.program.gather.reduce((n, g) => n + g.length, 0);
  const classes = init.shard.program.classes;
  const x = new Float32Array(init.batch, 0, init.batchRows * P);
  const targets = new Float32Array(init.batch, 4 * init.batchRows * P, init.batchRows * classes);
  const make = init.source ? batchMaker(init.source) : null;
  port.on('message', (message: ToFusedWorker) => {
    try {
      if (message.type === 'batch') {
        if (!make) throw new Error('this worker was started without a batch source');
        const count = message.indices.length;
        const [start, end] = shard.rowsOf(count);
        const rows = make(message, start, end);
        shard.trainRows(rows.data, rows.targets, count);
      } else if (message.type === 'step') shard.trainStep(x.subarray(0, message.count * P), targets.subarray(0, message.count * classes), message.count);
      else if (message.type === 'eval') shard.evaluate(new Float32Array(message.data), new Int32Array(message.labels));
      else {
        const p = shard.program;
        p.loadParameters(WeightSet.fromArrays(message.tensors.map((t) => ({ name: t.name, shape: [...t.shape], data: t.data }))));
        p.f32(p.m).set(message.m);
        p.f32(p.v).set(message.v);
        shard.step = message.step;
      }
    } catch (error) {
      // The report first: the engine reads it as soon as it sees the abort flag.
      init.errors.postMessage(error instanceof Error ? (error.stack ?? error.message) : String(error));
      shard.abort();
    }
  });
}

if (parentPort) serve(parentPort, workerData as FusedWorkerInit);
