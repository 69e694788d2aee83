/**
 * The parts of a run folder that describe a run (status, summary.json, config.json) — what the run
 * comparison panel's reader (runSeries.ts) builds on. A file a run does not have yet reads as undefined.
 */
import { basename } from 'node:path';
import { readRunConfig, readStatus, readSummary, type RunStatus, type RunSummary } from '../train/runFolder';

export interface ComparedRun {
  readonly name: string;
  readonly dir: string;
  readonly status: RunStatus | undefined;
  readonly summary: RunSummary | undefined;
  readonly config:
    | {
        readonly model?: { kind?: string; hidden?: number; layers?: number };
        readonly augment?: readonly { name: string; p?: number }[];
        readonly trainLimit?: number | null;
        readonly seed?: number;
      }
    | undefined;
}

export async function readComparedRun(dir: string): Promise<ComparedRun> {
  const [status, summary, config] = await Promise.all([readStatus(dir), readSummary(dir), readRunConfig<ComparedRun['config']>(dir)]);
  return { name: basename(dir), dir, status, summary, config };
}
