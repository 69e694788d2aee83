/**
 * One open weight file and the inspector's questions about it: statistics (cached per tensor), the
 * values to draw, INR reconstructions, and the diff against another file. It holds the file's reader
 * (header parsed once, tensors read by byte range on demand, in bounded chunks where the format allows:
 * tensorChunks.ts) until closed. Runs wherever it is put —
 * the extension runs it in a worker thread (src/worker/inspectWorker.ts); tests call it directly.
 */
import type { WeightFileReader } from '../formats/format';
import { openWeightFile } from '../formats/registry';
import { chunkedTensorStats, type TensorStats } from '../weights/stats';
import type { TensorChunks } from '../weights/tensorChunks';
import { readTensorChunks } from '../formats/chunks';
import type { WeightSet } from '../weights/weightSet';
import { diffReaders, type DiffReport } from './diff';
import { inspectHeader } from './header';
import { standInSet } from './inrCatalog';
import { inrContext, type InrContext } from './inrContext';
import { reconstructInr, type Reconstruction } from './reconstruct';
import type { InrView } from '../inr/renderImage';
import type { InspectHeader } from './reportTypes';
import { matrixShape } from './matrixView';
import { chunkedTensorValues, DEFAULT_VALUES_OPTIONS, type TensorValues } from './tensorValues';

export class InspectEngine {
  private readonly stats = new Map<string, TensorStats>();
  private standIns: WeightSet | undefined;
  private context: Promise<InrContext> | undefined;

  private constructor(
    readonly reader: WeightFileReader,
    readonly header: InspectHeader,
  ) {}

  static async open(path: string): Promise<InspectEngine> {
    const reader = await openWeightFile(path);
    return new InspectEngine(reader, inspectHeader(reader));
  }

  async tensorStats(name: string): Promise<TensorStats> {
    let stats = this.stats.get(name);
    if (!stats) {
      stats = await chunkedTensorStats(this.chunks(name));
      this.stats.set(name, stats);
    }
    return stats;
  }

  async tensorValues(name: string, bins = DEFAULT_VALUES_OPTIONS.bins): Promise<TensorValues> {
    const info = this.header.tensors.find((t) => t.name === name);
    const values = await chunkedTensorValues(name, info?.shape ?? [], this.chunks(name), { ...DEFAULT_VALUES_OPTIONS, bins });
    this.stats.set(name, values.stats);
    return values;
  }

  /** A tensor's values in chunks of whole rows where it can be read in pieces (memory bounded by a chunk). */
  private chunks(name: string): TensorChunks {
    const info = this.header.tensors.find((t) => t.name === name);
    return readTensorChunks(this.reader, name, matrixShape(info?.shape ?? []).cols);
  }

  /** INR `index` drawn at `resolution`; `view` says how for a 3-D INR (its surface from a camera by default, or a slice). */
  async reconstruct(index: number, resolution: number, view?: InrView): Promise<Reconstruction> {
    const catalog = this.header.inrs;
    if (!catalog) throw new RangeError(`${this.header.file} holds no INR (no MLP with 2-D input, or 3-D input and one output)`);
    this.standIns ??= standInSet(this.reader.tensors);
    this.context ??= inrContext(this.reader.metadata, this.reader.file);
    return reconstructInr(this.reader, this.standIns, catalog, await this.context, index, resolution, view);
  }

  diff(other: InspectEngine): Promise<DiffReport> {
    return diffReaders(this.reader, other.reader);
  }

  close(): Promise<void> {
    return this.reader.close();
  }
}
