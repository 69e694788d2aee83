/**
 * The API VS Code gives a webview's scripts (global `acquireVsCodeApi`, callable once per page).
 * Messages are typed at the call sites through src/protocol.
 */
interface VsCodeWebviewApi<State> {
  postMessage(message: unknown): void;
  /** The state saved by setState, kept while the webview is hidden and shown again. */
  getState(): State | undefined;
  setState(state: State): State;
}

declare function acquireVsCodeApi<State = unknown>(): VsCodeWebviewApi<State>;
