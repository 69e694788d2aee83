/**
 * What the fuzz targets share: the committed fixtures they start from, and the oracle for weight-file
 * readers — a reader that opened must keep its contract: every listed tensor reads back to exactly
 * shape-product float32 values, an unknown name is a `no-such-tensor` error, and close succeeds.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { WeightFileError } from '../../../src/core/errors';
import type { WeightFileReader } from '../../../src/core/formats/format';
import { elementCount, isDType } from '../../../src/core/tensor/dtype';
import { FIXTURES } from '../../helpers/fixtures';
import type { FuzzSeed } from '../harness';

/** Every fixture under test/fixtures/`dir` whose name matches `pattern`, sorted (so runs are deterministic). */
export function fixtureSeeds(dir: string, pattern: RegExp): FuzzSeed[] {
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : pattern.test(e.name) ? [join(d, e.name)] : []));
  const files = walk(join(FIXTURES, dir)).sort();
  if (files.length === 0) throw new Error(`no fixtures matching ${pattern} under test/fixtures/${dir}`);
  return files.map((f) => ({ name: relative(FIXTURES, f), bytes: new Uint8Array(readFileSync(f)) }));
}

/** A broken contract of a parser that did not throw: always a fuzz failure, never a typed error. */
export class OracleError extends Error {
  override readonly name = 'OracleError';
}

/** Fails the oracle unless `ok`: `what` says what was wrong with the accepted value. */
export function check(ok: boolean, what: string): void {
  if (!ok) throw new OracleError(`accepted a value where ${what}`);
}

export const isInt = (v: unknown, min = 0): v is number => Number.isSafeInteger(v) && (v as number) >= min;
export const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads every tensor of an opened reader and checks what it returns; closes the reader. */
export async function exerciseReader(reader: WeightFileReader, file: string): Promise<void> {
  try {
    if (reader.file !== file) throw new OracleError(`reader.file is "${reader.file}", not "${file}"`);
    const names = new Set<string>();
    for (const info of reader.tensors) {
      if (names.has(info.name)) throw new OracleError(`tensor "${info.name}" is listed twice`);
      names.add(info.name);
      if (!isDType(info.dtype)) throw new OracleError(`tensor "${info.name}" has dtype ${String(info.dtype)}`);
      if (!info.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) throw new OracleError(`tensor "${info.name}" has shape [${info.shape.join(', ')}]`);
      const data = await reader.readTensor(info.name);
      if (!(data instanceof Float32Array)) throw new OracleError(`readTensor("${info.name}") did not return a Float32Array`);
      if (data.length !== elementCount(info.shape)) {
        throw new OracleError(`tensor "${info.name}" of shape [${info.shape.join(', ')}] read back ${data.length} values`);
      }
      await compareChunkedRead(reader, info.name, data);
    }
    for (const [key, value] of Object.entries(reader.metadata)) {
      if (typeof value !== 'string') throw new OracleError(`metadata "${key}" is a ${typeof value}, not a string`);
    }
    const missing = '\u0000no such tensor';
    const refused = await reader.readTensor(missing).then(
      () => false,
      (e: unknown) => e instanceof WeightFileError && e.code === 'no-such-tensor',
    );
    if (!refused) throw new OracleError('reading an unknown tensor name is not a no-such-tensor error');
  } finally {
    await reader.close();
  }
}

/**
 * The streaming path (statistics of huge tensors) must read exactly what readTensor read: the chunks, in an
 * awkward size that splits rows, concatenate to the same bits, and never fail where the whole read passed.
 */
async function compareChunkedRead(reader: WeightFileReader, name: string, whole: Float32Array): Promise<void> {
  const chunks = reader.readTensorChunks?.(name, 7);
  if (!chunks) return;
  const expected = new Uint32Array(whole.buffer, whole.byteOffset, whole.length);
  let at = 0;
  try {
    for await (const chunk of chunks) {
      if (chunk.length === 0 || chunk.length > 7) throw new OracleError(`readTensorChunks("${name}", 7) gave a chunk of ${chunk.length}`);
      const bits = new Uint32Array(chunk.buffer, chunk.byteOffset, chunk.length);
      for (let i = 0; i < bits.length; i++) {
        if (bits[i] !== expected[at + i]) throw new OracleError(`readTensorChunks("${name}") differs from readTensor at element ${at + i}`);
      }
      at += chunk.length;
    }
  } catch (e) {
    if (e instanceof OracleError) throw e;
    throw new OracleError(`readTensorChunks("${name}") failed where readTensor succeeded: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (at !== whole.length) throw new OracleError(`readTensorChunks("${name}") read ${at} of ${whole.length} values`);
}
