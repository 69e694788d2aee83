/**
 * Everything the inspector draws for one tensor, from one read of its values: statistics, histogram,
 * the matrix shrunk for the heatmap and its row/column norms. Sizes are bounded whatever the tensor's,
 * so the answer for a 1 GiB tensor is a few hundred kilobytes.
 */
import { tensorStats, type TensorStats } from '../weights/stats';
import { histogram, type Histogram } from './histogram';
import { downsampleMatrix, matrixShape, rowColumnNorms, type Downsampled, type Norms } from './matrixView';

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

export function tensorValues(name: string, shape: readonly number[], data: Float32Array, options: TensorValuesOptions = DEFAULT_VALUES_OPTIONS): TensorValues {
  const asMatrix = matrixShape(shape);
  return {
    name,
    shape: [...shape],
    stats: tensorStats(data),
    histogram: histogram(data, options.bins),
    matrix: { ...downsampleMatrix(data, asMatrix, options.maxSide, options.maxSide), sourceRows: asMatrix.rows, sourceCols: asMatrix.cols },
    norms: rowColumnNorms(data, asMatrix, options.maxNorms),
  };
}
