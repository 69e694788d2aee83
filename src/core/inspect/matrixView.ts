/**
 * A tensor seen as a matrix for the heatmap and the row/column norms: a scalar is 1×1, a vector one
 * row, a (rows, cols) matrix itself, and a tensor of higher rank (out, in, …) has one row per leading
 * index (PyTorch's layout: a convolution's filters become rows). Big matrices are shrunk for display
 * by averaging blocks of finite values (a block with none is NaN), so a 16384×16384 matrix sends
 * 256×256 numbers; the norms are of the full matrix, then averaged in blocks the same way.
 *
 * Both take the values in row-major order in chunks of any length (BlockMeans, NormSums), so a tensor
 * read piece by piece (tensorChunks.ts) needs memory for the output only — plus, for the column norms
 * of a matrix of several rows, one float64 per column. Sums run in the same order as over one array.
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

/** Block means of a matrix whose values arrive in row-major order, chunk by chunk. */
export class BlockMeans {
  readonly rows: number;
  readonly cols: number;
  readonly blockRows: number;
  readonly blockCols: number;
  /** Small enough already: the values themselves, bit for bit (NaN and -0 included). */
  private readonly same: Float32Array | null;
  private readonly sums: Float64Array;
  private readonly counts: Uint32Array;

  constructor(
    private readonly shape: MatrixShape,
    maxRows: number,
    maxCols: number,
  ) {
    this.blockRows = Math.max(1, Math.ceil(shape.rows / maxRows));
    this.blockCols = Math.max(1, Math.ceil(shape.cols / maxCols));
    this.rows = Math.ceil(shape.rows / this.blockRows);
    this.cols = Math.ceil(shape.cols / this.blockCols);
    const unchanged = this.blockRows === 1 && this.blockCols === 1;
    this.same = unchanged ? new Float32Array(shape.rows * shape.cols) : null;
    this.sums = new Float64Array(unchanged ? 0 : this.rows * this.cols);
    this.counts = new Uint32Array(this.sums.length);
  }

  /** `values` are the matrix's elements from flat index `start` on. */
  add(values: ArrayLike<number>, start: number): void {
    if (this.same) {
      this.same.set(values, start);
      return;
    }
    const { sums, counts, blockRows, blockCols } = this;
    const width = this.shape.cols;
    let row = Math.floor(start / width);
    let col = start - row * width;
    let i = 0;
    while (i < values.length) {
      const outRow = Math.floor(row / blockRows) * this.cols;
      const rowEnd = i + Math.min(width - col, values.length - i);
      while (i < rowEnd) {
        // The run of this row inside one output block.
        const block = Math.floor(col / blockCols);
        const stop = i + Math.min((block + 1) * blockCols - col, rowEnd - i);
        col += stop - i;
        const k = outRow + block;
        let sum = sums[k]!;
        let count = counts[k]!;
        for (; i < stop; i++) {
          const v = values[i]!;
          if (v - v !== 0) continue; // NaN or ±Inf
          sum += v;
          count++;
        }
        sums[k] = sum;
        counts[k] = count;
      }
      if (col === width) {
        row++;
        col = 0;
      }
    }
  }

  /** Adds the one value at flat index `index` (for values that come one at a time, like norms). */
  addOne(index: number, value: number): void {
    if (this.same) {
      this.same[index] = value;
      return;
    }
    if (value - value !== 0) return;
    const row = Math.floor(index / this.shape.cols);
    const k = Math.floor(row / this.blockRows) * this.cols + Math.floor((index - row * this.shape.cols) / this.blockCols);
    this.sums[k] += value;
    this.counts[k]!++;
  }

  result(): Downsampled {
    const { rows, cols, blockRows, blockCols } = this;
    if (this.same) return { rows, cols, blockRows, blockCols, values: this.same };
    const values = new Float32Array(rows * cols);
    for (let k = 0; k < values.length; k++) values[k] = this.counts[k]! > 0 ? this.sums[k]! / this.counts[k]! : NaN;
    return { rows, cols, blockRows, blockCols, values };
  }
}

/** Averages `matrix` (rows × cols, row-major) in blocks so that the result has at most maxRows × maxCols values. */
export function downsampleMatrix(matrix: ArrayLike<number>, shape: MatrixShape, maxRows: number, maxCols: number): Downsampled {
  const means = new BlockMeans(shape, maxRows, maxCols);
  means.add(matrix, 0);
  return means.result();
}

export interface Norms {
  /** L2 norm of each row (finite values only), or the mean of a block of `block` consecutive rows' norms. */
  readonly rows: Float32Array;
  readonly cols: Float32Array;
  readonly rowBlock: number;
  readonly colBlock: number;
}

/**
 * Row and column norms of a matrix whose values arrive in row-major order, chunk by chunk. A row's norm
 * is done when its last value arrives; a column's needs every row, so its sum of squares is kept per
 * column — except for a single row, where each column's norm is its one value's magnitude.
 */
export class NormSums {
  private readonly colSquares: Float64Array | null;
  private readonly rowNorms: BlockMeans;
  private readonly colNorms: BlockMeans;
  private rowSquares = 0;

  constructor(
    private readonly shape: MatrixShape,
    maxLength: number,
  ) {
    this.colSquares = shape.rows !== 1 ? new Float64Array(shape.cols) : null;
    this.rowNorms = new BlockMeans({ rows: 1, cols: shape.rows }, 1, maxLength);
    this.colNorms = new BlockMeans({ rows: 1, cols: shape.cols }, 1, maxLength);
  }

  add(values: ArrayLike<number>, start: number): void {
    const { colSquares, colNorms } = this;
    const width = this.shape.cols;
    let row = Math.floor(start / width);
    let col = start - row * width;
    let rowSquares = this.rowSquares;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (Number.isFinite(v)) {
        const square = v * v;
        rowSquares += square;
        if (colSquares) colSquares[col] += square;
        else colNorms.addOne(col, Math.sqrt(square));
      } else if (!colSquares) colNorms.addOne(col, 0);
      if (++col === width) {
        this.rowNorms.addOne(row, Math.sqrt(rowSquares));
        rowSquares = 0;
        row++;
        col = 0;
      }
    }
    this.rowSquares = rowSquares;
  }

  result(): Norms {
    // Rows of no columns (shape [n, 0]) never see a value: their norm is 0.
    if (this.shape.cols === 0) for (let r = 0; r < this.shape.rows; r++) this.rowNorms.addOne(r, 0);
    if (this.colSquares) this.colSquares.forEach((s, c) => this.colNorms.addOne(c, Math.sqrt(s)));
    const rows = this.rowNorms.result();
    const cols = this.colNorms.result();
    return { rows: rows.values, cols: cols.values, rowBlock: rows.blockCols, colBlock: cols.blockCols };
  }
}

export function rowColumnNorms(matrix: ArrayLike<number>, shape: MatrixShape, maxLength: number): Norms {
  const sums = new NormSums(shape, maxLength);
  sums.add(matrix, 0);
  return sums.result();
}
