/**
 * The dwsnet / nfn-np model of equivariantModel.ts as a fixed sequence of fused WebAssembly kernels
 * (trainKernel.ts): forward, and backward to the gradient of every parameter, over arrays laid out once for
 * a largest batch. The same maths as the tfjs model, block for block, on the same parameters (one flat
 * vector in ParamStore order, so checkpoints are interchangeable):
 *   equivariant layer  each block: the input tensors mean-pooled to its kept axes, times its weight rows,
 *                      summed over sources; the partial blocks broadcast over the target's other axes, + bias
 *   normalisation      BatchNorm (batch statistics and running averages in training; running statistics in
 *                      eval) or none, then ReLU — as one scale-shift-ReLU pass
 *   readout            mean / max / mean+max over each tensor's neuron axes, then the MLP head
 * Laws as in equivariantModel.ts: every block commutes with hidden-neuron permutations, the readout forgets
 * them. Supported: norm batch or none, set layer ds (no attention): fusedUnsupportedReason says why not.
 *
 * Sharded (fusedEngine.ts): each thread runs the program on its rows of the batch; the BatchNorm statistics
 * of a stage and its γ/β sums go through `reduce`, which turns each thread's partial sums into the sums over
 * the whole batch (in a fixed order), so every thread normalises with the statistics of the whole batch.
 */
import type { ModelConfig } from '../models/modelConfig';
import { networkLayout, withChannels, type NetworkLayout, type TensorLayout } from '../models/neuronLayout';
import { WeightSet } from '../weights/weightSet';
import type { KernelModule } from '../inr/wasmKernel';
import { Arena, type Slot, type TrainKernelExports } from './trainKernel';

const EPS = 1e-5;
const MOMENTUM = 0.1;

/** Why the fused program cannot run this model, or null when it can. */
export function fusedUnsupportedReason(config: ModelConfig): string | null {
  if (config.kind !== 'dwsnet' && config.kind !== 'nfn-np') return `model kind ${config.kind} has no fused kernels (dwsnet and nfn-np have)`;
  if (config.norm === 'layer') return 'norm "layer" has no fused kernel (batch and none have)';
  if (config.setLayer !== 'ds') return `setLayer "${config.setLayer}" has no fused kernel`;
  return null;
}

/** [outer, n, inner] of a tensor [batch, …sizes, C] summed over the axes not kept (null: all kept). */
function reduction(sizes: readonly number[], kept: readonly boolean[], channels: number, batch: number): { outer: number; n: number; inner: number } | null {
  if (kept.every(Boolean)) return null;
  if (sizes.length === 1) return { outer: batch, n: sizes[0]!, inner: channels };
  if (kept[0]) return { outer: batch * sizes[0]!, n: sizes[1]!, inner: channels };
  if (kept[1]) return { outer: batch, n: sizes[0]!, inner: sizes[1]! * channels };
  return { outer: batch, n: sizes[0]! * sizes[1]!, inner: channels };
}

interface Tensor {
  readonly layout: TensorLayout;
  /** Sizes of its neuron axes. */
  readonly sizes: readonly number[];
  /** Entries per sample (product of sizes). */
  readonly rows: number;
  readonly channels: number;
}

function tensorOf(network: NetworkLayout, layout: TensorLayout): Tensor {
  const sizes = layout.axes.map((k) => network.widths[k]!);
  return { layout, sizes, rows: sizes.reduce((a, b) => a * b, 1), channels: layout.channels };
}

/** An input tensor mean-pooled to some of its axes (shared by every block that reads it). */
interface Pooled {
  readonly source: number;
  readonly kept: readonly boolean[];
  readonly value: Slot;
  readonly grad: Slot;
  /** Written by the previous stage's ReLU pass (scaleShiftReluPool), not pooled here. */
  precomputed: boolean;
}

interface Part {
  readonly source: number;
  /** null: the input tensor itself (every axis kept). */
  readonly pooled: Pooled | null;
  readonly channels: number;
  /** Offset (floats) of its weight rows in the parameter vector. */
  readonly weight: number;
  /** Its weight rows transposed [C_out, channels], refreshed before each backward pass. */
  readonly transposed: Slot;
}

interface Block {
  /** Per axis of the target: kept by this block. */
  readonly kept: readonly boolean[];
  readonly parts: readonly Part[];
  /** Rows per sample of its term. */
  readonly rows: number;
  /** Its term and the term's gradient (the full block writes the target's pre-activation directly). */
  readonly term: Slot;
  readonly dTerm: Slot;
}

interface Norm {
  readonly kind: 'batch' | 'none';
  readonly gamma: number;
  readonly beta: number;
  readonly name: string;
  readonly runningMean: Float32Array;
  readonly runningVar: Float32Array;
  /** Per channel: batch mean and 1/√(var + ε) of the last training forward; scale and shift of the pass. */
  readonly mean: Slot;
  readonly invStd: Slot;
  readonly scale: Slot;
  readonly shift: Slot;
  /** Backward: Σ g, Σ g·x, and dx = a·g + k·x + d. */
  readonly sumG: Slot;
  readonly sumGX: Slot;
  readonly a: Slot;
  readonly k: Slot;
  readonly d: Slot;
}

interface Target {
  readonly tensor: Tensor;
  readonly full: Block;
  /** By kept mask: 'tf' keeps the first axis (rows), 'ft' the second, 'f'/'ff' none. */
  readonly partial: ReadonlyMap<string, Block>;
  readonly bias: number;
  readonly norm: Norm;
  readonly pre: Slot;
  readonly post: Slot;
  readonly dPre: Slot;
  readonly dPost: Slot;
  /** A weight tensor the next stage pools to row and column means: written in the same pass as post. */
  next?: { readonly rows: Pooled; readonly cols: Pooled };
}

interface Stage {
  readonly inputs: readonly Tensor[];
  /** The input poolings the blocks read; the overall means of two-axis inputs last (made from their row means). */
  readonly pooled: readonly Pooled[];
  readonly targets: readonly Target[];
}

interface ReadoutPart {
  readonly target: number;
  readonly how: 'mean' | 'max' | 'self';
  readonly value: Slot;
  readonly grad: Slot;
  readonly weight: number;
  readonly transposed: Slot;
  readonly channels: number;
}

const maskKey = (kept: readonly boolean[]) => kept.map((k) => (k ? 't' : 'f')).join('');

/** What a program is built from (plain data, so a worker thread can build its own copy). */
export interface ProgramInit {
  readonly config: ModelConfig;
  readonly widths: readonly number[];
  readonly classes: number;
  /** Trainable parameter names in ParamStore order. */
  readonly names: readonly string[];
  /** Every parameter and buffer (running statistics), by name. */
  readonly tensors: readonly { readonly name: string; readonly shape: readonly number[]; readonly data: Float32Array }[];
  /** Per input tensor: the index in a flattened network of each feature entry (neuronTensors.toFeatures' order). */
  readonly gather: readonly Int32Array[];
  /** The largest number of rows a pass runs. */
  readonly maxBatch: number;
}

/** Replaces a vector of per-thread partial sums by the sums over every thread (identity on one thread). */
export type Reduce = (partial: Float32Array) => void;

export class EquivariantProgram {
  readonly arena: Arena;
  readonly k: TrainKernelExports;
  /** Parameter names in ParamStore order, their offsets and sizes in the flat vector. */
  readonly names: readonly string[];
  readonly offsets: ReadonlyMap<string, number>;
  readonly shapes: ReadonlyMap<string, readonly number[]>;
  /** Parameters, their gradients, and AdamW's moments: one flat vector each (length a multiple of 4). */
  readonly theta: Slot;
  readonly grad: Slot;
  readonly m: Slot;
  readonly v: Slot;
  private readonly gather: Int32Array[];
  private readonly input: Slot[];
  private readonly inputTensors: Tensor[];
  private readonly stages: Stage[] = [];
  private readonly readout: ReadoutPart[] = [];
  private readonly head: {
    h: Slot;
    hRelu: Slot;
    dhRelu: Slot;
    dh: Slot;
    logits: Slot;
    dLogits: Slot;
    w0: number;
    b0: number;
    w1: number;
    b1: number;
    w1t: Slot;
    hidden: number;
  };
  private readonly ones: Slot;
  private readonly zeros: Slot;
  /** Slots zeroed before each backward pass. */
  private readonly gradSlots: Slot[] = [];
  private mem!: Float32Array;

  readonly config: ModelConfig;
  readonly widths: readonly number[];
  readonly classes: number;
  readonly maxBatch: number;

  constructor(
    init: ProgramInit,
    private readonly reduce: Reduce = () => undefined,
    /** The compiled kernel (a worker thread gets the one its parent compiled). */
    module?: KernelModule,
  ) {
    this.arena = new Arena(module);
    const { config, widths, classes } = init;
    this.config = config;
    this.widths = widths;
    this.classes = classes;
    this.maxBatch = init.maxBatch;
    const reason = fusedUnsupportedReason(config);
    if (reason) throw new Error(reason);
    this.k = this.arena.kernel;
    const a = this.arena;
    const B = init.maxBatch;
    const set = WeightSet.fromArrays(init.tensors.map((t) => ({ name: t.name, shape: [...t.shape], data: t.data })));
    this.names = init.names;
    const offsets = new Map<string, number>();
    const shapes = new Map<string, readonly number[]>();
    let size = 0;
    for (const name of this.names) {
      const t = set.get(name);
      offsets.set(name, size);
      shapes.set(name, t.shape);
      size += t.data.length;
    }
    this.offsets = offsets;
    this.shapes = shapes;
    const padded = (size + 3) & ~3;
    this.theta = a.alloc(padded);
    this.grad = a.alloc(padded);
    this.m = a.alloc(padded);
    this.v = a.alloc(padded);
    this.gradSlots.push(this.grad);
    const offset = (name: string) => {
      const o = offsets.get(name);
      if (o === undefined) throw new Error(`fused ${config.kind}: no parameter ${name}`);
      return o;
    };

    const L = widths.length - 1;
    const fixed = new Set(config.kind === 'dwsnet' ? [0, L] : []);
    const inputLayout = networkLayout(widths, fixed, 1);
    this.inputTensors = inputLayout.tensors.map((t) => tensorOf(inputLayout, t));
    this.input = this.inputTensors.map((t) => a.alloc(B * t.rows * t.channels));
    this.gather = [...init.gather];
    const maxChannels = Math.max(config.hidden * widths[0]! * widths[L]!, config.headHidden, classes) + 4;
    this.ones = a.alloc(maxChannels);
    this.zeros = a.alloc(maxChannels);

    let layout = inputLayout;
    let inputs = this.inputTensors;
    for (let s = 0; s < config.layers; s++) {
      const next = withChannels(layout, config.hidden);
      const outputs = next.tensors.map((t) => tensorOf(next, t));
      const pooled: Pooled[] = [];
      const poolOf = (source: number, kept: readonly boolean[]): Pooled | null => {
        if (kept.every(Boolean)) return null;
        const found = pooled.find((p) => p.source === source && maskKey(p.kept) === maskKey(kept));
        if (found) return found;
        const u = inputs[source]!;
        const r = reduction(u.sizes, kept, u.channels, B)!;
        const p = { source, kept, value: a.alloc(r.outer * r.inner), grad: a.alloc(r.outer * r.inner), precomputed: false };
        this.gradSlots.push(p.grad);
        pooled.push(p);
        return p;
      };
      const targets = outputs.map((t): Target => {
        const C = t.channels;
        const blocks = new Map<string, Block>();
        for (let mask = (1 << t.layout.axes.length) - 1; mask >= 0; mask--) {
          const keep = t.layout.axes.filter((_, i) => mask & (1 << i));
          const kept = t.layout.axes.map((_, i) => (mask & (1 << i)) !== 0);
          const sources = inputs.flatMap((u, i) => (keep.every((k) => u.layout.axes.includes(k)) ? [i] : []));
          if (sources.length === 0) throw new Error(`fused ${config.kind}: block ${t.layout.name} keep [${keep}] has no sources`);
          const weightName = `eq${s}.${t.layout.name}.keep${keep.join('_') || 'none'}`;
          let row = offset(weightName);
          const parts = sources.map((i): Part => {
            const u = inputs[i]!;
            const part = {
              source: i,
              pooled: poolOf(
                i,
                u.layout.axes.map((k) => keep.includes(k)),
              ),
              channels: u.channels,
              weight: row,
              transposed: a.alloc(C * u.channels),
            };
            row += u.channels * C;
            return part;
          });
          const rows = keep.reduce((n, k) => n * widths[k]!, 1);
          const isFull = keep.length === t.layout.axes.length;
          const block = {
            kept,
            parts,
            rows,
            term: isFull ? { ptr: 0, length: 0 } : a.alloc(B * rows * C),
            dTerm: isFull ? { ptr: 0, length: 0 } : a.alloc(B * rows * C),
          };
          blocks.set(maskKey(kept), block);
        }
        const fullKey = maskKey(t.layout.axes.map(() => true));
        const full = blocks.get(fullKey)!;
        blocks.delete(fullKey);
        const n = B * t.rows * C;
        const normName = `eq${s}.${t.layout.name}.norm`;
        const norm: Norm = {
          kind: config.norm === 'batch' ? 'batch' : 'none',
          gamma: config.norm === 'batch' ? offset(`${normName}.weight`) : -1,
          beta: config.norm === 'batch' ? offset(`${normName}.bias`) : -1,
          name: normName,
          runningMean: config.norm === 'batch' ? set.get(`${normName}.runningMean`).data.slice() : new Float32Array(0),
          runningVar: config.norm === 'batch' ? set.get(`${normName}.runningVar`).data.slice() : new Float32Array(0),
          mean: a.alloc(C),
          invStd: a.alloc(C),
          scale: a.alloc(C),
          shift: a.alloc(C),
          sumG: a.alloc(C),
          sumGX: a.alloc(C),
          a: a.alloc(C),
          k: a.alloc(C),
          d: a.alloc(C),
        };
        const target = {
          tensor: t,
          full,
          partial: blocks,
          bias: offset(`eq${s}.${t.layout.name}.bias`),
          norm,
          pre: a.alloc(n),
          post: a.alloc(n),
          dPre: a.alloc(n),
          dPost: a.alloc(n),
        };
        this.gradSlots.push(target.dPost);
        return target;
      });
      // Every two-axis input gets all three poolings (the backward spreads their gradients together), its row
      // means before its overall mean (computed from them).
      inputs.forEach((u, i) => {
        if (u.sizes.length === 2)
          for (const kept of [
            [true, false],
            [false, true],
            [false, false],
          ])
            poolOf(i, kept);
      });
      pooled.sort((p, q) => (maskKey(p.kept) === 'ff' ? 1 : 0) - (maskKey(q.kept) === 'ff' ? 1 : 0));
      // The previous stage's ReLU pass writes this stage's row and column means of its weight tensors.
      this.stages[s - 1]?.targets.forEach((t, i) => {
        if (t.tensor.sizes.length !== 2) return;
        const rows = pooled.find((p) => p.source === i && maskKey(p.kept) === 'tf')!;
        const cols = pooled.find((p) => p.source === i && maskKey(p.kept) === 'ft')!;
        rows.precomputed = cols.precomputed = true;
        t.next = { rows, cols };
      });
      this.stages.push({ inputs, pooled, targets });
      layout = next;
      inputs = outputs;
    }

    const last = this.stages[this.stages.length - 1]!.targets;
    let row = offset('head.0.weight');
    const H = config.headHidden;
    last.forEach((t, i) => {
      const C = t.tensor.channels;
      const hows: ('mean' | 'max' | 'self')[] =
        t.tensor.rows === 1 && t.tensor.sizes.length === 0 ? ['self'] : config.pool === 'mean+max' ? ['mean', 'max'] : [config.pool];
      for (const how of hows) {
        const part = { target: i, how, value: a.alloc(B * C), grad: a.alloc(B * C), weight: row, transposed: a.alloc(H * C), channels: C };
        row += C * H;
        this.readout.push(part);
      }
    });
    this.head = {
      h: a.alloc(B * H),
      hRelu: a.alloc(B * H),
      dhRelu: a.alloc(B * H),
      dh: a.alloc(B * H),
      logits: a.alloc(B * classes),
      dLogits: a.alloc(B * classes),
      w0: offset('head.0.weight'),
      b0: offset('head.0.bias'),
      w1: offset('head.1.weight'),
      b1: offset('head.1.bias'),
      w1t: a.alloc(classes * H),
      hidden: H,
    };
    this.refreshViews();
    this.f32(this.ones).fill(1);
    for (const stage of this.stages) {
      for (const t of stage.targets) {
        if (t.norm.kind === 'none') {
          this.f32(t.norm.scale).fill(1);
          this.f32(t.norm.a).fill(1);
        }
      }
    }
    this.loadParameters(set);
  }

  private refreshViews(): void {
    this.mem = new Float32Array(this.k.memory.buffer);
  }

  f32(slot: Slot, length = slot.length): Float32Array {
    return this.mem.subarray(slot.ptr >> 2, (slot.ptr >> 2) + length);
  }

  /** Copies parameters and running statistics from `set` (names and shapes as at construction). */
  loadParameters(set: WeightSet): void {
    const theta = this.f32(this.theta);
    for (const name of this.names) theta.set(set.get(name).data, this.offsets.get(name)!);
    for (const stage of this.stages) {
      for (const t of stage.targets) {
        if (t.norm.kind !== 'batch') continue;
        t.norm.runningMean.set(set.get(`${t.norm.name}.runningMean`).data);
        t.norm.runningVar.set(set.get(`${t.norm.name}.runningVar`).data);
      }
    }
  }

  /** Parameters and running statistics as a WeightSet under the ParamStore's names. */
  weightSet(): WeightSet {
    const theta = this.f32(this.theta);
    const tensors = this.names.map((name) => {
      const shape = [...this.shapes.get(name)!];
      const o = this.offsets.get(name)!;
      return { name, shape, data: theta.slice(o, o + shape.reduce((a, b) => a * b, 1)) };
    });
    for (const stage of this.stages) {
      for (const t of stage.targets) {
        if (t.norm.kind !== 'batch') continue;
        const C = t.tensor.channels;
        tensors.push({ name: `${t.norm.name}.runningMean`, shape: [C], data: t.norm.runningMean.slice() });
        tensors.push({ name: `${t.norm.name}.runningVar`, shape: [C], data: t.norm.runningVar.slice() });
      }
    }
    return WeightSet.fromArrays(tensors);
  }

  /** Writes `count` flattened networks ([count, P]) into the input feature tensors. */
  setInput(x: Float32Array, count: number): void {
    if (count > this.maxBatch) throw new Error(`batch of ${count} exceeds the program's ${this.maxBatch}`);
    if (count === 0) return;
    const P = x.length / count;
    this.gather.forEach((indices, t) => {
      const dst = this.f32(this.input[t]!);
      const per = indices.length;
      for (let n = 0; n < count; n++) {
        const base = n * P;
        const out = n * per;
        for (let e = 0; e < per; e++) dst[out + e] = x[base + indices[e]!]!;
      }
    });
  }

  private at(offset: number): number {
    return this.theta.ptr + 4 * offset;
  }

  private gradAt(offset: number): number {
    return this.grad.ptr + 4 * offset;
  }

  /**
   * Logits [count, classes] (a view, valid until the next pass) of the batch written by setInput; `total`:
   * the rows of the whole batch when this is one thread's shard of it.
   */
  forward(count: number, training: boolean, total = count): Float32Array {
    const k = this.k;
    const b = count;
    this.stages.forEach((stage, s) => {
      const inputs = s === 0 ? this.input : this.stages[s - 1]!.targets.map((t) => t.post);
      for (const p of stage.pooled) {
        if (p.precomputed) continue;
        const u = stage.inputs[p.source]!;
        const rows = stage.pooled.find((q) => q.source === p.source && maskKey(q.kept) === 'tf');
        if (maskKey(p.kept) === 'ff' && rows) {
          // The mean over both axes is the mean over rows of the row means (computed first: see Stage.pooled).
          k.sumPool(rows.value.ptr, p.value.ptr, b, u.sizes[0]!, u.channels, 1 / u.sizes[0]!, false);
          continue;
        }
        const r = reduction(u.sizes, p.kept, u.channels, b)!;
        k.sumPool(inputs[p.source]!.ptr, p.value.ptr, r.outer, r.n, r.inner, 1 / r.n, false);
      }
      for (const t of stage.targets) {
        const C = t.tensor.channels;
        const term = (block: Block, dst: Slot) =>
          block.parts.forEach((part, j) =>
            k.matmul((part.pooled?.value ?? inputs[part.source]!).ptr, this.at(part.weight), dst.ptr, b * block.rows, part.channels, C, j > 0),
          );
        term(t.full, t.pre);
        for (const block of t.partial.values()) term(block, block.term);
        this.addPartialTerms(t, b, training);
      }
      if (training && this.config.norm === 'batch') this.batchStatistics(stage, b, total);
      for (const t of stage.targets) this.normForward(t, b, training);
    });
    return this.headForward(b);
  }

  /**
   * pre += the partial blocks broadcast over the axes they pooled away, + bias; for a weight tensor in a
   * BatchNorm training pass, its channel sums go into norm.mean in the same pass (batchStatistics goes on).
   */
  private addPartialTerms(t: Target, b: number, training: boolean): void {
    const k = this.k;
    const C = t.tensor.channels;
    const sizes = t.tensor.sizes;
    if (sizes.length === 0) {
      k.broadcastAdd(t.pre.ptr, this.at(t.bias), 1, b, C, 1);
      return;
    }
    const global = t.partial.get(sizes.length === 1 ? 'f' : 'ff')!;
    k.broadcastAdd(global.term.ptr, this.at(t.bias), 1, b, C, 1);
    if (sizes.length === 1) {
      k.broadcastAdd(t.pre.ptr, global.term.ptr, b, sizes[0]!, C, 1);
      return;
    }
    const rowTerm = t.partial.get('tf')!;
    const colTerm = t.partial.get('ft')!;
    k.broadcastAdd(rowTerm.term.ptr, global.term.ptr, b, sizes[0]!, C, 1);
    const sums = training && t.norm.kind === 'batch' ? t.norm.mean : null;
    if (sums) this.f32(sums).fill(0);
    k.addRowsCols(t.pre.ptr, rowTerm.term.ptr, colTerm.term.ptr, b, sizes[0]!, sizes[1]!, C, 1, 1, sums?.ptr ?? 0);
  }

  /**
   * BatchNorm's batch statistics for every target of a stage, over the whole batch (`total` rows; this
   * thread holds `b`): channel sums → mean, then sums of squares about that mean → variance; the scale and
   * shift of the pass; the running statistics move towards them.
   */
  private batchStatistics(stage: Stage, b: number, total: number): void {
    const k = this.k;
    const sums = new Float32Array(stage.targets.reduce((n, t) => n + t.tensor.channels, 0));
    const gather = (read: (t: Target) => Float32Array) => {
      let o = 0;
      for (const t of stage.targets) {
        sums.set(read(t), o);
        o += t.tensor.channels;
      }
      this.reduce(sums);
    };
    const each = (use: (t: Target, values: Float32Array) => void) => {
      let o = 0;
      for (const t of stage.targets) {
        use(t, sums.subarray(o, o + t.tensor.channels));
        o += t.tensor.channels;
      }
    };
    for (const t of stage.targets) {
      // A weight tensor's sums came with its partial terms (addPartialTerms).
      if (t.tensor.sizes.length !== 2) k.sumPool(t.pre.ptr, t.norm.mean.ptr, 1, b * t.tensor.rows, t.tensor.channels, 1, false);
    }
    gather((t) => this.f32(t.norm.mean));
    each((t, s) => this.f32(t.norm.mean).set(s.map((v) => v / (total * t.tensor.rows))));
    for (const t of stage.targets) {
      this.f32(t.norm.sumG).fill(0);
      k.centredSquareSums(t.pre.ptr, b * t.tensor.rows, t.tensor.channels, t.norm.mean.ptr, t.norm.sumG.ptr);
    }
    gather((t) => this.f32(t.norm.sumG));
    const theta = this.f32(this.theta);
    each((t, squares) => {
      const norm = t.norm;
      const N = total * t.tensor.rows;
      const mean = this.f32(norm.mean);
      const invStd = this.f32(norm.invStd);
      const scale = this.f32(norm.scale);
      const shift = this.f32(norm.shift);
      for (let c = 0; c < t.tensor.channels; c++) {
        const variance = squares[c]! / N;
        invStd[c] = 1 / Math.sqrt(variance + EPS);
        scale[c] = theta[norm.gamma + c]! * invStd[c]!;
        shift[c] = theta[norm.beta + c]! - mean[c]! * scale[c]!;
        const unbiased = N > 1 ? (variance * N) / (N - 1) : variance;
        norm.runningMean[c] = norm.runningMean[c]! * (1 - MOMENTUM) + mean[c]! * MOMENTUM;
        norm.runningVar[c] = norm.runningVar[c]! * (1 - MOMENTUM) + unbiased * MOMENTUM;
      }
    });
  }

  /** post = ReLU(the normalisation of pre): batch statistics (training) or running statistics (eval), or none. */
  private normForward(t: Target, b: number, training: boolean): void {
    const norm = t.norm;
    if (norm.kind === 'batch' && !training) {
      const theta = this.f32(this.theta);
      const scale = this.f32(norm.scale);
      const shift = this.f32(norm.shift);
      for (let c = 0; c < t.tensor.channels; c++) {
        scale[c] = theta[norm.gamma + c]! / Math.sqrt(norm.runningVar[c]! + EPS);
        shift[c] = theta[norm.beta + c]! - norm.runningMean[c]! * scale[c]!;
      }
    }
    if (t.next) {
      const [rows, cols] = t.tensor.sizes as [number, number];
      this.k.scaleShiftReluPool(
        t.pre.ptr,
        t.post.ptr,
        b,
        rows,
        cols,
        t.tensor.channels,
        norm.scale.ptr,
        norm.shift.ptr,
        t.next.rows.value.ptr,
        t.next.cols.value.ptr,
      );
    } else {
      this.k.scaleShiftRelu(t.pre.ptr, t.post.ptr, b * t.tensor.rows, t.tensor.channels, norm.scale.ptr, norm.shift.ptr);
    }
  }

  private headForward(b: number): Float32Array {
    const k = this.k;
    const h = this.head;
    const last = this.stages[this.stages.length - 1]!.targets;
    this.readout.forEach((part, j) => {
      const t = last[part.target]!;
      const C = part.channels;
      const src = part.how === 'self' ? t.post : part.value;
      if (part.how === 'mean') k.sumPool(t.post.ptr, part.value.ptr, b, t.tensor.rows, C, 1 / t.tensor.rows, false);
      if (part.how === 'max') k.maxPool(t.post.ptr, part.value.ptr, b, t.tensor.rows, C);
      k.matmul(src.ptr, this.at(part.weight), h.h.ptr, b, C, h.hidden, j > 0);
    });
    k.broadcastAdd(h.h.ptr, this.at(h.b0), 1, b, h.hidden, 1);
    k.scaleShiftRelu(h.h.ptr, h.hRelu.ptr, b, h.hidden, this.ones.ptr, this.zeros.ptr);
    k.matmul(h.hRelu.ptr, this.at(h.w1), h.logits.ptr, b, h.hidden, this.classes, false);
    k.broadcastAdd(h.logits.ptr, this.at(h.b1), 1, b, this.classes, 1);
    return this.f32(h.logits, b * this.classes);
  }

  /** The gradient of the loss w.r.t. the logits [count, classes], written by the caller before backward(). */
  dLogits(count: number): Float32Array {
    return this.f32(this.head.dLogits, count * this.classes);
  }

  /**
   * Gradients of every parameter into `grad` (overwritten; this thread's rows' share when sharded), from
   * dLogits, after a training forward pass of `count` rows of a `total`-row batch.
   */
  backward(count: number, total = count): void {
    const k = this.k;
    const b = count;
    for (const slot of this.gradSlots) this.f32(slot).fill(0);
    this.transposeWeights();
    this.headBackward(b);
    for (let s = this.stages.length - 1; s >= 0; s--) {
      const stage = this.stages[s]!;
      const inputs = s === 0 ? this.input : this.stages[s - 1]!.targets.map((t) => t.post);
      const dInputs = s === 0 ? null : this.stages[s - 1]!.targets.map((t) => t.dPost);
      if (this.config.norm === 'batch') this.batchNormGradients(stage, b, total);
      for (const t of stage.targets) {
        const { a, k: kk, d } = t.norm;
        if (t.tensor.sizes.length === 2) {
          // With the row and column sums of dPre: the gradients of its row and column terms.
          const [rows, cols] = t.tensor.sizes as [number, number];
          k.affineReluGradRowCol(
            t.pre.ptr,
            t.post.ptr,
            t.dPost.ptr,
            t.dPre.ptr,
            b,
            rows,
            cols,
            t.tensor.channels,
            a.ptr,
            kk.ptr,
            d.ptr,
            t.partial.get('tf')!.dTerm.ptr,
            t.partial.get('ft')!.dTerm.ptr,
          );
        } else {
          k.affineReluGrad(t.pre.ptr, t.post.ptr, t.dPost.ptr, t.dPre.ptr, b * t.tensor.rows, t.tensor.channels, a.ptr, kk.ptr, d.ptr);
        }
        this.reducePartialTerms(t, b);
        const C = t.tensor.channels;
        const blocks: [Block, Slot][] = [[t.full, t.dPre], ...[...t.partial.values()].map((blk): [Block, Slot] => [blk, blk.dTerm])];
        for (const [block, dTerm] of blocks) {
          const rows = b * block.rows;
          for (const part of block.parts) {
            const value = part.pooled?.value ?? inputs[part.source]!;
            k.matmulTransA(value.ptr, dTerm.ptr, this.gradAt(part.weight), rows, part.channels, C);
            if (dInputs) k.matmul(dTerm.ptr, part.transposed.ptr, (part.pooled?.grad ?? dInputs[part.source]!).ptr, rows, C, part.channels, true);
          }
        }
      }
      if (!dInputs) continue;
      for (const p of stage.pooled) {
        const u = stage.inputs[p.source]!;
        if (u.sizes.length === 2) continue;
        const r = reduction(u.sizes, p.kept, u.channels, b)!;
        k.broadcastAdd(dInputs[p.source]!.ptr, p.grad.ptr, r.outer, r.n, r.inner, 1 / r.n);
      }
      // A weight tensor's three pooled gradients in one pass: dU += g_tf/n₂ + g_ft/n₁ + g_ff/(n₁n₂), broadcast.
      stage.inputs.forEach((u, i) => {
        if (u.sizes.length !== 2) return;
        const of = (key: string) => stage.pooled.find((q) => q.source === i && maskKey(q.kept) === key)!;
        const [n1, n2] = u.sizes as [number, number];
        const rows = of('tf');
        k.broadcastAdd(rows.grad.ptr, of('ff').grad.ptr, b, n1, u.channels, 1 / n1);
        k.addRowsCols(dInputs[i]!.ptr, rows.grad.ptr, of('ft').grad.ptr, b, n1, n2, u.channels, 1 / n2, 1 / n1, 0);
      });
    }
  }

  /** Every weight block's rows transposed, for the input gradients (dx = dy · Wᵀ). */
  private transposeWeights(): void {
    const transpose = (weight: number, rows: number, cols: number, slot: Slot) => this.k.transpose(this.at(weight), slot.ptr, rows, cols);
    for (const stage of this.stages.slice(1)) {
      for (const t of stage.targets) {
        for (const block of [t.full, ...t.partial.values()])
          for (const part of block.parts) transpose(part.weight, part.channels, t.tensor.channels, part.transposed);
      }
    }
    for (const part of this.readout) transpose(part.weight, part.channels, this.head.hidden, part.transposed);
    transpose(this.head.w1, this.head.hidden, this.classes, this.head.w1t);
  }

  private headBackward(b: number): void {
    const k = this.k;
    const h = this.head;
    const H = h.hidden;
    k.matmulTransA(h.hRelu.ptr, h.dLogits.ptr, this.gradAt(h.w1), b, H, this.classes);
    k.sumPool(h.dLogits.ptr, this.gradAt(h.b1), 1, b, this.classes, 1, true);
    k.matmul(h.dLogits.ptr, h.w1t.ptr, h.dhRelu.ptr, b, this.classes, H, false);
    k.affineReluGrad(h.h.ptr, h.hRelu.ptr, h.dhRelu.ptr, h.dh.ptr, b, H, this.ones.ptr, this.zeros.ptr, this.zeros.ptr);
    k.sumPool(h.dh.ptr, this.gradAt(h.b0), 1, b, H, 1, true);
    const last = this.stages[this.stages.length - 1]!.targets;
    for (const part of this.readout) {
      const t = last[part.target]!;
      const C = part.channels;
      k.matmulTransA((part.how === 'self' ? t.post : part.value).ptr, h.dh.ptr, this.gradAt(part.weight), b, C, H);
      k.matmul(h.dh.ptr, part.transposed.ptr, part.grad.ptr, b, H, C, false);
      if (part.how === 'max') k.maxPoolGrad(t.post.ptr, part.value.ptr, part.grad.ptr, t.dPost.ptr, b, t.tensor.rows, C);
      else k.broadcastAdd(t.dPost.ptr, part.grad.ptr, b, t.tensor.rows, C, part.how === 'mean' ? 1 / t.tensor.rows : 1);
    }
  }

  /**
   * Through ReLU and BatchNorm for every target of a stage: with g = dPost·[post > 0] and x̂ = (x − μ)·σ⁻¹
   * over the whole batch, dγ = Σ g·x̂, dβ = Σ g, and dx = γσ⁻¹ (g − mean(g) − x̂ · mean(g·x̂)) = a·g + k·x + d
   * per channel. The sums go through `reduce`; γ and β get this thread's share (the engine sums the shares).
   */
  private batchNormGradients(stage: Stage, b: number, total: number): void {
    const k = this.k;
    const width = stage.targets.reduce((n, t) => n + t.tensor.channels, 0);
    const sums = new Float32Array(2 * width);
    let o = 0;
    for (const t of stage.targets) {
      const { sumG, sumGX } = t.norm;
      this.f32(sumG).fill(0);
      this.f32(sumGX).fill(0);
      k.reluGradSums(t.pre.ptr, t.post.ptr, t.dPost.ptr, b * t.tensor.rows, t.tensor.channels, sumG.ptr, sumGX.ptr);
      sums.set(this.f32(sumG), o);
      sums.set(this.f32(sumGX), width + o);
      o += t.tensor.channels;
    }
    this.reduce(sums);
    const theta = this.f32(this.theta);
    const grad = this.f32(this.grad);
    const share = b / total;
    o = 0;
    for (const t of stage.targets) {
      const norm = t.norm;
      const N = total * t.tensor.rows;
      const mean = this.f32(norm.mean);
      const invStd = this.f32(norm.invStd);
      const av = this.f32(norm.a);
      const kv = this.f32(norm.k);
      const dv = this.f32(norm.d);
      for (let c = 0; c < t.tensor.channels; c++) {
        const sumG = sums[o + c]!;
        const sumGXhat = invStd[c]! * (sums[width + o + c]! - mean[c]! * sumG);
        grad[norm.gamma + c] += sumGXhat * share;
        grad[norm.beta + c] += sumG * share;
        const a = theta[norm.gamma + c]! * invStd[c]!;
        const meanG = sumG / N;
        const meanGXhat = sumGXhat / N;
        av[c] = a;
        kv[c] = -a * meanGXhat * invStd[c]!;
        dv[c] = -a * meanG + a * meanGXhat * invStd[c]! * mean[c]!;
      }
      o += t.tensor.channels;
    }
  }

  /**
   * Each partial block's term gradient: dPre summed over the axes it was broadcast over (a weight tensor's row
   * and column sums came with dPre, from affineReluGradRowCol); the bias's.
   */
  private reducePartialTerms(t: Target, b: number): void {
    const k = this.k;
    const C = t.tensor.channels;
    const sizes = t.tensor.sizes;
    // A bias right before a BatchNorm shifts every entry of its channel alike, which the normalisation
    // subtracts again: its gradient is exactly 0 (computed, it would be rounding noise that AdamW's step
    // normalisation blows up to ±lr), so it is left at 0.
    const bias = t.norm.kind === 'batch' ? 0 : this.gradAt(t.bias);
    if (sizes.length === 0) {
      if (bias) k.sumPool(t.dPre.ptr, bias, 1, b, C, 1, true);
      return;
    }
    const global = t.partial.get(sizes.length === 1 ? 'f' : 'ff')!;
    if (sizes.length === 1) {
      k.sumPool(t.dPre.ptr, global.dTerm.ptr, b, sizes[0]!, C, 1, false);
    } else {
      k.sumPool(t.partial.get('tf')!.dTerm.ptr, global.dTerm.ptr, b, sizes[0]!, C, 1, false);
    }
    if (bias) k.sumPool(global.dTerm.ptr, bias, 1, b, C, 1, true);
  }
}
