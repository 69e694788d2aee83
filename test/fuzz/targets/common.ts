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
