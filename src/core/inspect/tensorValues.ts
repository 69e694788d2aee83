/**
 * Everything the inspector draws for one tensor, from two passes over its values: statistics,
 * histogram, the matrix shrunk for the heatmap and its row/column norms. Sizes are bounded whatever the
 * tensor's, so the answer for a 1 GiB tensor is a few hundred kilobytes; read in chunks
 * (chunkedTensorValues), so is the memory it takes to compute.
 */
import { StatsPasses, type TensorStats } from '../weights/stats';
import type { TensorChunks } from '../weights/tensorChunks';
import { checkBins, HistogramCounter, type Histogram } from './histogram';
import { BlockMeans, matrixShape, NormSums, type Downsampled, type MatrixShape, type Norms } from './matrixView';

export interface TensorValuesOptions {
  readonly bins: number;
  /** The heatmap has at most maxSide × maxSide values. */
  readonly maxSide: number;
  /** Each norm curve has at most this many points. */
  readonly maxNorms: number;
}

export const DEFAULT_VALUES_OPTIONS: TensorValuesOptions = { bins: 64, maxSide: 256, maxNorms: 512 };

export interface TensorValues {
  readonly name: string;
  readonly shape: readonly number[];
  readonly stats: TensorStats;
  readonly histogram: Histogram;
  /** The tensor as a matrix (matrixView.ts): its full size, and the values shown. */
  readonly matrix: Downsampled & { readonly sourceRows: number; readonly sourceCols: number };
  readonly norms: Norms;
}

/**
 * The two passes over a tensor's values (tensorChunks.ts): the first feeds the statistics' sums, the
 * heatmap's block sums and the norms; the second, which needs the mean and the range, the squared
 * deviations and the histogram.
 */
class ValuesPasses {
  private readonly stats = new StatsPasses();
  private readonly matrix: BlockMeans;
  private readonly norms: NormSums;
  private counter: HistogramCounter | undefined;

  constructor(
    private readonly asMatrix: MatrixShape,
    private readonly options: TensorValuesOptions,
  ) {
    checkBins(options.bins);
    this.matrix = new BlockMeans(asMatrix, options.maxSide, options.maxSide);
    this.norms = new NormSums(asMatrix, options.maxNorms);
  }

  first(chunk: Float32Array, start: number): void {
    this.stats.first(chunk);
    this.matrix.add(chunk, start);
    this.norms.add(chunk, start);
  }

  second(chunk: Float32Array): void {
    this.stats.second(chunk);
    this.counter ??= new HistogramCounter(this.stats.min, this.stats.max, this.options.bins);
    this.counter.add(chunk);
  }

  result(name: string, shape: readonly number[]): TensorValues {
    const { asMatrix } = this;
    return {
      name,
      shape: [...shape],
      stats: this.stats.result(),
      histogram: (this.counter ?? new HistogramCounter(this.stats.min, this.stats.max, this.options.bins)).result(),
      matrix: { ...this.matrix.result(), sourceRows: asMatrix.rows, sourceCols: asMatrix.cols },
      norms: this.norms.result(),
    };
  }
}

export function tensorValues(name: string, shape: readonly number[], data: Float32Array, options: TensorValuesOptions = DEFAULT_VALUES_OPTIONS): TensorValues {
  const passes = new ValuesPasses(matrixShape(shape), options);
  passes.first(data, 0);
  passes.second(data);
  return passes.result(name, shape);
}

/** The same, over a tensor read in chunks: memory bounded by a chunk and the (bounded) outputs. */
export async function chunkedTensorValues(
  name: string,
  shape: readonly number[],
  chunks: TensorChunks,
  options: TensorValuesOptions = DEFAULT_VALUES_OPTIONS,
): Promise<TensorValues> {
  const passes = new ValuesPasses(matrixShape(shape), options);
  await chunks.forEach((chunk, start) => passes.first(chunk, start));
  await chunks.forEach((chunk) => passes.second(chunk));
  return passes.result(name, shape);
}
