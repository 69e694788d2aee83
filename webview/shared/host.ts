/**
 * The webview's side of the channel to the extension host. Wraps `acquireVsCodeApi` (callable once per
 * page) with typed messages and a request/response convention: a webview message that expects an answer
 * carries `requestId`, and the host's answer carries `replyTo` with the same number. Host messages without
 * `replyTo` are events (a pushed update) and go to the `onMessage` handlers.
 */

type WithoutRequestId<T> = T extends unknown ? Omit<T, 'requestId'> : never;

export interface HostChannel<ToHost extends { type: string }, FromHost extends { type: string }, State> {
  /** Sends a message that expects no answer. */
  post(message: ToHost): void;
  /**
   * Sends a request (this adds its `requestId`) and resolves with the host's answer, or rejects after
   * `timeoutMs` (default 60 s) so a lost answer shows as an error instead of a spinner forever.
   */
  request<R extends FromHost = FromHost>(message: WithoutRequestId<ToHost>, timeoutMs?: number): Promise<R>;
  /** Called for every host message that is not an answer to a request. */
  onMessage(handler: (message: FromHost) => void): void;
  /** What setState saved, kept by VS Code while the panel is hidden. */
  getState(): State | undefined;
  setState(state: State): void;
}

interface Pending {
  resolve(message: unknown): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

export function createHostChannel<ToHost extends { type: string }, FromHost extends { type: string }, State = unknown>(): HostChannel<
  ToHost,
  FromHost,
  State
> {
  const vscode = acquireVsCodeApi<State>();
  const handlers: ((message: FromHost) => void)[] = [];
  const pending = new Map<number, Pending>();
  let nextId = 1;

  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const message = event.data;
    if (typeof message !== 'object' || message === null || typeof (message as { type?: unknown }).type !== 'string') return;
    const replyTo = (message as { replyTo?: unknown }).replyTo;
    if (typeof replyTo === 'number') {
      const waiting = pending.get(replyTo);
      if (!waiting) return;
      pending.delete(replyTo);
      clearTimeout(waiting.timer);
      waiting.resolve(message);
      return;
    }
    for (const handler of handlers) handler(message as FromHost);
  });

  return {
    post: (message) => vscode.postMessage(message),
    request: <R extends FromHost>(message: WithoutRequestId<ToHost>, timeoutMs = 60_000) =>
      new Promise<R>((resolve, reject) => {
        const requestId = nextId++;
        const timer = setTimeout(() => {
          pending.delete(requestId);
          reject(new Error(`the extension did not answer "${message.type}" within ${Math.round(timeoutMs / 1000)} s`));
        }, timeoutMs);
        pending.set(requestId, { resolve: resolve as (m: unknown) => void, reject, timer });
        vscode.postMessage({ ...message, requestId });
      }),
    onMessage: (handler) => {
      handlers.push(handler);
    },
    getState: () => vscode.getState(),
    setState: (state) => {
      vscode.setState(state);
    },
  };
}
