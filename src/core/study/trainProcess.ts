/**
 * One `wslab train` child process: its progress events (`--progress json` lines on stdout) reported as
 * they come, everything it prints appended to a log file, SIGINT on cancel (the trainer then saves
 * nothing of the unfinished epoch and the run resumes from its last checkpoint). A non-zero exit rejects,
 * naming the log.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { TrainEvent } from '../train/trainer';
import type { StudyLauncher } from './studyRunner';

export interface TrainProcess {
  /** The wslab bundle (dist/cli.js), run by this process's Node (VS Code's Electron as Node). */
  readonly cli: string;
  /** Arguments after `wslab`, starting with `train`. */
  readonly args: readonly string[];
  readonly log: string;
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: TrainEvent) => void;
}

export class TrainProcessError extends Error {
  override readonly name = 'TrainProcessError';
  constructor(
    message: string,
    readonly cancelled: boolean,
  ) {
    super(message);
  }
}

export function runTrainProcess(p: TrainProcess): Promise<void> {
  return new Promise((done, fail) => {
    if (p.signal?.aborted) return fail(new TrainProcessError('cancelled before it started', true));
    const log = openSync(p.log, 'a');
    const child = spawn(process.execPath, [p.cli, ...p.args], {
      stdio: ['ignore', 'pipe', log],
      env: { ...process.env, ...(process.versions.electron ? { ELECTRON_RUN_AS_NODE: '1' } : {}) },
    });
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      writeSync(log, `${line}\n`);
      if (!line.startsWith('{')) return;
      try {
        p.onEvent?.(JSON.parse(line) as TrainEvent);
      } catch {
        // not an event: only logged
      }
    });
    const stop = () => child.kill('SIGINT');
    p.signal?.addEventListener('abort', stop);
    child.on('error', (e) => {
      p.signal?.removeEventListener('abort', stop);
      fail(new TrainProcessError(`cannot start wslab (${e.message}); see ${p.log}`, false));
    });
    child.on('close', (code) => {
      p.signal?.removeEventListener('abort', stop);
      closeSync(log);
      if (code === 0) done();
      else fail(new TrainProcessError(p.signal?.aborted ? 'cancelled' : `wslab train exited with ${code}; see ${p.log}`, p.signal?.aborted ?? false));
    });
  });
}

/** How a study trains its runs: each a `wslab train … --progress json` process of the `cli` bundle. */
export function trainProcessLauncher(cli: string): StudyLauncher {
  return (run, signal, onEvent) => runTrainProcess({ cli, args: [...run.args, '--progress', 'json'], log: run.log, signal, onEvent });
}
