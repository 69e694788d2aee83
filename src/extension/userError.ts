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
