/** Asserts that a weight-file operation fails with a typed error of `code` whose message names `file`. */
import assert from 'node:assert/strict';
import { WeightFileError, type WeightFileErrorCode } from '../../src/core/errors';

export async function rejectsWith(promise: Promise<unknown>, code: WeightFileErrorCode, file: string, pattern?: RegExp): Promise<void> {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof WeightFileError, `expected a WeightFileError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    assert.ok(e.message.includes(file), `message "${e.message}" does not name ${file}`);
    if (pattern) assert.match(e.message, pattern);
    return true;
  });
}
