/**
 * Finds the format of a weight file (by its first bytes, then by its extension) and reads or writes
 * whole WeightSets through it.
 */
import { extname } from 'node:path';
import { WeightFileError } from '../errors';
import { FileByteSource, type ByteSource } from '../io/byteSource';
import { writeFileAtomic } from '../io/atomicWrite';
import { WeightSet, type Tensor } from '../weights/weightSet';
import type { FormatName, WeightFileReader, WeightFormat, WriteOptions } from './format';
import { safetensorsFormat } from './safetensors';
import { npyFormat } from './npy';
import { npzFormat } from './npz';
import { pthFormat } from './pth';

export const FORMATS: readonly WeightFormat[] = [safetensorsFormat, npyFormat, npzFormat, pthFormat];

export const WEIGHT_FILE_EXTENSIONS: readonly string[] = FORMATS.flatMap((f) => f.extensions);

export function formatByName(name: FormatName): WeightFormat {
  const format = FORMATS.find((f) => f.name === name);
  if (!format) throw new Error(`unknown format ${name}`);
  return format;
}

export function formatForPath(path: string): WeightFormat | undefined {
  const ext = extname(path).toLowerCase();
  return FORMATS.find((f) => f.extensions.includes(ext));
}

/**
 * Chooses a format for a source: the one whose magic bytes match. A zip archive could be npz or pth, so
 * when several formats claim the bytes the file extension decides, and the zip formats check their own
 * entries when opening.
 */
export async function detectFormat(source: ByteSource): Promise<WeightFormat> {
  const head = await source.read(0, Math.min(64, source.size));
  const claimants = FORMATS.filter((f) => f.sniff(head));
  const byExtension = formatForPath(source.name);
  if (claimants.length === 1) return claimants[0]!;
  if (claimants.length > 1) return byExtension && claimants.includes(byExtension) ? byExtension : claimants[0]!;
  if (source.size === 0) throw new WeightFileError('truncated', source.name, 'the file is empty');
  // A pickle of protocol 0 or 1 has no magic bytes, and torch.load would run a .pt/.pth that is one: the
  // pth reader scans it, so that a forbidden global in it is refused by name.
  if (byExtension === pthFormat) return pthFormat;
  throw new WeightFileError(
    'unknown-format',
    source.name,
    byExtension
      ? `the file is named like ${byExtension.name} but its first bytes are not a ${byExtension.name} file`
      : 'not a weight file this extension can read (safetensors, npy, npz, pt/pth)',
  );
}

/** Opens a file and parses its header. The caller must close the reader. */
export async function openWeightFile(path: string, format?: FormatName): Promise<WeightFileReader> {
  const source = await FileByteSource.open(path);
  try {
    const chosen = format ? formatByName(format) : await detectFormat(source);
    return await chosen.open(source);
  } catch (e) {
    await source.close();
    throw e;
  }
}

/** Reads every tensor of a reader into a WeightSet. */
export async function readAll(reader: WeightFileReader): Promise<WeightSet> {
  const tensors: Tensor[] = [];
  for (const info of reader.tensors) {
    tensors.push({ name: info.name, shape: info.shape, dtype: info.dtype, data: await reader.readTensor(info.name) });
  }
  return new WeightSet(tensors, reader.metadata);
}

export async function readWeightSet(path: string, format?: FormatName): Promise<WeightSet> {
  const reader = await openWeightFile(path, format);
  try {
    return await readAll(reader);
  } finally {
    await reader.close();
  }
}

/** Writes a WeightSet atomically; the format comes from `options.format` or the file extension. */
export async function writeWeightSet(path: string, set: WeightSet, options: WriteOptions & { format?: FormatName } = {}): Promise<void> {
  const format = options.format ? formatByName(options.format) : formatForPath(path);
  if (!format) {
    throw new WeightFileError('unknown-format', path, `cannot tell the format from the extension "${extname(path)}"`);
  }
  await writeFileAtomic(path, format.encode(set, path, options));
}
