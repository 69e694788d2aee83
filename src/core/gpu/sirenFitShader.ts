/**
 * The fused SIREN fitting kernel in WGSL (the WebGPU twin of src/kernels/siren/siren.ts): one workgroup
 * fits one network, many networks per dispatch, several Adam steps per dispatch. Same maths as the
 * reference (src/core/inr/reference.ts) and the WASM kernel, in f32:
 *   u_j = W_j A_j + b_j,  A_{j+1} = sin(w0·u_j),  C_{j+1} = w0·cos(w0·u_j)   (hidden layers)
 *   y = W_L A_L + b_L + outputOffset,  MSE = Σ (y − t)² / (pixels·outputDim)
 *   D_L = 2(y − t) / (pixels·outputDim),  D_{j−1} = (W_jᵀ D_j) ⊙ C_j,  ∂W_j = Σ_p D_j A_jᵀ,  ∂b_j = Σ_p D_j
 *   Adam (PyTorch): m ← β1 m + (1−β1) g;  v ← β2 v + (1−β2) g²;  θ ← θ − (lr/(1−β1ᵗ)) · m / (√v/√(1−β2ᵗ) + ε)
 * Each step first takes the MSE of the current weights: at or below the stop MSE, or with the step cap
 * reached, the network is finished without updating (backend.ts's contract).
 *
 * Layout: the image is walked in tiles of TILE pixels; a tile's activations A_j and slopes C_j live in
 * workgroup memory (C_j is overwritten by D_{j−1} on the way back); each thread owns a fixed set of
 * parameters (q = thread + r·WORKGROUP), accumulates their gradient over the tiles in registers and keeps
 * their Adam moments in registers for the whole dispatch. Every sum runs in a fixed order, so a network's
 * result depends only on its own inputs (not on which or how many networks share a dispatch).
 *
 * sin/cos use the WASM kernel's range reduction and polynomials (WGSL's built-in sin is only accurate
 * near 0): q = round(u·w0/π), r = (u − q·hi − q·lo)·w0 with hi + lo = π/w0, then minimax polynomials on
 * [−π/2, π/2] and the sign (−1)^q.
 */
import { sirenParameterCount, sirenWidths, type SirenSpec } from '../inr/spec';

/** Pixels per tile and threads per workgroup. */
export const TILE = 16;
export const WORKGROUP = 128;

/** Bytes of the uniform block (Config in the shader). */
export const CONFIG_BYTES = 32;

const S = [-1.66666571e-1, 8.333017299e-3, -1.980661573e-4, 2.60005589e-6];
const C = [-4.99999323e-1, 4.166398957e-2, -1.385592813e-3, 2.319440859e-5];

/** A float literal WGSL accepts (always with a point or exponent, as f32). */
function f32(value: number): string {
  const v = Math.fround(value);
  if (!Number.isFinite(v)) throw new Error(`not a finite f32: ${value}`);
  const text = String(v);
  return /[.e]/.test(text) ? `${text}f` : `${text}.0f`;
}

/** The range-reduction constants for w0 (as in the WASM kernel's setSineTable). */
function sineConstants(w0: number): { scale: number; hi: number; lo: number } {
  const quantum = Math.PI / w0;
  const bits = new Uint32Array(Float32Array.of(quantum).buffer)[0]! & 0xfffff000; // 12 bits: q·hi exact for |q| < 2¹²
  const hi = new Float32Array(Uint32Array.of(bits).buffer)[0]!;
  return { scale: 1 / quantum, hi, lo: quantum - hi };
}

/** Why the WGSL kernel cannot fit this spec (workgroup memory), or null. */
export function shaderUnsupportedReason(spec: SirenSpec, limitBytes: number): string | null {
  const bytes = workgroupBytes(spec);
  return bytes > limitBytes
    ? `the WebGPU SIREN kernel needs ${bytes} bytes of workgroup memory for hidden widths [${spec.hidden.join(', ')}]; this adapter has ${limitBytes}`
    : null;
}

function workgroupBytes(spec: SirenSpec): number {
  const hidden = spec.hidden.reduce((n, w) => n + 2 * w, 0);
  return 4 * (TILE * (spec.inputDim + hidden + spec.outputDim) + WORKGROUP + 2);
}

/** WGSL source of the fitting kernel for `spec` over `pixels` pixels. */
export function sirenFitShader(spec: SirenSpec, pixels: number): string {
  const widths = sirenWidths(spec);
  const L = widths.length - 2; // index of the output layer
  const P = sirenParameterCount(spec);
  const K = Math.ceil(P / WORKGROUP);
  const tiles = Math.ceil(pixels / TILE);
  const { scale, hi, lo } = sineConstants(spec.w0);
  const fin = (j: number) => widths[j]!;
  const fout = (j: number) => widths[j + 1]!;
  const wOffset: number[] = [];
  const bOffset: number[] = [];
  for (let j = 0, at = 0; j <= L; j++) {
    wOffset.push(at);
    bOffset.push(at + fin(j) * fout(j));
    at += fout(j) * (fin(j) + 1);
  }
  /** The input of layer j, and where its pre-activation gradient D_j lives. */
  const input = (j: number) => (j === 0 ? 'a0' : `h${j}`);
  const delta = (j: number) => (j === L ? 'e' : `c${j + 1}`);
  const n = (value: number) => `${value}u`;

  const declarations = [
    `var<workgroup> a0: array<f32, ${TILE * fin(0)}>;`,
    ...spec.hidden.flatMap((w, i) => [`var<workgroup> h${i + 1}: array<f32, ${TILE * w}>;`, `var<workgroup> c${i + 1}: array<f32, ${TILE * w}>;`]),
    `var<workgroup> e: array<f32, ${TILE * fout(L)}>;`,
    `var<workgroup> lossParts: array<f32, ${WORKGROUP}>;`,
    'var<workgroup> sharedMse: f32;',
    'var<workgroup> sharedState: vec2u;',
  ];

  const hiddenForward = spec.hidden.map((w, i) => {
    const j = i;
    return `
    for (var k = lid; k < ${n(TILE * w)}; k += WG) {
      let p = k / ${n(w)};
      let o = k % ${n(w)};
      var u = params[base + ${n(bOffset[j]!)} + o];
      for (var i = 0u; i < ${n(fin(j))}; i++) { u = fma(params[base + ${n(wOffset[j]!)} + o * ${n(fin(j))} + i], ${input(j)}[p * ${n(fin(j))} + i], u); }
      let sc = sinCos(u);
      h${j + 1}[k] = sc.x;
      c${j + 1}[k] = sc.y;
    }
    workgroupBarrier();`;
  });

  const output = `
    for (var k = lid; k < ${n(TILE * fout(L))}; k += WG) {
      let p = k / ${n(fout(L))};
      let o = k % ${n(fout(L))};
      var y = params[base + ${n(bOffset[L]!)} + o];
      for (var i = 0u; i < ${n(fin(L))}; i++) { y = fma(params[base + ${n(wOffset[L]!)} + o * ${n(fin(L))} + i], ${input(L)}[p * ${n(fin(L))} + i], y); }
      y = y + ${f32(spec.outputOffset)};
      let pixel = p0 + p;
      var d = 0.0f;
      if (pixel < ${n(pixels)}) {
        let diff = y - targets[targetBase + pixel * ${n(fout(L))} + o];
        loss = fma(diff, diff, loss);
        d = diff * ${f32(2 / (pixels * fout(L)))};
      }
      e[k] = d;
    }
    workgroupBarrier();`;

  // D_{j−1} = (W_jᵀ D_j) ⊙ C_j, written over C_j, for j = L … 1.
  const backward = Array.from({ length: L }, (_, i) => L - i).map(
    (j) => `
    for (var k = lid; k < ${n(TILE * fin(j))}; k += WG) {
      let p = k / ${n(fin(j))};
      let i = k % ${n(fin(j))};
      var s = 0.0f;
      for (var o = 0u; o < ${n(fout(j))}; o++) { s = fma(params[base + ${n(wOffset[j]!)} + o * ${n(fin(j))} + i], ${delta(j)}[p * ${n(fout(j))} + o], s); }
      c${j}[k] = s * c${j}[k];
    }
    workgroupBarrier();`,
  );

  // The gradient of parameter q over this tile's pixels.
  const gradientCases = Array.from({ length: L + 1 }, (_, j) => {
    const w = `if (q < ${n(bOffset[j]!)}) {
        let o = (q - ${n(wOffset[j]!)}) / ${n(fin(j))};
        let i = (q - ${n(wOffset[j]!)}) % ${n(fin(j))};
        for (var p = 0u; p < TILE; p++) { s = fma(${delta(j)}[p * ${n(fout(j))} + o], ${input(j)}[p * ${n(fin(j))} + i], s); }
      }`;
    const b = `if (q < ${n(bOffset[j]! + fout(j))}) {
        let o = q - ${n(bOffset[j]!)};
        for (var p = 0u; p < TILE; p++) { s = s + ${delta(j)}[p * ${n(fout(j))} + o]; }
      }`;
    return `${w} else ${b}`;
  }).join(' else ');

  return `// SIREN fitting kernel: widths [${widths.join(', ')}], ${pixels} pixels (generated by sirenFitShader.ts)
struct Config {
  stepCap: u32,
  steps: u32,
  stopMse: f32,
  beta1: f32,
  beta2: f32,
  eps: f32,
  oneMinusBeta1: f32,
  oneMinusBeta2: f32,
}

const WG = ${n(WORKGROUP)};
const TILE = ${n(TILE)};
const P = ${n(P)};
const K = ${K};

@group(0) @binding(0) var<uniform> cfg: Config;
@group(0) @binding(1) var<storage, read> coords: array<f32>;
@group(0) @binding(2) var<storage, read> targets: array<f32>;
@group(0) @binding(3) var<storage, read_write> params: array<f32>;
@group(0) @binding(4) var<storage, read_write> moments: array<f32>;
@group(0) @binding(5) var<storage, read_write> state: array<u32>;
// Per update t: [lr / (1 − β1ᵗ), √(1 − β2ᵗ)].
@group(0) @binding(6) var<storage, read> schedule: array<f32>;

${declarations.join('\n')}

/** (sin(w0·u), w0·cos(w0·u)). */
fn sinCos(u: f32) -> vec2f {
  let q = round(u * ${f32(scale)});
  let r = fma(q, ${f32(-lo)}, fma(q, ${f32(-hi)}, u)) * ${f32(spec.w0)};
  let r2 = r * r;
  let sinR = fma(r * r2, fma(fma(fma(${f32(S[3]!)}, r2, ${f32(S[2]!)}), r2, ${f32(S[1]!)}), r2, ${f32(S[0]!)}), r);
  let cosR = fma(fma(fma(fma(${f32(spec.w0 * C[3]!)}, r2, ${f32(spec.w0 * C[2]!)}), r2, ${f32(spec.w0 * C[1]!)}), r2, ${f32(spec.w0 * C[0]!)}), r2, ${f32(spec.w0)});
  let sign = select(1.0f, -1.0f, (i32(q) & 1) != 0);
  return vec2f(sinR, cosR) * sign;
}

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(workgroup_id) group: vec3u, @builtin(local_invocation_index) lid: u32) {
  let net = group.x;
  let base = net * P;
  let targetBase = net * ${n(pixels * fout(L))};
  if (lid == 0u) { sharedState = vec2u(state[net * 4u], state[net * 4u + 1u]); }
  let begin = workgroupUniformLoad(&sharedState);
  var t = begin.x;
  var finished = begin.y != 0u;
  var m: array<f32, K>;
  var v: array<f32, K>;
  var g: array<f32, K>;
  for (var r = 0u; r < ${n(K)}; r++) {
    let q = lid + r * WG;
    if (q < P) {
      m[r] = moments[2u * base + q];
      v[r] = moments[2u * base + P + q];
    }
  }
  for (var step = 0u; step < cfg.steps; step++) {
    if (finished) { break; }
    for (var r = 0u; r < ${n(K)}; r++) { g[r] = 0.0f; }
    var loss = 0.0f;
    for (var tile = 0u; tile < ${n(tiles)}; tile++) {
      let p0 = tile * TILE;
      for (var k = lid; k < ${n(TILE * fin(0))}; k += WG) {
        let pixel = p0 + k / ${n(fin(0))};
        a0[k] = select(0.0f, coords[min(pixel, ${n(pixels - 1)}) * ${n(fin(0))} + k % ${n(fin(0))}], pixel < ${n(pixels)});
      }
      workgroupBarrier();
${hiddenForward.join('\n')}
${output}
${backward.join('\n')}
      for (var r = 0u; r < ${n(K)}; r++) {
        let q = lid + r * WG;
        var s = 0.0f;
        ${gradientCases}
        g[r] = g[r] + s;
      }
      workgroupBarrier();
    }
    lossParts[lid] = loss;
    workgroupBarrier();
    for (var stride = WG / 2u; stride > 0u; stride = stride / 2u) {
      if (lid < stride) { lossParts[lid] = lossParts[lid] + lossParts[lid + stride]; }
      workgroupBarrier();
    }
    if (lid == 0u) { sharedMse = lossParts[0] / ${f32(pixels * fout(L))}; }
    let mse = workgroupUniformLoad(&sharedMse);
    if (mse <= cfg.stopMse || t >= cfg.stepCap) {
      finished = true;
      if (lid == 0u) { state[net * 4u + 2u] = bitcast<u32>(mse); }
      break;
    }
    t = t + 1u;
    let stepSize = schedule[2u * t];
    let correction = schedule[2u * t + 1u];
    for (var r = 0u; r < ${n(K)}; r++) {
      let q = lid + r * WG;
      if (q < P) {
        let gr = g[r];
        m[r] = fma(cfg.oneMinusBeta1, gr, cfg.beta1 * m[r]);
        v[r] = fma(cfg.oneMinusBeta2, gr * gr, cfg.beta2 * v[r]);
        let denom = sqrt(v[r]) / correction + cfg.eps;
        params[base + q] = params[base + q] - stepSize * (m[r] / denom);
      }
    }
    storageBarrier();
  }
  for (var r = 0u; r < ${n(K)}; r++) {
    let q = lid + r * WG;
    if (q < P) {
      moments[2u * base + q] = m[r];
      moments[2u * base + P + q] = v[r];
    }
  }
  if (lid == 0u) {
    state[net * 4u] = t;
    state[net * 4u + 1u] = select(0u, 1u, finished);
  }
}
`;
}
