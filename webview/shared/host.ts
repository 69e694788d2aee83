/**
 * The webview's side of the channel to the extension host. Wraps `acquireVsCodeApi` (callable once per
 * page) with typed messages: requests of the panel's RPC channel (src/protocol/rpc.ts: each resolves with
 * its result or rejects with a RemoteError carrying the host's typed error, or no-answer after
 * `timeoutMs`, default 60 s, so a lost answer shows as an error instead of a spinner forever), one-way
 * notices to the host, and the host's pushed messages for the `onMessage` handlers.
 */
import { RpcClient, type Channel, type MethodName, type ParamsOf, type ResultOf } from '../../src/protocol/rpc';

export interface HostChannel<C extends Channel, ToHost extends { type: string }, FromHost extends { type: string }, State> {
  /** Sends a notice that expects no answer. */
  post(message: ToHost): void;
  /** Asks the host `method`. */
  request<K extends MethodName<C>>(method: K, params: ParamsOf<C, K>, timeoutMs?: number): Promise<ResultOf<C, K>>;
  /** Called for every host message that is not an answer to a request. */
  onMessage(handler: (message: FromHost) => void): void;
  /** What setState saved, kept by VS Code while the panel is hidden. */
  getState(): State | undefined;
  setState(state: State): void;
}

export function createHostChannel<C extends Channel, ToHost extends { type: string }, FromHost extends { type: string }, State = unknown>(): HostChannel<
  C,
  ToHost,
  FromHost,
  State
> {
  const vscode = acquireVsCodeApi<State>();
  const handlers: ((message: FromHost) => void)[] = [];
  const rpc = new RpcClient<C>((request) => vscode.postMessage(request), { peer: 'the extension', timeoutMs: 60_000 });

  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const message = event.data;
    if (rpc.receive(message)) return;
    if (typeof message !== 'object' || message === null || typeof (message as { type?: unknown }).type !== 'string') return;
    for (const handler of handlers) handler(message as FromHost);
  });

  return {
    post: (message) => vscode.postMessage(message),
    request: (method, params, timeoutMs) => rpc.request(method, params, timeoutMs),
    onMessage: (handler) => {
      handlers.push(handler);
    },
    getState: () => vscode.getState(),
    setState: (state) => {
      vscode.setState(state);
    },
  };
}
