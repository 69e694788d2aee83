/** What every CLI command gets and may throw. */
export interface CommandIO {
  stdout(text: string): void;
  stderr(text: string): void;
}

export type Command = (args: readonly string[], io: CommandIO) => Promise<number>;

/** Wrong arguments: printed with the usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
