/**
 * NumPy .npz archives: a zip of NAME.npy members, stored (np.savez) or deflated (np.savez_compressed).
 * Opening reads the zip directory and each member's npy header only: the first bytes of a stored member,
 * or an incremental inflate of just the start of a deflated one (nothing is cached). Reading a tensor
 * reads (and, if deflated, inflates) its whole member and checks the CRC-32; a stored member can also be
 * read in chunks (readTensorChunks), its CRC-32 checked after the last. Writing stores members, as
 * np.savez does. Metadata is always {}.
 */
import { WeightFileError } from '../errors';
import type { ByteSource } from '../io/byteSource';
import type { TensorInfo, WeightFormat } from './format';
import { checkNpyDataSize, decodeNpyData, encodeNpy, npyDataChunks, npyHeaderEnd, parseNpyHeader, type NpyHeader } from './npy';
import { checkZipCrc, crc32, readZipDirectory, readZipEntry, readZipEntryPrefix, readZipEntryRange, writeZip, type ZipEntry } from './zip';

/** Bytes read first from each member; numpy's headers are 64 or 128 bytes. */
const HEADER_PREFIX = 256;

async function readMemberHeader(source: ByteSource, entry: ZipEntry, label: string): Promise<NpyHeader> {
  let bytes = await readZipEntryPrefix(source, entry, Math.min(entry.size, HEADER_PREFIX));
  const end = npyHeaderEnd(bytes, source.name, label);
  if (end > entry.size) {
    throw new WeightFileError('truncated', source.name, `${label}: its header ends at byte ${end} but the member has only ${entry.size} bytes`);
  }
  if (end > bytes.length) bytes = await readZipEntryPrefix(source, entry, end);
  const header = parseNpyHeader(bytes, source.name, label);
  checkNpyDataSize(header, entry.size - end, source.name, label);
  return header;
}

export const npzFormat: WeightFormat = {
  name: 'npz',
  extensions: ['.npz'],
  // A zip's local header, or the end record of an empty zip. PyTorch archives share the first.
  sniff: (head) => head[0] === 0x50 && head[1] === 0x4b && ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6)),

  async open(source) {
    const file = source.name;
    const entries = await readZipDirectory(source);
    if (entries.some((e) => e.name === 'data.pkl' || e.name.endsWith('/data.pkl'))) {
      throw new WeightFileError(
        'unknown-format',
        file,
        'this zip looks like a PyTorch checkpoint (it contains data.pkl), not an npz archive; open it as .pt/.pth',
      );
    }
    const members = entries.filter((e) => e.name.endsWith('.npy'));
    if (members.length === 0) {
      throw new WeightFileError('unknown-format', file, 'this zip holds no .npy members, so it is not an npz archive');
    }
    const arrays = new Map<string, { entry: ZipEntry; header: NpyHeader; label: string }>();
    const tensors: TensorInfo[] = [];
    for (const entry of members) {
      const name = entry.name.slice(0, -'.npy'.length);
      const label = `member "${entry.name}"`;
      const header = await readMemberHeader(source, entry, label);
      arrays.set(name, { entry, header, label });
      tensors.push({ name, dtype: header.dtype, shape: header.shape });
    }
    return {
      file,
      format: 'npz',
      metadata: {},
      tensors,
      async readTensor(name) {
        const array = arrays.get(name);
        if (!array) throw new WeightFileError('no-such-tensor', file, `no tensor "${name}" (have: ${[...arrays.keys()].join(', ')})`);
        const bytes = await readZipEntry(source, array.entry);
        return decodeNpyData(array.header, bytes.subarray(array.header.dataOffset));
      },
      readTensorChunks(name, chunkElements) {
        const array = arrays.get(name);
        if (!array) throw new WeightFileError('no-such-tensor', file, `no tensor "${name}" (have: ${[...arrays.keys()].join(', ')})`);
        const { entry, header } = array;
        if (entry.method !== 0) return null;
        // The CRC-32 covers the whole member: the npy header, then every chunk; checked after the last.
        let crc = 0;
        const chunks = npyDataChunks(
          header,
          (offset, length) => readZipEntryRange(source, entry, header.dataOffset + offset, length),
          chunkElements,
          (bytes) => (crc = crc32(bytes, crc)),
        );
        if (!chunks) return null;
        return (async function* () {
          crc = crc32(await readZipEntryRange(source, entry, 0, header.dataOffset));
          yield* chunks;
          checkZipCrc(source, entry, crc);
        })();
      },
      close: () => source.close(),
    };
  },

  encode(set, file, options = {}) {
    if (set.tensors.length === 0) throw new WeightFileError('invalid-value', file, 'an .npz archive needs at least one array');
    return writeZip(
      set.tensors.map((t) => {
        if (Buffer.byteLength(t.name) + 4 > 0xffff) {
          throw new WeightFileError('invalid-value', file, `tensor name "${t.name.slice(0, 40)}…" is too long for a zip entry`);
        }
        return { name: `${t.name}.npy`, data: encodeNpy(t.data, t.shape, options.dtype ?? 'F32') };
      }),
    );
  },
};
