/**
 * One request → reply convention for every channel: a panel's webview and its host session, and the
 * extension host and its worker threads. A channel is declared once as a table of methods, each with the
 * checker of its parameters (shape.ts; the parameter type is derived from it) and the type of its result:
 *
 *   const INSPECTOR_RPC = { tensorStats: returns<TensorStats>()({ name: tensorName }), … };
 *
 * On the wire a request is { rpc: 'request', id, method, params } and its answer { rpc: 'reply', id,
 * result } or { rpc: 'reply', id, error: ErrorInfo }. Anything else on the channel (pushed updates,
 * one-way notices) is not the RPC layer's: `receive` returns false and the caller handles it.
 *
 * Laws: every request gets exactly one answer; a failed request rejects with a RemoteError carrying the
 * other side's typed ErrorInfo (never resolves with an error value); a request not answered within its
 * timeout rejects (code no-answer); dispose rejects everything pending. The server checks every request
 * (untrusted when it comes from a webview): one with an unknown method or bad parameters is answered with
 * code bad-message naming the field; one whose id cannot be read cannot be answered and is dropped.
 */
import { RemoteError, toErrorInfo, type ErrorInfo } from '../core/labError';
import { integer, object, ProtocolError, type Parsed, type Shape } from './shape';

/** A method: the checker of its parameters, and (as a type only) its result. */
export interface Method<S extends Shape, R> {
  readonly params: S;
  /** Checks across fields, after each field's own check; throws ProtocolError naming the problem. */
  readonly refine?: (params: Parsed<S>, path: string) => void;
  /** Never set: carries the result type. */
  readonly result?: R;
}

/** `returns<Result>()(paramsShape, refine?)`: a method declaration (the two steps let TypeScript infer the shape). */
export function returns<R>() {
  return <S extends Shape>(params: S, refine?: (params: Parsed<S>, path: string) => void): Method<S, R> => (refine ? { params, refine } : { params });
}

/** A channel: its methods by name. */
export type Channel = Readonly<Record<string, { readonly params: Shape; readonly refine?: (params: never, path: string) => void; readonly result?: unknown }>>;
export type MethodName<C extends Channel> = keyof C & string;
export type ParamsOf<C extends Channel, K extends MethodName<C>> = Parsed<C[K]['params']>;
export type ResultOf<C extends Channel, K extends MethodName<C>> = C[K] extends Method<infer _S, infer R> ? R : never;

export interface RpcRequest {
  readonly rpc: 'request';
  readonly id: number;
  readonly method: string;
  readonly params: unknown;
}

export type RpcReply =
  { readonly rpc: 'reply'; readonly id: number; readonly result: unknown } | { readonly rpc: 'reply'; readonly id: number; readonly error: ErrorInfo };

const requestId = integer(0, Number.MAX_SAFE_INTEGER);

function field(message: unknown, key: string): unknown {
  if (typeof message !== 'object' || message === null) return undefined;
  try {
    return Object.getOwnPropertyDescriptor(message, key)?.value;
  } catch {
    return undefined; // a Proxy's trap threw
  }
}

interface Pending {
  resolve(result: unknown): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** The asking side of a channel: `send` delivers a request; every message that arrives goes to `receive`. */
export class RpcClient<C extends Channel> {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed: string | undefined;

  constructor(
    private readonly send: (request: RpcRequest) => void,
    private readonly options: {
      /** Who answers, for the error messages: "the extension", "the inspector's worker". */
      readonly peer: string;
      /** Default timeout per request (ms); 0: none. */
      readonly timeoutMs?: number;
      /** The file the channel is about, for the errors it makes itself. */
      readonly file?: string;
    },
  ) {}

  /** Asks `method`; resolves with the result, rejects with a RemoteError (the other side's, or no-answer). */
  request<K extends MethodName<C>>(method: K, params: ParamsOf<C, K>, timeoutMs = this.options.timeoutMs ?? 0): Promise<ResultOf<C, K>> {
    if (this.closed !== undefined) return Promise.reject(this.failure('no-answer', this.closed));
    const id = this.nextId++;
    return new Promise<ResultOf<C, K>>((resolve, reject) => {
      const timer =
        timeoutMs > 0
          ? setTimeout(() => {
              this.pending.delete(id);
              reject(this.failure('no-answer', `${this.options.peer} did not answer "${method}" within ${Math.round(timeoutMs / 1000)} s`));
            }, timeoutMs)
          : undefined;
      this.pending.set(id, { resolve: resolve as (r: unknown) => void, reject, timer });
      this.send({ rpc: 'request', id, method, params });
    });
  }

  /** Settles the request a reply answers: true when `message` was a reply (handled here), false otherwise. */
  receive(message: unknown): boolean {
    if (field(message, 'rpc') !== 'reply') return false;
    const id = field(message, 'id');
    const waiting = typeof id === 'number' ? this.pending.get(id) : undefined;
    if (!waiting) return true; // timed out or disposed: nobody waits for it any more
    this.pending.delete(id as number);
    clearTimeout(waiting.timer);
    const error = field(message, 'error') as ErrorInfo | undefined;
    if (error) waiting.reject(new RemoteError(error));
    else waiting.resolve(field(message, 'result'));
    return true;
  }

  /** Rejects every pending request and every later one with `reason` (code no-answer, or `code`). */
  dispose(reason = `${this.options.peer} was closed`, code: ErrorInfo['code'] = 'no-answer'): void {
    this.closed = reason;
    for (const waiting of this.pending.values()) {
      clearTimeout(waiting.timer);
      waiting.reject(this.failure(code, reason));
    }
    this.pending.clear();
  }

  private failure(code: ErrorInfo['code'], message: string): RemoteError {
    return new RemoteError({ code, file: this.options.file ?? '', message });
  }
}

/** How the answering side serves a channel: a handler per method. */
export type Handlers<C extends Channel> = { readonly [K in MethodName<C>]: (params: ParamsOf<C, K>) => ResultOf<C, K> | Promise<ResultOf<C, K>> };

/** The answering side of a channel: `receive` checks and runs each request, and sends its one reply. */
export class RpcServer<C extends Channel> {
  constructor(
    private readonly channel: C,
    private readonly handlers: Handlers<C>,
    private readonly send: (reply: RpcReply) => void,
    /** The file errors are about when they name none (toErrorInfo). */
    private readonly file = '',
    /** Told why each malformed request was refused (answered bad-message, or dropped without an id). */
    private readonly onRefused: (why: string) => void = () => undefined,
  ) {}

  /** False when `message` is not a request (the caller's to handle); otherwise answers it and resolves true. */
  async receive(message: unknown): Promise<boolean> {
    if (field(message, 'rpc') !== 'request') return false;
    let id: number;
    try {
      id = requestId(field(message, 'id'), 'request id');
    } catch (e) {
      this.onRefused(`${e instanceof Error ? e.message : String(e)} (dropped: nothing to address an answer to)`);
      return true;
    }
    let run: () => unknown;
    try {
      const { method, params } = object({ rpc: () => 'request', id: requestId, method: (v, path) => this.methodName(v, path), params: (v) => v })(
        message,
        'request',
      );
      const spec = this.channel[method]!;
      const checked = object(spec.params)(params, `"${method}" params`);
      spec.refine?.(checked as never, `"${method}" params`);
      const handler = this.handlers[method] as (p: unknown) => unknown;
      run = () => handler(checked);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.onRefused(message);
      this.send({ rpc: 'reply', id, error: { code: 'bad-message', file: '', message } });
      return true;
    }
    try {
      this.send({ rpc: 'reply', id, result: await run() });
    } catch (e) {
      this.send({ rpc: 'reply', id, error: toErrorInfo(e, this.file) });
    }
    return true;
  }

  private methodName(value: unknown, path: string): MethodName<C> {
    if (typeof value === 'string' && Object.prototype.hasOwnProperty.call(this.channel, value)) return value;
    throw new ProtocolError(
      `${path}: unknown method ${typeof value === 'string' ? `"${value.slice(0, 40)}"` : typeof value} (known: ${Object.keys(this.channel).join(', ')})`,
    );
  }
}
