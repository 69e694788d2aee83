/**
 * A tensor seen as a matrix for the heatmap and the row/column norms: a scalar is 1×1, a vector one
 * row, a (rows, cols) matrix itself, and a tensor of higher rank (out, in, …) has one row per leading
 * index (PyTorch's layout: a convolution's filters become rows). Big matrices are shrunk for display
 * by averaging blocks of finite values (a block with none is NaN), so a 16384×16384 matrix sends
 * 256×256 numbers; the norms are of the full matrix, then averaged in blocks the same way.
 */
export interface MatrixShape {
  readonly rows: number;
  readonly cols: number;
}

export function matrixShape(shape: readonly number[]): MatrixShape {
  if (shape.length === 0) return { rows: 1, cols: 1 };
  if (shape.length === 1) return { rows: 1, cols: shape[0]! };
  return { rows: shape[0]!, cols: shape.slice(1).reduce((a, b) => a * b, 1) };
}

export interface Downsampled {
  readonly rows: number;
  readonly cols: number;
  /** Each output value averages a block of blockRows × blockCols source values (fewer at the edges). */
  readonly blockRows: number;
  readonly blockCols: number;
  /** rows × cols, row-major. */
  readonly values: Float32Array;
}

/** Averages `matrix` (rows × cols, row-major) in blocks so that the result has at most maxRows × maxCols values. */
export function downsampleMatrix(matrix: ArrayLike<number>, shape: MatrixShape, maxRows: number, maxCols: number): Downsampled {
  const blockRows = Math.max(1, Math.ceil(shape.rows / maxRows));
  const blockCols = Math.max(1, Math.ceil(shape.cols / maxCols));
  const rows = Math.ceil(shape.rows / blockRows);
  const cols = Math.ceil(shape.cols / blockCols);
  // Small enough already: the values themselves, bit for bit (NaN and -0 included).
  if (blockRows === 1 && blockCols === 1) return { rows, cols, blockRows, blockCols, values: Float32Array.from(matrix) };
  const sums = new Float64Array(rows * cols);
  const counts = new Uint32Array(rows * cols);
  // The output column of each source column, computed once (this loop runs over every value).
  const outCol = new Int32Array(shape.cols);
  for (let c = 0; c < shape.cols; c++) outCol[c] = Math.floor(c / blockCols);
  for (let r = 0; r < shape.rows; r++) {
    const outRow = Math.floor(r / blockRows) * cols;
    const base = r * shape.cols;
    for (let c = 0; c < shape.cols; c++) {
      const v = matrix[base + c]!;
      if (v - v !== 0) continue; // NaN or ±Inf
      const k = outRow + outCol[c]!;
      sums[k] += v;
      counts[k]!++;
    }
  }
  const values = new Float32Array(rows * cols);
  for (let k = 0; k < values.length; k++) values[k] = counts[k]! > 0 ? sums[k]! / counts[k]! : NaN;
  return { rows, cols, blockRows, blockCols, values };
}

export interface Norms {
  /** L2 norm of each row (finite values only), or the mean of a block of `block` consecutive rows' norms. */
  readonly rows: Float32Array;
  readonly cols: Float32Array;
  readonly rowBlock: number;
  readonly colBlock: number;
}

export function rowColumnNorms(matrix: ArrayLike<number>, shape: MatrixShape, maxLength: number): Norms {
  const rowSquares = new Float64Array(shape.rows);
  const colSquares = new Float64Array(shape.cols);
  for (let r = 0; r < shape.rows; r++) {
    const base = r * shape.cols;
    for (let c = 0; c < shape.cols; c++) {
      const v = matrix[base + c]!;
      if (!Number.isFinite(v)) continue;
      rowSquares[r] += v * v;
      colSquares[c] += v * v;
    }
  }
  const rows = downsampleMatrix(rowSquares.map(Math.sqrt), { rows: 1, cols: shape.rows }, 1, maxLength);
  const cols = downsampleMatrix(colSquares.map(Math.sqrt), { rows: 1, cols: shape.cols }, 1, maxLength);
  return { rows: rows.values, cols: cols.values, rowBlock: rows.blockCols, colBlock: cols.blockCols };
}
