/** The inspector's first view of a file: its header, with no tensor data read (types in reportTypes.ts). */
import type { WeightFileReader } from '../formats/format';
import { elementCount } from '../tensor/dtype';
import { inrCatalog } from './inrCatalog';
import type { InspectHeader } from './reportTypes';

export function inspectHeader(reader: WeightFileReader): InspectHeader {
  return {
    file: reader.file,
    format: reader.format,
    metadata: { ...reader.metadata },
    tensors: reader.tensors.map((t) => ({ name: t.name, dtype: t.dtype, shape: [...t.shape], params: elementCount(t.shape) })),
    inrs: inrCatalog(reader.tensors),
  };
}
