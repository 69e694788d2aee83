/**
 * How tasks show in VS Code: a progress notification per task (done/total, speed, ETA, and a Cancel
 * button that cancels the task), every line of the task in the output channel, the status bar, and a
 * message when a task ends — with Resume for a cancelled, crashed or failed one that a resume can finish.
 */
import * as vscode from 'vscode';
import type { LabStatusBar } from '../statusBar';
import { offerNextSteps } from '../nextStep';
import { percentOf, progressMessage } from './progressText';
import { doneMessage } from './taskOutcome';
import { isFinal, resumeCanSucceed, type TaskInfo, type TaskManager } from './taskManager';

/** What the task UI needs of the Lab: its log, output channel and status bar (lab.ts makes the TaskUi). */
export interface TaskUiHost {
  log(line: string): void;
  readonly output: vscode.OutputChannel;
  readonly status: LabStatusBar;
}

interface ProgressEntry {
  report: (value: { increment?: number; message?: string }) => void;
  shownPercent: number;
  resolve: () => void;
}

export class TaskUi implements vscode.Disposable {
  private readonly seen = new Set<number>();
  private readonly progress = new Map<number, ProgressEntry>();
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly tasks: TaskManager,
    private readonly lab: TaskUiHost,
  ) {
    this.unsubscribe.push(
      tasks.onDidChange((task) => this.changed(task)),
      tasks.onLog((task, line) => lab.log(`#${task.id} ${task.title}: ${line}`)),
    );
  }

  private changed(task: TaskInfo): void {
    if (!this.seen.has(task.id)) {
      this.seen.add(task.id);
      this.lab.log(`#${task.id} ${task.title}: ${task.state}`);
      if (!isFinal(task.state)) this.showProgress(task);
    }
    const entry = this.progress.get(task.id);
    if (entry) {
      const percent = percentOf(task.progress);
      const message =
        task.state === 'queued' ? 'queued: waiting for the running task' : task.state === 'cancelling' ? 'cancelling…' : progressMessage(task.progress);
      entry.report({ increment: Math.max(0, percent - entry.shownPercent), message });
      entry.shownPercent = Math.max(entry.shownPercent, percent);
      if (isFinal(task.state)) {
        entry.resolve();
        this.progress.delete(task.id);
      }
    }
    if (isFinal(task.state)) this.announceEnd(task);
    this.lab.status.update(this.tasks.list());
  }

  private showProgress(task: TaskInfo): void {
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: task.title, cancellable: true },
      (progress, token) =>
        new Promise<void>((resolve) => {
          this.progress.set(task.id, { report: (v) => progress.report(v), shownPercent: 0, resolve });
          token.onCancellationRequested(() => this.tasks.cancel(task.id));
        }),
    );
  }

  private announceEnd(task: TaskInfo): void {
    if (task.job.kind === 'preview' && task.state === 'done') return; // the preview opens itself
    const resume = resumeCanSucceed(task) ? ['Resume'] : [];
    const act = (choice: string | undefined) => {
      if (choice === 'Resume') void vscode.commands.executeCommand('weightSpaceLab.resume', task.id);
      if (choice === 'Show Log') this.lab.output.show(true);
    };
    if (task.state === 'done') {
      const { text, next } = doneMessage(task);
      offerNextSteps(text, next);
    } else if (task.state === 'failed') {
      const why = task.error?.message.split('\n')[0] ?? 'unknown error';
      void vscode.window.showErrorMessage(`${task.title} failed${task.crashed ? ' (the worker crashed)' : ''}: ${why}`, 'Show Log', ...resume).then(act);
    } else if (task.state === 'cancelled') {
      const kept =
        task.job.kind === 'generate'
          ? 'finished shards are kept'
          : task.job.kind === 'train'
            ? 'the run resumes from its last finished epoch'
            : 'nothing half-written was kept';
      void vscode.window.showInformationMessage(`${task.title} cancelled; ${kept}.`, ...resume).then(act);
    }
  }

  dispose(): void {
    for (const u of this.unsubscribe) u();
    for (const entry of this.progress.values()) entry.resolve();
    this.progress.clear();
  }
}
