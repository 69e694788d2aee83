/**
 * The extension host's handle on a worker thread that serves an rpc.ts channel (the inspector's worker,
 * the preview's render thread): the thread starts on the first request; a thread that fails or exits
 * fails what it held (code internal) and the next request starts a new one; `restart` drops the thread
 * and what it was doing; `dispose` ends it for good. No vscode import: tests drive it in plain Node.
 */
import type { Worker } from 'node:worker_threads';
import { RpcClient, type Channel, type MethodName, type ParamsOf, type ResultOf } from '../protocol/rpc';

export class ThreadClient<C extends Channel> {
  private worker: Worker | undefined;
  private rpc: RpcClient<C> | undefined;

  constructor(
    private readonly startThread: () => Worker,
    /** Who answers, for the error messages: "the inspector's worker". */
    private readonly peer: string,
    /** The file the thread works on, for the errors it makes itself. */
    private readonly file = '',
  ) {}

  /** Sends one request; resolves with the thread's result or rejects with a RemoteError (its typed error). */
  request<K extends MethodName<C>>(method: K, params: ParamsOf<C, K>): Promise<ResultOf<C, K>> {
    const rpc = this.rpc ?? this.start(); // after dispose: a closed client, which refuses
    return rpc.request(method, params);
  }

  /** The thread's id, while one runs (for measurements). */
  get threadId(): number | undefined {
    return this.worker?.threadId;
  }

  /** Stops the thread (at once, even mid-request) and fails what is pending with `reason`; the next request starts a new one. */
  restart(reason: string): void {
    this.stop(reason);
  }

  /** Stops the thread for good: what is pending and every later request fail with `reason`. */
  dispose(reason: string): void {
    this.stop(reason); // not this.restart: a subclass's restart() may give its own reason
    this.rpc = new RpcClient<C>(() => undefined, { peer: this.peer, file: this.file });
    this.rpc.dispose(reason);
  }

  private stop(reason: string): void {
    const worker = this.worker;
    this.worker = undefined;
    this.rpc?.dispose(reason);
    this.rpc = undefined;
    void worker?.terminate();
  }

  private start(): RpcClient<C> {
    const worker = this.startThread();
    const rpc = new RpcClient<C>((request) => worker.postMessage(request), { peer: this.peer, file: this.file });
    this.worker = worker;
    this.rpc = rpc;
    worker.on('message', (message: unknown) => rpc.receive(message));
    const died = (reason: string) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.rpc = undefined;
      rpc.dispose(reason, 'internal');
    };
    worker.on('error', (e) => died(`${this.peer} failed: ${e.message}`));
    worker.on('exit', (code) => died(`${this.peer} stopped (exit code ${code})`));
    return rpc;
  }
}
