/**
 * Quoting for POSIX shells (bash, sh): a word that needs it goes in single quotes, with each `'`
 * written as `'\''`, so the shell passes it to the program unchanged — spaces, `$`, quotes and all.
 */

/** A piece of shell text inserted as written (a variable expansion, a user's command prefix). */
export interface ShellText {
  readonly shell: string;
}

/** A word of a command line: a literal argument (quoted as needed) or shell text. */
export type ShellWord = string | ShellText;

const SAFE = /^[A-Za-z0-9_/.,:=@%+-]+$/;

export function shellQuote(word: string): string {
  return SAFE.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export function shellCommand(words: readonly ShellWord[]): string {
  return words.map((w) => (typeof w === 'string' ? shellQuote(w) : w.shell)).join(' ');
}
