/**
 * Small pieces every command uses: a quick pick that returns the chosen item's value, the existence test
 * for unique names, and the options object a command may be called with instead of asking (the tree,
 * the walkthrough, tests and other extensions pass one; the palette passes nothing).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import * as vscode from 'vscode';
import { resolveInsideRoot, UnsafePathError } from '../../core/io/insideRoot';
import type { ExperimentNode } from '../tree/experimentModel';
import { UserError } from '../userError';

export interface Choice<T> extends vscode.QuickPickItem {
  readonly value: T;
}

/** Shows a quick pick; the first item is the default. Undefined when dismissed. */
export async function pick<T>(title: string, placeHolder: string, choices: readonly Choice<T>[]): Promise<T | undefined> {
  const chosen = await vscode.window.showQuickPick(choices, { title, placeHolder, ignoreFocusOut: true });
  return chosen?.value;
}

export async function pickMany<T>(title: string, placeHolder: string, choices: readonly Choice<T>[]): Promise<T[] | undefined> {
  const chosen = await vscode.window.showQuickPick(choices, { title, placeHolder, canPickMany: true, ignoreFocusOut: true });
  return chosen?.map((c) => c.value);
}

export function exists(path: string): boolean {
  return existsSync(path);
}

/** The argument as an options object, when it is a plain object (not a tree node, Uri or string). */
export function optionsOf<T extends object>(arg: unknown, marker: keyof T): Partial<T> | undefined {
  return typeof arg === 'object' && arg !== null && !(arg instanceof vscode.Uri) && marker in arg ? (arg as Partial<T>) : undefined;
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * A path a command was given (absolute, or relative to the workspace `root`), refused with a UserError
 * when — symbolic links followed — it leads out of the workspace. Returns the path to use: the plain
 * one, or the real one when the given path has `..` in it (only the real one is what was checked then).
 */
export async function inWorkspace(root: string, path: string, what: string): Promise<string> {
  try {
    const real = await resolveInsideRoot(root, path, { what });
    return path.split(/[\\/]/).includes('..') ? real : resolve(root, path);
  } catch (e) {
    if (e instanceof UnsafePathError) throw new UserError(e.message);
    throw e;
  }
}

/** The file or folder a command got from the tree, the explorer (a Uri) or as a path. */
export function pathOfArgument(arg: unknown): string | undefined {
  if (arg instanceof vscode.Uri) return arg.fsPath;
  if (typeof arg === 'string') return arg;
  const node = arg as Partial<ExperimentNode> | undefined;
  return typeof node?.path === 'string' ? node.path : undefined;
}
