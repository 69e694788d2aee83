/**
 * Reads a JSON file: its parsed value, or undefined when the file does not exist. Any other read error,
 * and text that is not JSON, become the caller's error type with the path in the message.
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
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw makeError(`${path}: not valid JSON (${(e as Error).message})`);
  }
}
