/**
 * Workspace trust: in Restricted Mode the inspector and the read-only views work, but nothing that
 * writes to the workspace or starts a process (generation, training, augmentation, previews, new
 * configs, deleting). Those commands call `refuseWhenUntrusted` first; it explains why and offers the
 * trust editor, and the command returns the refusal instead of doing anything.
 */
import * as vscode from 'vscode';

/** What a command returns when Restricted Mode stopped it. */
export interface Refusal {
  readonly refused: 'untrusted';
  readonly message: string;
}

export function isRefusal(value: unknown): value is Refusal {
  return typeof value === 'object' && value !== null && (value as Refusal).refused === 'untrusted';
}

export function untrustedMessage(action: string): string {
  return `${action} is disabled in Restricted Mode: it writes files in this workspace and runs a background process. Trust the workspace to enable it; inspecting weight files and browsing the Experiments view work without trust.`;
}

/** A Refusal (after telling the user) when the workspace is not trusted, else undefined. */
export function refuseWhenUntrusted(action: string): Refusal | undefined {
  if (vscode.workspace.isTrusted) return undefined;
  const message = untrustedMessage(action);
  void vscode.window.showWarningMessage(message, 'Manage Workspace Trust').then((choice) => {
    if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
  });
  return { refused: 'untrusted', message };
}
