/** A button on a message that runs the command of the natural next step ("Preview Augmentations", "Compare Runs"). */
import * as vscode from 'vscode';
import type { CommandId } from './commandIds';

export interface NextStep {
  readonly label: string;
  readonly command: CommandId;
  /** The command's arguments (a dataset or run folder, an options object). */
  readonly args?: readonly unknown[];
}

/** Shows an information message with the steps as buttons, and runs the one chosen. */
export function offerNextSteps(message: string, steps: readonly NextStep[]): void {
  void vscode.window.showInformationMessage(message, ...steps.map((s) => s.label)).then((choice) => {
    const step = steps.find((s) => s.label === choice);
    if (step) void vscode.commands.executeCommand(step.command, ...(step.args ?? []));
  });
}
