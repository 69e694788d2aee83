/**
 * Worker threads that compute meshes' signed-distance targets (meshTargets), so generating a mesh dataset
 * keeps the main thread free and uses every core for the part of the work that is not fitting. Jobs go to
 * the least busy worker; results come back by job id, whatever the order they finish in, and are the same
 * as meshTargets computed here (the same code, seeded by the job). A worker that dies fails its jobs.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { startBundledWorker } from '../io/bundledWorker';
import type { Mesh } from './mesh';
import type { MeshTargets } from './meshFitItem';

export interface SdfJob {
  readonly id: number;
  readonly vertices: Float32Array;
  readonly triangles: Uint32Array;
  readonly seed: number;
}

export type SdfReply = { readonly id: number; readonly targets: MeshTargets } | { readonly id: number; readonly error: string };

interface Pending {
  readonly resolve: (targets: MeshTargets) => void;
  readonly reject: (error: Error) => void;
}

interface PoolThread {
  readonly worker: Worker;
  readonly jobs: Map<number, Pending>;
}

export class SdfTargetPool {
  private readonly threads: PoolThread[];
  private nextId = 0;
  private closed = false;

  constructor(threads = availableParallelism()) {
    this.threads = Array.from({ length: Math.max(1, threads) }, () => this.startThread());
  }

  private startThread(): PoolThread {
    const worker = startBundledWorker('sdf-worker.js', join(__dirname, 'sdfWorker.ts'));
    const thread: PoolThread = { worker, jobs: new Map() };
    worker.on('message', (reply: SdfReply) => {
      const pending = thread.jobs.get(reply.id);
      thread.jobs.delete(reply.id);
      if ('error' in reply) pending?.reject(new Error(`signed distances: ${reply.error}`));
      else pending?.resolve(reply.targets);
    });
    const fail = (error: Error) => {
      for (const pending of thread.jobs.values()) pending.reject(error);
      thread.jobs.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      fail(new Error(`the signed-distance worker exited with code ${code}`));
      // A worker that died is replaced, so later jobs do not wait on it.
      const index = this.threads.indexOf(thread);
      if (!this.closed && index >= 0) this.threads[index] = this.startThread();
    });
    return thread;
  }

  /** The targets of `mesh` (meshTargets(mesh, seed)), computed on the least busy worker. */
  targets(mesh: Mesh, seed: number): Promise<MeshTargets> {
    if (this.closed) return Promise.reject(new Error('the signed-distance pool is closed'));
    const thread = this.threads.reduce((a, b) => (b.jobs.size < a.jobs.size ? b : a));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      thread.jobs.set(id, { resolve, reject });
      const job: SdfJob = { id, vertices: mesh.vertices, triangles: mesh.triangles, seed };
      thread.worker.postMessage(job);
    });
  }

  /**
   * The targets of many meshes, at most two per worker in flight (so a folder of large meshes is not read
   * into memory all at once), in the order of `items`.
   */
  async mapTargets<T, R>(items: readonly T[], job: (item: T, targets: (mesh: Mesh, seed: number) => Promise<MeshTargets>) => Promise<R>): Promise<R[]> {
    const results: R[] = new Array(items.length);
    let next = 0;
    const lane = async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await job(items[i]!, (mesh, seed) => this.targets(mesh, seed));
      }
    };
    await Promise.all(Array.from({ length: Math.min(items.length, 2 * this.threads.length) }, lane));
    return results;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }
}
