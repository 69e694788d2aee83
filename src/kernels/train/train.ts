// @ts-nocheck: this file is AssemblyScript (compiled by scripts/build-wasm.mjs with asc, checked against
// ./tsconfig.json), not TypeScript; the root tsconfig's src/** glob would otherwise type-check it.
/**
 * Fused training kernels for the equivariant weight-space models (WebAssembly SIMD, f32). Each export is
 * one pass over arrays in this instance's memory, addressed by byte pointers the host lays out
 * (src/core/fused/arena.ts); the host strings them into a model's forward and backward pass
 * (src/core/fused/equivariantProgram.ts). Tensors are row-major with the channels last, so a feature
 * tensor [B, …neuron axes, C] is a matrix [rows, C], and every pooling or broadcast over neuron axes is
 * one of two shapes: "[outer, n, inner] summed over n" or its transpose "[outer, inner] spread over n".
 *
 *   matmul            C (+)= A·B            A [m, k], B [k, n], C [m, n]
 *   matmulTransA      C += Aᵀ·B             A [m, k], B [m, n], C [k, n]   (weight gradients)
 *   sumPool           D[o, j] (+)= s·Σ_i S[o, i, j]                       (mean pooling, gradient reductions)
 *   broadcastAdd      D[o, i, j] += s·S[o, j]                              (broadcast terms, mean-pool gradients)
 *   addRowsCols       X[o, i, j, :] += rs·R[o, i, :] + ks·K[o, j, :]       (the two one-axis terms of a weight tensor;
 *                                                                          optionally BatchNorm's channel sums of the result)
 *   scaleShiftReluPool  scaleShiftRelu of a weight tensor, with its row and column means (the next layer's pooling)
 *   affineReluGradRowCol affineReluGrad of a weight tensor, with its row and column sums (its terms' gradients)
 *   centredSquareSums D[j] += Σ_r (X[r, j] − μ[j])²                       (BatchNorm's variance)
 *   scaleShiftRelu    Y = max(X·a + b, 0), per channel a, b                (BatchNorm + ReLU; ReLU with a = 1, b = 0)
 *   reluGradSums      G = dY·[Y > 0]; D1[j] += Σ G, D2[j] += Σ G·X          (BatchNorm's γ, β gradients)
 *   affineReluGrad    dX = a·G + c·X + d, per channel a, c, d             (BatchNorm's input gradient; ReLU's)
 *   maxPool / maxPoolGrad   the max over n; its gradient to every entry equal to it (TensorFlow.js's rule)
 *   adamw             one AdamW step over a flat parameter vector (PyTorch's order of operations)
 *   transpose         Wᵀ of a weight block
 *
 * Built twice: plain SIMD (mul + add) and relaxed SIMD (f32x4.relaxed_madd, an FMA where the CPU has one).
 * Channel-wise passes take 16 channels (one cache line) per register block where the count allows, so every
 * line is read once; counts not divisible by 4 take a scalar path.
 */

@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

@inline function at(base: usize, index: i32): usize {
  return base + (<usize>index << 2);
}

/** The first byte the host may use (everything below holds this module's static data). */
export function heapBase(): usize {
  return __heap_base;
}

/** C [m, n] = (accumulate ? C : 0) + A [m, k] · B [k, n]. Two rows × 16 columns per block. */
export function matmul(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32, accumulate: bool): void {
  if (!accumulate) memory.fill(c, 0, <usize>(m * n) << 2);
  const n16 = n & ~15;
  let i = 0;
  for (; i + 1 < m; i += 2) {
    const a0 = at(a, i * k);
    const a1 = a0 + (<usize>k << 2);
    const c0 = at(c, i * n);
    const c1 = c0 + (<usize>n << 2);
    let j = 0;
    for (; j < n16; j += 16) {
      let x0 = v128.load(at(c0, j)), x1 = v128.load(at(c0, j), 16), x2 = v128.load(at(c0, j), 32), x3 = v128.load(at(c0, j), 48);
      let y0 = v128.load(at(c1, j)), y1 = v128.load(at(c1, j), 16), y2 = v128.load(at(c1, j), 32), y3 = v128.load(at(c1, j), 48);
      for (let q = 0; q < k; q++) {
        const bp = at(b, q * n + j);
        const b0 = v128.load(bp), b1 = v128.load(bp, 16), b2 = v128.load(bp, 32), b3 = v128.load(bp, 48);
        const s = v128.load32_splat(at(a0, q));
        const t = v128.load32_splat(at(a1, q));
        x0 = madd(s, b0, x0); x1 = madd(s, b1, x1); x2 = madd(s, b2, x2); x3 = madd(s, b3, x3);
        y0 = madd(t, b0, y0); y1 = madd(t, b1, y1); y2 = madd(t, b2, y2); y3 = madd(t, b3, y3);
      }
      v128.store(at(c0, j), x0); v128.store(at(c0, j), x1, 16); v128.store(at(c0, j), x2, 32); v128.store(at(c0, j), x3, 48);
      v128.store(at(c1, j), y0); v128.store(at(c1, j), y1, 16); v128.store(at(c1, j), y2, 32); v128.store(at(c1, j), y3, 48);
    }
    matmulColumns(a0, b, c0, k, n, j);
    matmulColumns(a1, b, c1, k, n, j);
  }
  if (i < m) matmulColumns(at(a, i * k), b, at(c, i * n), k, n, 0);
}

/** One row of C from column `from` on: four columns per vector, then one at a time. */
@inline function matmulColumns(aRow: usize, b: usize, cRow: usize, k: i32, n: i32, from: i32): void {
  let j = from;
  for (; j + 4 <= n; j += 4) {
    let x = v128.load(at(cRow, j));
    for (let q = 0; q < k; q++) x = madd(v128.load32_splat(at(aRow, q)), v128.load(at(b, q * n + j)), x);
    v128.store(at(cRow, j), x);
  }
  for (; j < n; j++) {
    let x = load<f32>(at(cRow, j));
    for (let q = 0; q < k; q++) x += load<f32>(at(aRow, q)) * load<f32>(at(b, q * n + j));
    store<f32>(at(cRow, j), x);
  }
}

const TILE_ROWS: i32 = 64; // rows of A and B summed in registers before C is touched (they stay in L1)

/** C [k, n] += Aᵀ · B, A [m, k], B [m, n]: two rows of C × 16 columns per register block, per tile of rows. */
export function matmulTransA(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32): void {
  const n16 = n & ~15;
  for (let r0 = 0; r0 < m; r0 += TILE_ROWS) {
    const r1 = min(m, r0 + TILE_ROWS);
    let q = 0;
    for (; q + 1 < k; q += 2) {
      const c0 = at(c, q * n);
      const c1 = c0 + (<usize>n << 2);
      let j = 0;
      for (; j < n16; j += 16) {
        let x0 = f32x4.splat(0), x1 = f32x4.splat(0), x2 = f32x4.splat(0), x3 = f32x4.splat(0);
        let y0 = f32x4.splat(0), y1 = f32x4.splat(0), y2 = f32x4.splat(0), y3 = f32x4.splat(0);
        for (let r = r0; r < r1; r++) {
          const bp = at(b, r * n + j);
          const b0 = v128.load(bp), b1 = v128.load(bp, 16), b2 = v128.load(bp, 32), b3 = v128.load(bp, 48);
          const s = v128.load32_splat(at(a, r * k + q));
          const t = v128.load32_splat(at(a, r * k + q + 1));
          x0 = madd(s, b0, x0); x1 = madd(s, b1, x1); x2 = madd(s, b2, x2); x3 = madd(s, b3, x3);
          y0 = madd(t, b0, y0); y1 = madd(t, b1, y1); y2 = madd(t, b2, y2); y3 = madd(t, b3, y3);
        }
        const p = at(c0, j), p1 = at(c1, j);
        v128.store(p, f32x4.add(v128.load(p), x0)); v128.store(p, f32x4.add(v128.load(p, 16), x1), 16);
        v128.store(p, f32x4.add(v128.load(p, 32), x2), 32); v128.store(p, f32x4.add(v128.load(p, 48), x3), 48);
        v128.store(p1, f32x4.add(v128.load(p1), y0)); v128.store(p1, f32x4.add(v128.load(p1, 16), y1), 16);
        v128.store(p1, f32x4.add(v128.load(p1, 32), y2), 32); v128.store(p1, f32x4.add(v128.load(p1, 48), y3), 48);
      }
      transAColumns(a, b, c, k, n, q, r0, r1, j);
      transAColumns(a, b, c, k, n, q + 1, r0, r1, j);
    }
    if (q < k) transAColumns(a, b, c, k, n, q, r0, r1, 0);
  }
}

/** Row q of C += Σ_{r0 ≤ r < r1} A[r, q] · B[r, j…], from column `from` on. */
@inline function transAColumns(a: usize, b: usize, c: usize, k: i32, n: i32, q: i32, r0: i32, r1: i32, from: i32): void {
  let j = from;
  for (; j + 4 <= n; j += 4) {
    let x = f32x4.splat(0);
    for (let r = r0; r < r1; r++) x = madd(v128.load32_splat(at(a, r * k + q)), v128.load(at(b, r * n + j)), x);
    const p = at(c, q * n + j);
    v128.store(p, f32x4.add(v128.load(p), x));
  }
  for (; j < n; j++) {
    let x: f32 = 0;
    for (let r = r0; r < r1; r++) x += load<f32>(at(a, r * k + q)) * load<f32>(at(b, r * n + j));
    const p = at(c, q * n + j);
    store<f32>(p, load<f32>(p) + x);
  }
}

/**
 * dst [outer, inner] = (accumulate ? dst : 0) + scale · Σ_i src [outer, n, inner]. Blocks of 16 columns (one
 * cache line) are summed in registers over n; other widths add row by row into dst.
 */
export function sumPool(src: usize, dst: usize, outer: i32, n: i32, inner: i32, scale: f32, accumulate: bool): void {
  const s = f32x4.splat(scale);
  if ((inner & 15) == 0) {
    for (let o = 0; o < outer; o++) {
      const d = at(dst, o * inner);
      for (let j = 0; j < inner; j += 16) {
        let x0 = f32x4.splat(0), x1 = f32x4.splat(0), x2 = f32x4.splat(0), x3 = f32x4.splat(0);
        for (let i = 0; i < n; i++) {
          const p = at(src, (o * n + i) * inner + j);
          x0 = f32x4.add(x0, v128.load(p)); x1 = f32x4.add(x1, v128.load(p, 16));
          x2 = f32x4.add(x2, v128.load(p, 32)); x3 = f32x4.add(x3, v128.load(p, 48));
        }
        const q = at(d, j);
        if (accumulate) {
          v128.store(q, madd(x0, s, v128.load(q))); v128.store(q, madd(x1, s, v128.load(q, 16)), 16);
          v128.store(q, madd(x2, s, v128.load(q, 32)), 32); v128.store(q, madd(x3, s, v128.load(q, 48)), 48);
        } else {
          v128.store(q, f32x4.mul(x0, s)); v128.store(q, f32x4.mul(x1, s), 16);
          v128.store(q, f32x4.mul(x2, s), 32); v128.store(q, f32x4.mul(x3, s), 48);
        }
      }
    }
    return;
  }
  if (!accumulate) memory.fill(dst, 0, <usize>(outer * inner) << 2);
  const inner4 = inner & ~3;
  for (let o = 0; o < outer; o++) {
    const d = at(dst, o * inner);
    for (let i = 0; i < n; i++) {
      const row = at(src, (o * n + i) * inner);
      let j = 0;
      for (; j < inner4; j += 4) v128.store(at(d, j), madd(v128.load(at(row, j)), s, v128.load(at(d, j))));
      for (; j < inner; j++) store<f32>(at(d, j), load<f32>(at(d, j)) + load<f32>(at(row, j)) * scale);
    }
  }
}

/** dst [outer, n, inner] += scale · src [outer, inner] (src broadcast over n). */
export function broadcastAdd(dst: usize, src: usize, outer: i32, n: i32, inner: i32, scale: f32): void {
  const s = f32x4.splat(scale);
  const inner4 = inner & ~3;
  for (let o = 0; o < outer; o++) {
    const from = at(src, o * inner);
    for (let i = 0; i < n; i++) {
      const row = at(dst, (o * n + i) * inner);
      let j = 0;
      for (; j < inner4; j += 4) v128.store(at(row, j), madd(v128.load(at(from, j)), s, v128.load(at(row, j))));
      for (; j < inner; j++) store<f32>(at(row, j), load<f32>(at(row, j)) + load<f32>(at(from, j)) * scale);
    }
  }
}

/**
 * x [outer, rows, cols, c] += rs · r [outer, rows, c] (over cols) + ks · k [outer, cols, c] (over rows): the row
 * and column terms of a weight tensor in one pass. With `sums` ≠ 0 it also adds every resulting entry to
 * sums [c] (BatchNorm's channel sums, saving a pass).
 */
export function addRowsCols(x: usize, r: usize, k: usize, outer: i32, rows: i32, cols: i32, c: i32, rs: f32, ks: f32, sums: usize): void {
  const c4 = c & ~3;
  const rsv = f32x4.splat(rs), ksv = f32x4.splat(ks);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < rows; i++) {
      const rv = at(r, (o * rows + i) * c);
      for (let q = 0; q < cols; q++) {
        const kv = at(k, (o * cols + q) * c);
        const xv = at(x, ((o * rows + i) * cols + q) * c);
        let j = 0;
        if (sums != 0) {
          for (; j < c4; j += 4) {
            const v = f32x4.add(v128.load(at(xv, j)), madd(v128.load(at(rv, j)), rsv, f32x4.mul(v128.load(at(kv, j)), ksv)));
            v128.store(at(xv, j), v);
            v128.store(at(sums, j), f32x4.add(v128.load(at(sums, j)), v));
          }
          for (; j < c; j++) {
            const v = load<f32>(at(xv, j)) + (load<f32>(at(rv, j)) * rs + load<f32>(at(kv, j)) * ks);
            store<f32>(at(xv, j), v);
            store<f32>(at(sums, j), load<f32>(at(sums, j)) + v);
          }
          continue;
        }
        for (; j < c4; j += 4) v128.store(at(xv, j), f32x4.add(v128.load(at(xv, j)), madd(v128.load(at(rv, j)), rsv, f32x4.mul(v128.load(at(kv, j)), ksv))));
        for (; j < c; j++) store<f32>(at(xv, j), load<f32>(at(xv, j)) + (load<f32>(at(rv, j)) * rs + load<f32>(at(kv, j)) * ks));
      }
    }
  }
}

/**
 * A weight tensor's y [outer, rows, cols, c] = max(x · scale + shift, 0) per channel, and in the same pass
 * its means over columns, rowMeans [outer, rows, c], and over rows, colMeans [outer, cols, c] (what the next
 * layer's blocks pool it to).
 */
export function scaleShiftReluPool(x: usize, y: usize, outer: i32, rows: i32, cols: i32, c: i32, scale: usize, shift: usize, rowMeans: usize, colMeans: usize): void {
  const zero = f32x4.splat(0);
  const c4 = c & ~3;
  const rowScale: f32 = 1 / <f32>cols, colScale: f32 = 1 / <f32>rows;
  memory.fill(rowMeans, 0, <usize>(outer * rows * c) << 2);
  memory.fill(colMeans, 0, <usize>(outer * cols * c) << 2);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < rows; i++) {
      const rv = at(rowMeans, (o * rows + i) * c);
      for (let q = 0; q < cols; q++) {
        const cv = at(colMeans, (o * cols + q) * c);
        const e = ((o * rows + i) * cols + q) * c;
        let j = 0;
        for (; j < c4; j += 4) {
          const v = f32x4.max(madd(v128.load(at(x, e + j)), v128.load(at(scale, j)), v128.load(at(shift, j))), zero);
          v128.store(at(y, e + j), v);
          v128.store(at(rv, j), f32x4.add(v128.load(at(rv, j)), v));
          v128.store(at(cv, j), f32x4.add(v128.load(at(cv, j)), v));
        }
        for (; j < c; j++) {
          const v = max<f32>(load<f32>(at(x, e + j)) * load<f32>(at(scale, j)) + load<f32>(at(shift, j)), 0);
          store<f32>(at(y, e + j), v);
          store<f32>(at(rv, j), load<f32>(at(rv, j)) + v);
          store<f32>(at(cv, j), load<f32>(at(cv, j)) + v);
        }
      }
      for (let j = 0; j < c; j++) store<f32>(at(rv, j), load<f32>(at(rv, j)) * rowScale);
    }
    for (let q = 0; q < cols; q++) {
      const cv = at(colMeans, (o * cols + q) * c);
      for (let j = 0; j < c; j++) store<f32>(at(cv, j), load<f32>(at(cv, j)) * colScale);
    }
  }
}

/**
 * A weight tensor's dx [outer, rows, cols, c] = a · g + k · x + d (g = dy · [y > 0], per channel a, k, d), and in
 * the same pass its sums over columns, rowSums [outer, rows, c], and over rows, colSums [outer, cols, c] (the
 * gradients of its row and column terms).
 */
export function affineReluGradRowCol(x: usize, y: usize, dy: usize, dx: usize, outer: i32, rows: i32, cols: i32, c: i32, a: usize, k: usize, d: usize, rowSums: usize, colSums: usize): void {
  const zero = f32x4.splat(0);
  const c4 = c & ~3;
  memory.fill(rowSums, 0, <usize>(outer * rows * c) << 2);
  memory.fill(colSums, 0, <usize>(outer * cols * c) << 2);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < rows; i++) {
      const rv = at(rowSums, (o * rows + i) * c);
      for (let q = 0; q < cols; q++) {
        const cv = at(colSums, (o * cols + q) * c);
        const e = ((o * rows + i) * cols + q) * c;
        let j = 0;
        for (; j < c4; j += 4) {
          const p = at(0, e + j);
          const g = v128.and(v128.load(dy + p), f32x4.gt(v128.load(y + p), zero));
          const v = madd(v128.load(at(a, j)), g, madd(v128.load(at(k, j)), v128.load(x + p), v128.load(at(d, j))));
          v128.store(dx + p, v);
          v128.store(at(rv, j), f32x4.add(v128.load(at(rv, j)), v));
          v128.store(at(cv, j), f32x4.add(v128.load(at(cv, j)), v));
        }
        for (; j < c; j++) {
          const p = at(0, e + j);
          const g: f32 = load<f32>(y + p) > 0 ? load<f32>(dy + p) : 0;
          const v = load<f32>(at(a, j)) * g + (load<f32>(at(k, j)) * load<f32>(x + p) + load<f32>(at(d, j)));
          store<f32>(dx + p, v);
          store<f32>(at(rv, j), load<f32>(at(rv, j)) + v);
          store<f32>(at(cv, j), load<f32>(at(cv, j)) + v);
        }
      }
    }
  }
}

/** sums [c] += Σ_r (x [rows, c] − mean)². */
export function centredSquareSums(x: usize, rows: i32, c: i32, mean: usize, sums: usize): void {
  if ((c & 15) == 0) {
    for (let j = 0; j < c; j += 16) {
      const m = at(mean, j);
      const m0 = v128.load(m), m1 = v128.load(m, 16), m2 = v128.load(m, 32), m3 = v128.load(m, 48);
      let x0 = f32x4.splat(0), x1 = f32x4.splat(0), x2 = f32x4.splat(0), x3 = f32x4.splat(0);
      for (let r = 0; r < rows; r++) {
        const p = at(x, r * c + j);
        const d0 = f32x4.sub(v128.load(p), m0), d1 = f32x4.sub(v128.load(p, 16), m1);
        const d2 = f32x4.sub(v128.load(p, 32), m2), d3 = f32x4.sub(v128.load(p, 48), m3);
        x0 = madd(d0, d0, x0); x1 = madd(d1, d1, x1); x2 = madd(d2, d2, x2); x3 = madd(d3, d3, x3);
      }
      const q = at(sums, j);
      v128.store(q, f32x4.add(v128.load(q), x0)); v128.store(q, f32x4.add(v128.load(q, 16), x1), 16);
      v128.store(q, f32x4.add(v128.load(q, 32), x2), 32); v128.store(q, f32x4.add(v128.load(q, 48), x3), 48);
    }
    return;
  }
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < c; j++) {
      const d = load<f32>(at(x, r * c + j)) - load<f32>(at(mean, j));
      store<f32>(at(sums, j), load<f32>(at(sums, j)) + d * d);
    }
  }
}

/** y [rows, c] = max(x · scale + shift, 0), per channel scale [c] and shift [c]. */
export function scaleShiftRelu(x: usize, y: usize, rows: i32, c: i32, scale: usize, shift: usize): void {
  const zero = f32x4.splat(0);
  if ((c & 15) == 0) {
    for (let j = 0; j < c; j += 16) {
      const a0 = v128.load(at(scale, j)), a1 = v128.load(at(scale, j), 16), a2 = v128.load(at(scale, j), 32), a3 = v128.load(at(scale, j), 48);
      const b0 = v128.load(at(shift, j)), b1 = v128.load(at(shift, j), 16), b2 = v128.load(at(shift, j), 32), b3 = v128.load(at(shift, j), 48);
      for (let r = 0; r < rows; r++) {
        const p = at(x, r * c + j);
        const q = at(y, r * c + j);
        v128.store(q, f32x4.max(madd(v128.load(p), a0, b0), zero));
        v128.store(q, f32x4.max(madd(v128.load(p, 16), a1, b1), zero), 16);
        v128.store(q, f32x4.max(madd(v128.load(p, 32), a2, b2), zero), 32);
        v128.store(q, f32x4.max(madd(v128.load(p, 48), a3, b3), zero), 48);
      }
    }
    return;
  }
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < c; j++) store<f32>(at(y, r * c + j), max<f32>(load<f32>(at(x, r * c + j)) * load<f32>(at(scale, j)) + load<f32>(at(shift, j)), 0));
  }
}

/** With g = dy · [y > 0] over [rows, c]: sumG [c] += Σ_r g, sumGX [c] += Σ_r g · x. */
export function reluGradSums(x: usize, y: usize, dy: usize, rows: i32, c: i32, sumG: usize, sumGX: usize): void {
  const zero = f32x4.splat(0);
  if ((c & 15) == 0) {
    for (let j = 0; j < c; j += 16) {
      let g0 = f32x4.splat(0), g1 = f32x4.splat(0), g2 = f32x4.splat(0), g3 = f32x4.splat(0);
      let h0 = f32x4.splat(0), h1 = f32x4.splat(0), h2 = f32x4.splat(0), h3 = f32x4.splat(0);
      for (let r = 0; r < rows; r++) {
        const p = (<usize>(r * c + j)) << 2;
        const a0 = v128.and(v128.load(dy + p), f32x4.gt(v128.load(y + p), zero));
        const a1 = v128.and(v128.load(dy + p, 16), f32x4.gt(v128.load(y + p, 16), zero));
        const a2 = v128.and(v128.load(dy + p, 32), f32x4.gt(v128.load(y + p, 32), zero));
        const a3 = v128.and(v128.load(dy + p, 48), f32x4.gt(v128.load(y + p, 48), zero));
        g0 = f32x4.add(g0, a0); g1 = f32x4.add(g1, a1); g2 = f32x4.add(g2, a2); g3 = f32x4.add(g3, a3);
        h0 = madd(a0, v128.load(x + p), h0); h1 = madd(a1, v128.load(x + p, 16), h1);
        h2 = madd(a2, v128.load(x + p, 32), h2); h3 = madd(a3, v128.load(x + p, 48), h3);
      }
      const sg = at(sumG, j), sx = at(sumGX, j);
      v128.store(sg, f32x4.add(v128.load(sg), g0)); v128.store(sg, f32x4.add(v128.load(sg, 16), g1), 16);
      v128.store(sg, f32x4.add(v128.load(sg, 32), g2), 32); v128.store(sg, f32x4.add(v128.load(sg, 48), g3), 48);
      v128.store(sx, f32x4.add(v128.load(sx), h0)); v128.store(sx, f32x4.add(v128.load(sx, 16), h1), 16);
      v128.store(sx, f32x4.add(v128.load(sx, 32), h2), 32); v128.store(sx, f32x4.add(v128.load(sx, 48), h3), 48);
    }
    return;
  }
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < c; j++) {
      const p = (<usize>(r * c + j)) << 2;
      const g: f32 = load<f32>(y + p) > 0 ? load<f32>(dy + p) : 0;
      store<f32>(at(sumG, j), load<f32>(at(sumG, j)) + g);
      store<f32>(at(sumGX, j), load<f32>(at(sumGX, j)) + g * load<f32>(x + p));
    }
  }
}

/** dx [rows, c] = a · g + k · x + d with g = dy · [y > 0], per channel a, k, d [c]; rows outer, so each line is read once. */
export function affineReluGrad(x: usize, y: usize, dy: usize, dx: usize, rows: i32, c: i32, a: usize, k: usize, d: usize): void {
  const zero = f32x4.splat(0);
  if ((c & 3) == 0) {
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < c; j += 4) {
        const p = (<usize>(r * c + j)) << 2;
        const g = v128.and(v128.load(dy + p), f32x4.gt(v128.load(y + p), zero));
        v128.store(dx + p, madd(v128.load(at(a, j)), g, madd(v128.load(at(k, j)), v128.load(x + p), v128.load(at(d, j)))));
      }
    }
    return;
  }
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < c; j++) {
      const p = (<usize>(r * c + j)) << 2;
      const g: f32 = load<f32>(y + p) > 0 ? load<f32>(dy + p) : 0;
      store<f32>(dx + p, load<f32>(at(a, j)) * g + (load<f32>(at(k, j)) * load<f32>(x + p) + load<f32>(at(d, j))));
    }
  }
}

/** dst [outer, inner] = max_i src [outer, n, inner]; 16 columns (one cache line) per register block where possible. */
export function maxPool(src: usize, dst: usize, outer: i32, n: i32, inner: i32): void {
  for (let o = 0; o < outer; o++) {
    const base = at(src, o * n * inner);
    let j = 0;
    for (; j + 16 <= inner; j += 16) {
      const p = at(base, j);
      let x0 = v128.load(p), x1 = v128.load(p, 16), x2 = v128.load(p, 32), x3 = v128.load(p, 48);
      for (let i = 1; i < n; i++) {
        const q = at(base, i * inner + j);
        x0 = f32x4.max(x0, v128.load(q)); x1 = f32x4.max(x1, v128.load(q, 16));
        x2 = f32x4.max(x2, v128.load(q, 32)); x3 = f32x4.max(x3, v128.load(q, 48));
      }
      const d = at(dst, o * inner + j);
      v128.store(d, x0); v128.store(d, x1, 16); v128.store(d, x2, 32); v128.store(d, x3, 48);
    }
    for (; j + 4 <= inner; j += 4) {
      let best = v128.load(at(base, j));
      for (let i = 1; i < n; i++) best = f32x4.max(best, v128.load(at(base, i * inner + j)));
      v128.store(at(dst, o * inner + j), best);
    }
    for (; j < inner; j++) {
      let best = load<f32>(at(base, j));
      for (let i = 1; i < n; i++) best = max<f32>(best, load<f32>(at(base, i * inner + j)));
      store<f32>(at(dst, o * inner + j), best);
    }
  }
}

/**
 * dSrc [outer, n, inner] += dDst [outer, inner] at every entry equal to the max (TensorFlow.js's rule: each
 * tied entry gets the whole gradient; ties at 0 after a ReLU get nothing further down anyway).
 */
export function maxPoolGrad(src: usize, dst: usize, dDst: usize, dSrc: usize, outer: i32, n: i32, inner: i32): void {
  const inner4 = inner & ~3;
  for (let o = 0; o < outer; o++) {
    const m = at(dst, o * inner);
    const g = at(dDst, o * inner);
    for (let i = 0; i < n; i++) {
      const row = (o * n + i) * inner;
      let j = 0;
      for (; j < inner4; j += 4) {
        const hit = f32x4.eq(v128.load(at(src, row + j)), v128.load(at(m, j)));
        const p = at(dSrc, row + j);
        v128.store(p, f32x4.add(v128.load(p), v128.and(v128.load(at(g, j)), hit)));
      }
      for (; j < inner; j++) {
        if (load<f32>(at(src, row + j)) == load<f32>(at(m, j))) {
          const p = at(dSrc, row + j);
          store<f32>(p, load<f32>(p) + load<f32>(at(g, j)));
        }
      }
    }
  }
}

/**
 * One AdamW step over `count` parameters (a multiple of 4), in PyTorch's order of operations:
 *   m ← β1 m + (1−β1) g;  v ← β2 v + (1−β2) g²;  θ ← θ·(1 − lr·wd) − lr · (m / c1) / (√(v / c2) + ε)
 * with c1 = 1 − β1ᵗ, c2 = 1 − β2ᵗ.
 */
export function adamw(theta: usize, grad: usize, m: usize, v: usize, count: i32, lr: f32, weightDecay: f32, beta1: f32, beta2: f32, eps: f32, c1: f32, c2: f32): void {
  const b1 = f32x4.splat(beta1), nb1 = f32x4.splat(1 - beta1);
  const b2 = f32x4.splat(beta2), nb2 = f32x4.splat(1 - beta2);
  const decay = f32x4.splat(1 - lr * weightDecay);
  const rate = f32x4.splat(lr), e = f32x4.splat(eps);
  const k1 = f32x4.splat(c1), k2 = f32x4.splat(c2);
  for (let i = 0; i < count; i += 4) {
    const p = (<usize>i) << 2;
    const g = v128.load(grad + p);
    const mi = f32x4.add(f32x4.mul(v128.load(m + p), b1), f32x4.mul(g, nb1));
    const vi = f32x4.add(f32x4.mul(v128.load(v + p), b2), f32x4.mul(f32x4.mul(g, g), nb2));
    v128.store(m + p, mi);
    v128.store(v + p, vi);
    const update = f32x4.div(f32x4.div(mi, k1), f32x4.add(f32x4.sqrt(f32x4.div(vi, k2)), e));
    v128.store(theta + p, f32x4.sub(f32x4.mul(v128.load(theta + p), decay), f32x4.mul(update, rate)));
  }
}

/**
 * The SIMD multiply-add peak this runtime reaches on one core: `iterations` rounds of 8 independent vector
 * multiply-adds (64 FLOP per round, counting a multiply-add as 2). Returns a sum so nothing is optimised away.
 */
export function fmaPeak(iterations: i32): f32 {
  const m = f32x4.splat(0.999999);
  const c = f32x4.splat(1e-7);
  let a0 = f32x4.splat(1), a1 = f32x4.splat(2), a2 = f32x4.splat(3), a3 = f32x4.splat(4);
  let a4 = f32x4.splat(5), a5 = f32x4.splat(6), a6 = f32x4.splat(7), a7 = f32x4.splat(8);
  for (let i = 0; i < iterations; i++) {
    a0 = madd(a0, m, c); a1 = madd(a1, m, c); a2 = madd(a2, m, c); a3 = madd(a3, m, c);
    a4 = madd(a4, m, c); a5 = madd(a5, m, c); a6 = madd(a6, m, c); a7 = madd(a7, m, c);
  }
  const s = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7)));
  return f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3);
}

/** dst [cols, rows] = srcᵀ, src [rows, cols] (weight blocks, for the input gradients dx = dy · Wᵀ). */
export function transpose(src: usize, dst: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) store<f32>(at(dst, c * rows + r), load<f32>(at(src, r * cols + c)));
}
