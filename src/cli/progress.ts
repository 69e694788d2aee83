/**
 * Progress of long CLI jobs: a one-line bar redrawn in place on a terminal, a line every few seconds
 * when stderr is a file or pipe, or JSON lines on stdout (`--progress json`) for the extension and
 * scripts — the same events, three renderings.
 */
import { UsageError } from './command';

export type ProgressMode = 'bar' | 'json' | 'none';

/** The --progress option of the commands that run long jobs. */
export const PROGRESS_OPTION = {
  type: 'string',
  default: 'bar',
  value: 'bar|json|none',
  help: 'A progress bar on stderr, JSON lines on stdout, or nothing.',
} as const;

/** The --progress value, checked. */
export function progressMode(text: string): ProgressMode {
  if (!['bar', 'json', 'none'].includes(text)) throw new UsageError('--progress must be bar, json or none');
  return text as ProgressMode;
}

export interface ProgressLine {
  readonly done: number;
  readonly total: number;
  /** Extra fields shown after the counter, e.g. "3,100 INR-steps/s". */
  readonly details: readonly string[];
  readonly etaSec: number | null;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export class ProgressReporter {
  private lastLine = 0;
  /** The details of the last finished line written to a non-terminal. */
  private finalDetails: string | undefined;
  private drawn = false;

  constructor(
    private readonly mode: ProgressMode,
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly json: (event: unknown) => void = (e) => process.stdout.write(`${JSON.stringify(e)}\n`),
  ) {}

  /** Machine-readable event (JSON mode only). */
  event(event: unknown): void {
    if (this.mode === 'json') this.json(event);
  }

  update(p: ProgressLine): void {
    if (this.mode !== 'bar') return;
    const fraction = p.total > 0 ? p.done / p.total : 1;
    const width = 24;
    const filled = Math.round(fraction * width);
    const eta = p.etaSec === null ? '' : ` · ETA ${formatDuration(p.etaSec)}`;
    const text = `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${p.done}/${p.total}${p.details.map((d) => ` · ${d}`).join('')}${eta}`;
    if (this.stream.isTTY) {
      this.stream.write(`\r${text.slice(0, (this.stream.columns ?? 120) - 1)}\x1b[K`);
      this.drawn = true;
    } else if (Date.now() - this.lastLine > 5000 || (p.done === p.total && this.finalDetails !== p.details.join())) {
      // In a log the finished line is printed again when its details change (the last epoch's result
      // arrives after the last step), so the log ends on what the summary says.
      this.stream.write(`${text}\n`);
      this.lastLine = Date.now();
      if (p.done === p.total) this.finalDetails = p.details.join();
    }
  }

  /** Ends the in-place line so later output starts on a fresh one. */
  finish(): void {
    if (this.drawn) this.stream.write('\n');
    this.drawn = false;
  }
}
