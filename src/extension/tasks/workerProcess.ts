/**
 * Starts a worker process with child_process.fork: the extension's dist/worker.js under VS Code's own
 * runtime (process.execPath with ELECTRON_RUN_AS_NODE=1, so no separate Node is needed), or any module
 * with extra Node flags (tests fork src/worker/worker.ts through tsx). The worker's stdout/stderr are
 * piped to the task's log; its IPC channel carries the protocol messages.
 */
import { fork } from 'node:child_process';
import type { WorkerLauncher, WorkerProcess } from './taskManager';

export interface ForkOptions {
  /** The worker module, e.g. <extension>/dist/worker.js. */
  readonly modulePath: string;
  /** Node flags of the worker (default none: the extension host's own flags are not inherited). */
  readonly execArgv?: readonly string[];
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
}

export function forkLauncher(options: ForkOptions): WorkerLauncher {
  return (): WorkerProcess => {
    const child = fork(options.modulePath, [], {
      execPath: process.execPath,
      execArgv: [...(options.execArgv ?? [])],
      cwd: options.cwd,
      env: { ...process.env, ...options.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    const exitListeners: ((code: number | null, signal: string | null) => void)[] = [];
    let exited: [number | null, string | null] | undefined;
    // 'close' comes after the output streams have ended, so the last lines are in before the exit is handled.
    child.on('close', (code, signal) => {
      exited = [code, signal];
      for (const listener of exitListeners) listener(code, signal);
    });
    child.on('error', (e) => {
      child.stderr?.emit('data', Buffer.from(`worker process error: ${e.message}\n`));
    });
    return {
      pid: child.pid,
      send: (message) => {
        if (child.connected) child.send(message);
      },
      kill: () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      },
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) => {
        if (exited) listener(...exited);
        else exitListeners.push(listener);
      },
      onOutput: (listener) => {
        child.stdout?.setEncoding('utf8').on('data', listener);
        child.stderr?.setEncoding('utf8').on('data', listener);
      },
    };
  };
}
