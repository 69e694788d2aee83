import type { NextStep } from './nextStep';

/**
 * An error meant for the user as it is: its message is shown without a stack or an "internal error"
 * prefix. Recognised by name, not by class, because the commands live in their own bundle
 * (dist/extension-commands.js) with their own copy of this class.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
}

export function isUserError(e: unknown): e is UserError {
  return e instanceof Error && e.name === 'UserError';
}

/**
 * Nothing to act on yet — no runs to compare, no dataset to preview: an expected state of a new workspace,
 * not an error. Shown as an information message whose button (if any) runs the command that makes one.
 * Recognised by name, as UserError is.
 */
export class NothingYet extends Error {
  override readonly name = 'NothingYet';
  constructor(
    message: string,
    readonly next?: NextStep,
  ) {
    super(message);
  }
}

export function isNothingYet(e: unknown): e is NothingYet {
  return e instanceof Error && e.name === 'NothingYet';
}
