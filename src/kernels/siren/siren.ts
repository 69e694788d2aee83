// @ts-nocheck: this file is AssemblyScript (compiled by scripts/build-wasm.mjs with asc, checked against
// ./tsconfig.json), not TypeScript; the root tsconfig's src/** glob would otherwise type-check it.
/**
 * Fused SIREN fitting kernel (WebAssembly SIMD). One call runs a whole fit of one network: per step
 * forward, MSE, backward and a bias-corrected Adam update, all in f32.
 *
 * Maths (layers l = 0…L, L = the linear output layer; H_0 = coordinates):
 *   u_l = W_l H_l + b_l,   H_{l+1} = sin(w0·u_l),   C_{l+1} = w0·cos(w0·u_l)      (l < L)
 *   y = W_L H_L + b_L + outputOffset,   MSE = Σ mask·(y − t)² / (pixels·outputDim)
 *   δ_L = 2·mask·(y − t) / (pixels·outputDim);   ∂W_l = Σ_p δ_l H_lᵀ,   ∂b_l = Σ_p δ_l
 *   δ_{l−1} = (W_lᵀ δ_l) ⊙ C_l
 *   Adam (PyTorch): m ← β1 m + (1−β1) g;  v ← β2 v + (1−β2) g²;
 *                   θ ← θ − (lr / (1−β1ᵗ)) · m / (√v / √(1−β2ᵗ) + ε)
 *
 * Layout: the gradient is a sum over pixels, so a step runs forward and backward through every layer
 * one tile of TILE pixels at a time and accumulates ∂W, ∂b over tiles; the activations of one tile stay
 * in L1/L2 whatever the image size. Within a tile, activations are stored per neuron with the tile's
 * pixels contiguous (a compile-time row stride), so each f32x4 runs across 4 pixels. Products are
 * register-blocked: 2 neurons × 16 pixels (forward, δ propagation) and 2 outputs × 4 inputs reduced over
 * pixels (weight gradients). The last tile is cut to whole blocks of 16 pixels; pixels past the image
 * are masked (zero error). Hidden widths are padded to even with zero neurons, which stay exactly zero
 * under training (their weights get zero gradients), so padding changes no result.
 *
 * sin/cos: one shared range reduction with w0 folded in: q = round(u·w0/π) by the 1.5·2²³ trick,
 * r = (u − q·c_hi − q·c_lo)·w0 with c_hi + c_lo = π/w0 (rounding error relative to r, not to w0·u);
 * then sin r = r + r³·S(r²) and cos r = 1 + r²·C(r²) (minimax on [−π/2, π/2], max error ≈ 3e-7 in f32,
 * with w0 folded into C's coefficients) and sin, cos (w0·u) = (−1)^q · (sin r, cos r), branch-free.
 *
 * Built twice: plain SIMD (mul + add) and relaxed SIMD (f32x4.relaxed_madd, an FMA where the CPU has one).
 */

const MAX_LAYERS: i32 = 9; // up to 8 hidden layers + the output layer
const TILE: i32 = 112; // pixels per tile, a multiple of 16 (784 = 7 tiles)
const ROW: usize = TILE * 4; // bytes of one neuron's row within a tile

// Per-layer tables (i32), indexed by layer l.
const WIDTHS: usize = memory.data(4 * (MAX_LAYERS + 1), 16); // host-written: [in, hidden…, out]
const FAN_IN: usize = memory.data(4 * MAX_LAYERS, 16);
const FAN_OUT: usize = memory.data(4 * MAX_LAYERS, 16);
const W_OFFSET: usize = memory.data(4 * MAX_LAYERS, 16); // bytes from the start of the parameters
const B_OFFSET: usize = memory.data(4 * MAX_LAYERS, 16);
const ACT_PTR: usize = memory.data(4 * MAX_LAYERS, 16); // H_l of the current tile, l ≥ 1 (H_0: the tile's coordinates)
const COS_PTR: usize = memory.data(4 * MAX_LAYERS, 16); // C_l of the current tile, l ≥ 1

let layerCount: i32 = 0;
let inputDim: i32 = 0;
let outputDim: i32 = 0;
let pixelCount: i32 = 0;
let tileCount: i32 = 0;
let paramBytes: usize = 0; // padded to a multiple of 16
let paramsPtr: usize = 0;
let gradsPtr: usize = 0;
let adamMPtr: usize = 0;
let adamVPtr: usize = 0;
let coordsPtr: usize = 0; // per tile: inputDim rows
let targetPtr: usize = 0; // per tile: outputDim rows
let maskPtr: usize = 0; // per tile: one row, 1 for pixels of the image, 0 past it
let stagingPtr: usize = 0; // pixel-major input from the host
let deltaPtrA: usize = 0;
let deltaPtrB: usize = 0;
let lastMse: f64 = 0;
let outputOffset: f32 = 0;

@inline function tableGet(table: usize, l: i32): i32 {
  return load<i32>(table + (<usize>l << 2));
}

@inline function tableSet(table: usize, l: i32, value: i32): void {
  store<i32>(table + (<usize>l << 2), value);
}

@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/** [Σ a, Σ b, Σ c, Σ d] over the lanes of each vector. */
@inline function horizontalSums(a: v128, b: v128, c: v128, d: v128): v128 {
  const ab = f32x4.add(v128.shuffle<f32>(a, b, 0, 4, 1, 5), v128.shuffle<f32>(a, b, 2, 6, 3, 7));
  const cd = f32x4.add(v128.shuffle<f32>(c, d, 0, 4, 1, 5), v128.shuffle<f32>(c, d, 2, 6, 3, 7));
  return f32x4.add(v128.shuffle<f32>(ab, cd, 0, 1, 4, 5), v128.shuffle<f32>(ab, cd, 2, 3, 6, 7));
}

@inline function horizontalSum(a: v128): f32 {
  return f32x4.extract_lane(a, 0) + f32x4.extract_lane(a, 1) + f32x4.extract_lane(a, 2) + f32x4.extract_lane(a, 3);
}

@inline function addScalar(ptr: usize, value: f32): void {
  store<f32>(ptr, load<f32>(ptr) + value);
}

// The sine pass's constants, splatted, in memory: loaded once per pass into locals (the compiler would
// otherwise rebuild every v128.const inside the loop).
const SINE_TABLE: usize = memory.data(16 * 14, 16);
const T_SCALE = 0, T_MAGIC = 1, T_HI = 2, T_LO = 3, T_W0 = 4, T_S1 = 5, T_S2 = 6, T_S3 = 7, T_S4 = 8;
const T_C0 = 9, T_C1 = 10, T_C2 = 11, T_C3 = 12, T_C4 = 13;
const ROUND_MAGIC: f32 = 12582912.0; // 1.5·2²³: x + MAGIC rounds x to an integer held in the low mantissa bits
const S1: f64 = -1.66666571e-1, S2: f64 = 8.333017299e-3, S3: f64 = -1.980661573e-4, S4: f64 = 2.60005589e-6;
const C1: f64 = -4.99999323e-1, C2: f64 = 4.166398957e-2, C3: f64 = -1.385592813e-3, C4: f64 = 2.319440859e-5;

@inline function setSineConstant(index: i32, value: f64): void {
  v128.store(SINE_TABLE + (<usize>index << 4), f32x4.splat(<f32>value));
}

@inline function sineConstant(index: i32): v128 {
  return v128.load(SINE_TABLE + (<usize>index << 4));
}

function setSineTable(w0: f64): void {
  const quantum = Math.PI / w0;
  const hi = reinterpret<f32>(reinterpret<u32>(<f32>quantum) & 0xfffff000); // 12 bits: q·hi exact for |q| < 2¹²
  setSineConstant(T_SCALE, 1 / quantum);
  setSineConstant(T_MAGIC, ROUND_MAGIC);
  setSineConstant(T_HI, -hi);
  setSineConstant(T_LO, -(quantum - <f64>hi));
  setSineConstant(T_W0, w0);
  setSineConstant(T_S1, S1);
  setSineConstant(T_S2, S2);
  setSineConstant(T_S3, S3);
  setSineConstant(T_S4, S4);
  setSineConstant(T_C0, w0);
  setSineConstant(T_C1, w0 * C1);
  setSineConstant(T_C2, w0 * C2);
  setSineConstant(T_C3, w0 * C3);
  setSineConstant(T_C4, w0 * C4);
}

/** In place over `bytes` bytes: u at hPtr becomes sin(w0·u), and w0·cos(w0·u) goes to cPtr. */
function sineRow(hPtr: usize, cPtr: usize, bytes: usize): void {
  const scale = sineConstant(T_SCALE), magic = sineConstant(T_MAGIC), hi = sineConstant(T_HI), lo = sineConstant(T_LO);
  const omega = sineConstant(T_W0), s1 = sineConstant(T_S1), s2 = sineConstant(T_S2), s3 = sineConstant(T_S3), s4 = sineConstant(T_S4);
  const c0 = sineConstant(T_C0), c1 = sineConstant(T_C1), c2 = sineConstant(T_C2), c3 = sineConstant(T_C3), c4 = sineConstant(T_C4);
  for (let p: usize = 0; p < bytes; p += 16) {
    const u = v128.load(hPtr + p);
    const t = madd(u, scale, magic);
    const q = f32x4.sub(t, magic);
    const r = f32x4.mul(madd(q, lo, madd(q, hi, u)), omega);
    const r2 = f32x4.mul(r, r);
    const sinR = madd(f32x4.mul(r, r2), madd(madd(madd(s4, r2, s3), r2, s2), r2, s1), r);
    const cosR = madd(madd(madd(madd(c4, r2, c3), r2, c2), r2, c1), r2, c0);
    const sign = i32x4.shl(t, 31); // (−1)^q: q's parity is the lowest bit of t (the magic's is 0)
    v128.store(hPtr + p, v128.xor(sinR, sign));
    v128.store(cPtr + p, v128.xor(cosR, sign));
  }
}

let cursor: usize = 0;

/** Takes the next 64-byte aligned region of `bytes` bytes from the layout being built. */
function reserve(bytes: usize): usize {
  const at = cursor;
  cursor += (bytes + 63) & ~63;
  return at;
}

/** Sizes the kernel for the widths the host wrote at widthsPtr() and `pixels` pixels; 0 when memory runs out. */
export function configure(hiddenCount: i32, pixels: i32, w0: f32, offset: f32): i32 {
  if (hiddenCount < 1 || hiddenCount + 1 > MAX_LAYERS || pixels < 1) return 0;
  layerCount = hiddenCount + 1;
  inputDim = tableGet(WIDTHS, 0);
  outputDim = tableGet(WIDTHS, layerCount);
  pixelCount = pixels;
  tileCount = (pixels + TILE - 1) / TILE;
  outputOffset = offset;
  setSineTable(<f64>w0);

  let floats: i32 = 0;
  let maxWidth: i32 = 0;
  for (let l = 0; l < layerCount; l++) {
    const fanIn = l == 0 ? inputDim : (tableGet(WIDTHS, l) + 1) & ~1;
    const fanOut = l == layerCount - 1 ? outputDim : (tableGet(WIDTHS, l + 1) + 1) & ~1;
    tableSet(FAN_IN, l, fanIn);
    tableSet(FAN_OUT, l, fanOut);
    tableSet(W_OFFSET, l, floats << 2);
    tableSet(B_OFFSET, l, (floats + fanIn * fanOut) << 2);
    floats += fanOut * (fanIn + 1);
    if (fanOut > maxWidth) maxWidth = fanOut;
  }
  paramBytes = <usize>((floats + 3) & ~3) << 2;

  cursor = (__heap_base + 63) & ~63;
  paramsPtr = reserve(paramBytes);
  gradsPtr = reserve(paramBytes);
  adamMPtr = reserve(paramBytes);
  adamVPtr = reserve(paramBytes);
  for (let l = 1; l < layerCount; l++) {
    tableSet(ACT_PTR, l, <i32>reserve(<usize>tableGet(FAN_IN, l) * ROW));
    tableSet(COS_PTR, l, <i32>reserve(<usize>tableGet(FAN_IN, l) * ROW));
  }
  deltaPtrA = reserve(<usize>maxWidth * ROW);
  deltaPtrB = reserve(<usize>maxWidth * ROW);
  coordsPtr = reserve(<usize>(tileCount * inputDim) * ROW);
  targetPtr = reserve(<usize>(tileCount * outputDim) * ROW);
  maskPtr = reserve(<usize>tileCount * ROW);
  stagingPtr = reserve(<usize>(pixels * max(inputDim, outputDim)) << 2);

  const pagesNeeded = <i32>((cursor + 0xffff) >> 16);
  if (pagesNeeded > memory.size() && memory.grow(pagesNeeded - memory.size()) < 0) return 0;
  memory.fill(paramsPtr, 0, cursor - paramsPtr);
  for (let p = 0; p < pixels; p++) store<f32>(tileRow(maskPtr, 1, p / TILE, 0) + (<usize>(p % TILE) << 2), 1);
  return 1;
}

/** Row `row` of tile `tile` in a per-tile array with `rows` rows per tile. */
@inline function tileRow(base: usize, rows: i32, tile: i32, row: i32): usize {
  return base + <usize>(tile * rows + row) * ROW;
}

/** Moves pixel-major staging data (pixels × rows) into the per-tile rows at `base`. */
function unstage(base: usize, rows: i32): void {
  for (let p = 0; p < pixelCount; p++) {
    for (let r = 0; r < rows; r++) {
      const value = load<f32>(stagingPtr + (<usize>(p * rows + r) << 2));
      store<f32>(tileRow(base, rows, p / TILE, r) + (<usize>(p % TILE) << 2), value);
    }
  }
}

/** Forward through sine layer l over `bytes` bytes of each row: H_{l+1} = sin(w0·(W H_l + b)), C_{l+1}. */
function sineLayer(l: i32, input: usize, bytes: usize): void {
  const fanIn = tableGet(FAN_IN, l);
  const fanOut = tableGet(FAN_OUT, l);
  const weights = paramsPtr + <usize>tableGet(W_OFFSET, l);
  const biases = paramsPtr + <usize>tableGet(B_OFFSET, l);
  for (let o = 0; o < fanOut; o += 2) {
    const wa = weights + (<usize>(o * fanIn) << 2);
    const wb = wa + (<usize>fanIn << 2);
    const ba = v128.load32_splat(biases + (<usize>o << 2));
    const bb = v128.load32_splat(biases + (<usize>o << 2), 4);
    const h = <usize>tableGet(ACT_PTR, l + 1) + <usize>o * ROW;
    const c = <usize>tableGet(COS_PTR, l + 1) + <usize>o * ROW;
    for (let p: usize = 0; p < bytes; p += 64) {
      let a0 = ba, a1 = ba, a2 = ba, a3 = ba;
      let b0 = bb, b1 = bb, b2 = bb, b3 = bb;
      let x = input + p;
      for (let i = 0; i < fanIn; i++) {
        const x0 = v128.load(x), x1 = v128.load(x, 16), x2 = v128.load(x, 32), x3 = v128.load(x, 48);
        const sa = v128.load32_splat(wa + (<usize>i << 2));
        const sb = v128.load32_splat(wb + (<usize>i << 2));
        a0 = madd(sa, x0, a0); a1 = madd(sa, x1, a1); a2 = madd(sa, x2, a2); a3 = madd(sa, x3, a3);
        b0 = madd(sb, x0, b0); b1 = madd(sb, x1, b1); b2 = madd(sb, x2, b2); b3 = madd(sb, x3, b3);
        x += ROW;
      }
      v128.store(h + p, a0); v128.store(h + p, a1, 16); v128.store(h + p, a2, 32); v128.store(h + p, a3, 48);
      v128.store(h + p, b0, ROW); v128.store(h + p, b1, ROW + 16); v128.store(h + p, b2, ROW + 32); v128.store(h + p, b3, ROW + 48);
    }
    sineRow(h, c, bytes);
    sineRow(h + ROW, c + ROW, bytes);
  }
}

/** Forward through the output layer; writes δ_L to deltaPtrA and returns Σ mask·(y − t)² over the tile. */
function outputLayer(input: usize, target: usize, mask: usize, bytes: usize): f64 {
  const l = layerCount - 1;
  const fanIn = tableGet(FAN_IN, l);
  const gradScale = f32x4.splat(<f32>(2 / (<f64>pixelCount * <f64>outputDim)));
  let total: f64 = 0;
  for (let c = 0; c < outputDim; c++) {
    const w = paramsPtr + <usize>tableGet(W_OFFSET, l) + (<usize>(c * fanIn) << 2);
    const bias = f32x4.splat(load<f32>(paramsPtr + <usize>tableGet(B_OFFSET, l) + (<usize>c << 2)) + outputOffset);
    const t = target + <usize>c * ROW;
    const delta = deltaPtrA + <usize>c * ROW;
    let squares = f32x4.splat(0);
    for (let p: usize = 0; p < bytes; p += 64) {
      let y0 = bias, y1 = bias, y2 = bias, y3 = bias;
      let x = input + p;
      for (let i = 0; i < fanIn; i++) {
        const s = v128.load32_splat(w + (<usize>i << 2));
        y0 = madd(s, v128.load(x), y0); y1 = madd(s, v128.load(x, 16), y1);
        y2 = madd(s, v128.load(x, 32), y2); y3 = madd(s, v128.load(x, 48), y3);
        x += ROW;
      }
      const e0 = f32x4.mul(f32x4.sub(y0, v128.load(t + p)), v128.load(mask + p));
      const e1 = f32x4.mul(f32x4.sub(y1, v128.load(t + p, 16)), v128.load(mask + p, 16));
      const e2 = f32x4.mul(f32x4.sub(y2, v128.load(t + p, 32)), v128.load(mask + p, 32));
      const e3 = f32x4.mul(f32x4.sub(y3, v128.load(t + p, 48)), v128.load(mask + p, 48));
      squares = madd(e0, e0, madd(e1, e1, madd(e2, e2, madd(e3, e3, squares))));
      v128.store(delta + p, f32x4.mul(e0, gradScale));
      v128.store(delta + p, f32x4.mul(e1, gradScale), 16);
      v128.store(delta + p, f32x4.mul(e2, gradScale), 32);
      v128.store(delta + p, f32x4.mul(e3, gradScale), 48);
    }
    total += <f64>horizontalSum(squares);
  }
  return total;
}

/** Σ_p a[p]·b[p] over `bytes` bytes of one row each. */
function rowDot(a: usize, b: usize, bytes: usize): f32 {
  let s0 = f32x4.splat(0), s1 = s0, s2 = s0, s3 = s0;
  for (let p: usize = 0; p < bytes; p += 64) {
    s0 = madd(v128.load(a + p), v128.load(b + p), s0);
    s1 = madd(v128.load(a + p, 16), v128.load(b + p, 16), s1);
    s2 = madd(v128.load(a + p, 32), v128.load(b + p, 32), s2);
    s3 = madd(v128.load(a + p, 48), v128.load(b + p, 48), s3);
  }
  return horizontalSum(f32x4.add(f32x4.add(s0, s1), f32x4.add(s2, s3)));
}

/** Adds this tile's ∂W_l = δ Hᵀ (2 outputs × 4 inputs per block) and ∂b_l = Σ_p δ (`mask` is 1 on the image). */
function weightGrads(l: i32, input: usize, delta: usize, mask: usize, bytes: usize): void {
  const fanIn = tableGet(FAN_IN, l);
  const fanOut = tableGet(FAN_OUT, l);
  const gradW = gradsPtr + <usize>tableGet(W_OFFSET, l);
  const gradB = gradsPtr + <usize>tableGet(B_OFFSET, l);
  let o = 0;
  for (; o + 2 <= fanOut; o += 2) {
    const d = delta + <usize>o * ROW;
    const ga = gradW + (<usize>(o * fanIn) << 2);
    const gb = ga + (<usize>fanIn << 2);
    let i = 0;
    for (; i + 4 <= fanIn; i += 4) {
      const x = input + <usize>i * ROW;
      let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
      for (let p: usize = 0; p < bytes; p += 16) {
        const d0 = v128.load(d + p), d1 = v128.load(d + p, ROW);
        const x0 = v128.load(x + p), x1 = v128.load(x + p, ROW), x2 = v128.load(x + p, 2 * ROW), x3 = v128.load(x + p, 3 * ROW);
        a0 = madd(d0, x0, a0); a1 = madd(d0, x1, a1); a2 = madd(d0, x2, a2); a3 = madd(d0, x3, a3);
        b0 = madd(d1, x0, b0); b1 = madd(d1, x1, b1); b2 = madd(d1, x2, b2); b3 = madd(d1, x3, b3);
      }
      const gai = ga + (<usize>i << 2), gbi = gb + (<usize>i << 2);
      v128.store(gai, f32x4.add(v128.load(gai), horizontalSums(a0, a1, a2, a3)));
      v128.store(gbi, f32x4.add(v128.load(gbi), horizontalSums(b0, b1, b2, b3)));
    }
    for (; i < fanIn; i++) {
      addScalar(ga + (<usize>i << 2), rowDot(d, input + <usize>i * ROW, bytes));
      addScalar(gb + (<usize>i << 2), rowDot(d + ROW, input + <usize>i * ROW, bytes));
    }
  }
  for (; o < fanOut; o++) {
    for (let i = 0; i < fanIn; i++) {
      addScalar(gradW + (<usize>(o * fanIn + i) << 2), rowDot(delta + <usize>o * ROW, input + <usize>i * ROW, bytes));
    }
  }
  for (o = 0; o < fanOut; o++) addScalar(gradB + (<usize>o << 2), rowDot(delta + <usize>o * ROW, mask, bytes));
}

/** δ_{l−1} = (W_lᵀ δ_l) ⊙ C_l, 2 inputs × 16 pixels per block; δ_l at `delta`, result at `out`. */
function propagate(l: i32, delta: usize, out: usize, bytes: usize): void {
  const fanIn = tableGet(FAN_IN, l);
  const fanOut = tableGet(FAN_OUT, l);
  const weights = paramsPtr + <usize>tableGet(W_OFFSET, l);
  const cosines = <usize>tableGet(COS_PTR, l);
  const weightRow = <usize>fanIn << 2;
  for (let i = 0; i < fanIn; i += 2) {
    for (let p: usize = 0; p < bytes; p += 64) {
      let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
      let d = delta + p;
      let w = weights + (<usize>i << 2);
      for (let o = 0; o < fanOut; o++) {
        const d0 = v128.load(d), d1 = v128.load(d, 16), d2 = v128.load(d, 32), d3 = v128.load(d, 48);
        const sa = v128.load32_splat(w), sb = v128.load32_splat(w, 4);
        a0 = madd(sa, d0, a0); a1 = madd(sa, d1, a1); a2 = madd(sa, d2, a2); a3 = madd(sa, d3, a3);
        b0 = madd(sb, d0, b0); b1 = madd(sb, d1, b1); b2 = madd(sb, d2, b2); b3 = madd(sb, d3, b3);
        d += ROW;
        w += weightRow;
      }
      const c = cosines + <usize>i * ROW + p;
      const r = out + <usize>i * ROW + p;
      v128.store(r, f32x4.mul(a0, v128.load(c))); v128.store(r, f32x4.mul(a1, v128.load(c, 16)), 16);
      v128.store(r, f32x4.mul(a2, v128.load(c, 32)), 32); v128.store(r, f32x4.mul(a3, v128.load(c, 48)), 48);
      v128.store(r, f32x4.mul(b0, v128.load(c, ROW)), ROW); v128.store(r, f32x4.mul(b1, v128.load(c, ROW + 16)), ROW + 16);
      v128.store(r, f32x4.mul(b2, v128.load(c, ROW + 32)), ROW + 32); v128.store(r, f32x4.mul(b3, v128.load(c, ROW + 48)), ROW + 48);
    }
  }
}

/** MSE of the current weights; their gradient in grads(). */
function lossAndGradientsOfParams(): f64 {
  memory.fill(gradsPtr, 0, paramBytes);
  let squares: f64 = 0;
  for (let tile = 0; tile < tileCount; tile++) {
    const pixels = min(TILE, pixelCount - tile * TILE);
    const bytes = <usize>((pixels + 15) & ~15) << 2;
    const coords = tileRow(coordsPtr, inputDim, tile, 0);
    const mask = tileRow(maskPtr, 1, tile, 0);
    for (let l = 0; l < layerCount - 1; l++) sineLayer(l, l == 0 ? coords : <usize>tableGet(ACT_PTR, l), bytes);
    squares += outputLayer(<usize>tableGet(ACT_PTR, layerCount - 1), tileRow(targetPtr, outputDim, tile, 0), mask, bytes);
    let delta = deltaPtrA, spare = deltaPtrB;
    for (let l = layerCount - 1; l >= 0; l--) {
      weightGrads(l, l == 0 ? coords : <usize>tableGet(ACT_PTR, l), delta, mask, bytes);
      if (l > 0) {
        propagate(l, delta, spare, bytes);
        const t = delta; delta = spare; spare = t;
      }
    }
  }
  return squares / (<f64>pixelCount * <f64>outputDim);
}

function adamUpdate(step: i32, lr: f64, beta1: f64, beta2: f64, eps: f64): void {
  const stepSize = f32x4.splat(<f32>(lr / (1 - Math.pow(beta1, step))));
  const sqrtCorrection2 = f32x4.splat(<f32>Math.sqrt(1 - Math.pow(beta2, step)));
  const b1 = f32x4.splat(<f32>beta1), b2 = f32x4.splat(<f32>beta2);
  const c1 = f32x4.splat(<f32>(1 - beta1)), c2 = f32x4.splat(<f32>(1 - beta2));
  const epsilon = f32x4.splat(<f32>eps);
  for (let k: usize = 0; k < paramBytes; k += 16) {
    const g = v128.load(gradsPtr + k);
    const m = madd(c1, g, f32x4.mul(b1, v128.load(adamMPtr + k)));
    const v = madd(c2, f32x4.mul(g, g), f32x4.mul(b2, v128.load(adamVPtr + k)));
    const denom = f32x4.add(f32x4.div(f32x4.sqrt(v), sqrtCorrection2), epsilon);
    v128.store(adamMPtr + k, m);
    v128.store(adamVPtr + k, v);
    v128.store(paramsPtr + k, f32x4.sub(v128.load(paramsPtr + k), f32x4.mul(stepSize, f32x4.div(m, denom))));
  }
}

/**
 * Fits the network in params() to the target from a fresh Adam state: each step takes the MSE of the
 * current weights and stops when it is ≤ stopMse (−1: never) or `maxSteps` updates are done; otherwise
 * one Adam update. Returns the number of updates; mse() is that of the weights left in params().
 */
export function fit(maxSteps: i32, stopMse: f64, lr: f64, beta1: f64, beta2: f64, eps: f64): i32 {
  memory.fill(adamMPtr, 0, paramBytes);
  memory.fill(adamVPtr, 0, paramBytes);
  let steps = 0;
  while (true) {
    lastMse = lossAndGradientsOfParams();
    if (lastMse <= stopMse || steps >= maxSteps) return steps;
    steps++;
    adamUpdate(steps, lr, beta1, beta2, eps);
  }
}

/** MSE of params() and its gradient in grads(). */
export function lossAndGradients(): f64 {
  lastMse = lossAndGradientsOfParams();
  return lastMse;
}

/** Takes the coordinates the host wrote at staging() (pixels × inputDim, pixel-major). */
export function loadCoords(): void { unstage(coordsPtr, inputDim); }
/** Takes the target the host wrote at staging() (pixels × outputDim, pixel-major). */
export function loadTarget(): void { unstage(targetPtr, outputDim); }

export function mse(): f64 { return lastMse; }
export function widthsPtr(): usize { return WIDTHS; }
export function staging(): usize { return stagingPtr; }
export function params(): usize { return paramsPtr; }
export function grads(): usize { return gradsPtr; }
export function fanIn(l: i32): i32 { return tableGet(FAN_IN, l); }
/** Offsets of W_l and b_l within params() / grads(), in floats. */
export function weightOffset(l: i32): i32 { return tableGet(W_OFFSET, l) >> 2; }
export function biasOffset(l: i32): i32 { return tableGet(B_OFFSET, l) >> 2; }
