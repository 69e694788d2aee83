/**
 * How a task's progress reads in the notification and the status bar: "120/256 INRs · 3,100 INR-steps/s ·
 * PSNR 38.2 dB · ETA 42s". Pure functions, shared by every place that shows a task.
 */
import { formatCount } from '../../protocol/display';
import type { TaskInfo, TaskProgress } from './taskManager';

export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return '';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

function formatRate(rate: number): string {
  return rate >= 100 ? formatCount(Math.round(rate)) : rate.toPrecision(3);
}

/** Percent done, 0–100 (100 for a job with nothing to do). */
export function percentOf(progress: TaskProgress | undefined): number {
  if (!progress) return 0;
  return progress.total > 0 ? Math.min(100, (100 * progress.done) / progress.total) : 100;
}

export function progressMessage(progress: TaskProgress | undefined): string {
  if (!progress) return 'starting…';
  const parts = [`${formatCount(progress.done)}/${formatCount(progress.total)} ${progress.unit}`];
  if (progress.rate !== null && progress.rate > 0) parts.push(`${formatRate(progress.rate)} ${progress.rateUnit}`);
  if (progress.detail) parts.push(progress.detail);
  const eta = formatEta(progress.etaSec);
  if (eta && progress.done < progress.total) parts.push(`ETA ${eta}`);
  return parts.join(' · ');
}

/** One line for the status bar and task pickers: "Generate mnist-256: 42% · ETA 1m05s". */
export function taskSummary(task: TaskInfo): string {
  switch (task.state) {
    case 'queued':
      return `${task.title}: queued`;
    case 'cancelling':
      return `${task.title}: cancelling…`;
    case 'running': {
      if (!task.progress) return `${task.title}: starting…`;
      const eta = formatEta(task.progress.etaSec);
      return `${task.title}: ${Math.floor(percentOf(task.progress))}%${eta ? ` · ETA ${eta}` : ''}`;
    }
    default:
      return `${task.title}: ${task.state}`;
  }
}
