/**
 * Where the results of "Preview Augmentations…" and "Compare Runs…" are shown — for now as plain
 * editor tabs: the preview PNG in VS Code's image viewer, the comparison as a Markdown preview of a
 * generated table. Issue 9 replaces both with webview panels; every call site goes through these two
 * functions, so that is the only place to change.
 */
import { join } from 'node:path';
import * as vscode from 'vscode';
import { writeFileAtomic } from '../../core/io/atomicWrite';

export interface AugmentationPreview {
  /** The PNG the worker wrote. */
  readonly png: string;
  readonly title: string;
  /** What each copy drew and its function-preservation error. */
  readonly lines: readonly string[];
}

export async function showAugmentationPreview(preview: AugmentationPreview): Promise<void> {
  await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(preview.png), { preview: false });
}

export interface RunComparison {
  readonly markdown: string;
  /** Folder the interim view may write its file to (the extension's storage). */
  readonly storage: string;
}

/** Writes the table to <storage>/comparisons/… and opens its Markdown preview; resolves with the file. */
export async function showRunComparison(comparison: RunComparison): Promise<string> {
  const file = join(comparison.storage, 'comparisons', `runs-${new Date().toISOString().replace(/[:.]/g, '-')}.md`);
  await writeFileAtomic(file, new TextEncoder().encode(comparison.markdown));
  await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(file));
  return file;
}
