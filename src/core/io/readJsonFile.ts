/**
 * Reads a JSON file: its parsed value, or undefined when the file does not exist. Any other read error,
 * and text that is not JSON, become the caller's error type with the path (and the line and column) in the
 * message.
 */
import { readFile } from 'node:fs/promises';

export async function readJsonFile(path: string, makeError: (message: string) => Error): Promise<unknown | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw makeError(`${path}: cannot read (${(e as Error).message})`);
  }
  return parseJsonText(text, path, makeError);
}

/** JSON.parse, with an error that names the file and the line and column where the text stops being JSON. */
export function parseJsonText(text: string, path: string, makeError: (message: string) => Error): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const message = (e as Error).message;
    const at = /at position (\d+)/.exec(message);
    const position = at ? Number(at[1]) : text.length;
    const before = text.slice(0, position);
    const line = before.split('\n').length;
    const column = position - before.lastIndexOf('\n');
    throw makeError(`${path}: not valid JSON at line ${line}, column ${column} (${message})`);
  }
}
