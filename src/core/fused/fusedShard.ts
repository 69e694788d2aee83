/**
 * One thread's part of fused training (the engine's own thread, or a worker): its program, its rows of
 * each batch, and AdamW. Sharded, the gradient and the loss sums of a step go through the team's reduction,
 * so every thread applies the same AdamW step to the same summed gradient and all copies of the parameters
 * stay bit-identical (no parameter broadcast).
 */
import type { KernelModule } from '../inr/wasmKernel';
import type { AdamWSettings } from '../train/adamw';
import { warmupLearningRate } from '../train/warmup';
import { EquivariantProgram, type ProgramInit } from './equivariantProgram';
import { softCrossEntropyGrad } from './softCrossEntropy';
import { ThreadTeam, type TeamBuffers } from './threadTeam';

/** Rows [start, end) of a `count`-row batch that thread `index` of `threads` takes (contiguous, sizes differ by ≤ 1). */
export function shardRange(count: number, threads: number, index: number): [number, number] {
  const base = Math.floor(count / threads);
  const extra = count % threads;
  const start = index * base + Math.min(index, extra);
  return [start, start + base + (index < extra ? 1 : 0)];
}

export interface ShardInit {
  readonly program: ProgramInit;
  readonly settings: AdamWSettings;
  /** Absent on a single thread. */
  readonly team?: TeamBuffers;
  readonly index: number;
}

export interface ShardResult {
  readonly lossSum: number;
  readonly correct: number;
}

export class FusedShard {
  readonly program: EquivariantProgram;
  private readonly team: ThreadTeam | null;
  private readonly threads: number;
  /** The gradient plus the loss sum and correct count, reduced together at the end of a step. */
  private readonly exchange: Float32Array;
  private readonly settings: AdamWSettings;
  step = 0;

  constructor(init: ShardInit, module?: KernelModule) {
    this.team = init.team ? new ThreadTeam(init.team, init.index) : null;
    this.threads = init.team?.threads ?? 1;
    const team = this.team;
    this.program = new EquivariantProgram(init.program, team ? (v) => team.reduce(v) : undefined, module);
    this.exchange = new Float32Array(this.program.theta.length + 2);
    this.settings = init.settings;
  }

  get index(): number {
    return this.team?.index ?? 0;
  }

  learningRate(t = this.step + 1): number {
    return warmupLearningRate(this.settings, t);
  }

  /** This thread's rows [start, end) of a `count`-row batch. */
  rowsOf(count: number): [number, number] {
    return shardRange(count, this.threads, this.index);
  }

  /** One optimizer step: this thread's rows of x [count, P] and targets [count, classes]; sums over the whole batch. */
  trainStep(x: Float32Array, targets: Float32Array, count: number): ShardResult {
    const P = x.length / count;
    const C = this.program.classes;
    const [start, end] = this.rowsOf(count);
    return this.trainRows(x.subarray(start * P, end * P), targets.subarray(start * C, end * C), count);
  }

  /** One optimizer step given only this thread's rows (x [rows, P], targets [rows, classes]) of a `count`-row batch. */
  trainRows(x: Float32Array, targets: Float32Array, count: number): ShardResult {
    const p = this.program;
    const C = p.classes;
    const rows = targets.length / C;
    p.setInput(x, rows);
    const logits = p.forward(rows, true, count);
    let { lossSum, correct } = softCrossEntropyGrad(logits, targets, rows, C, p.dLogits(rows), count);
    p.backward(rows, count);
    if (this.team) {
      const e = this.exchange;
      e.set(p.f32(p.grad));
      e[e.length - 2] = lossSum;
      e[e.length - 1] = correct;
      this.team.reduce(e);
      p.f32(p.grad).set(e.subarray(0, e.length - 2));
      lossSum = e[e.length - 2]!;
      correct = e[e.length - 1]!;
    }
    this.applyAdamW();
    return { lossSum, correct };
  }

  private applyAdamW(): void {
    const { weightDecay, beta1, beta2, eps } = this.settings;
    this.step += 1;
    const p = this.program;
    p.k.adamw(
      p.theta.ptr,
      p.grad.ptr,
      p.m.ptr,
      p.v.ptr,
      p.theta.length,
      this.learningRate(this.step),
      weightDecay,
      beta1,
      beta2,
      eps,
      1 - beta1 ** this.step,
      1 - beta2 ** this.step,
    );
  }

  /** Loss sum and correct count over this thread's rows of a split (eval mode), summed over the team. */
  evaluate(data: Float32Array, labels: Int32Array): ShardResult {
    const p = this.program;
    const count = labels.length;
    const P = data.length / count;
    const C = p.classes;
    const [start, end] = shardRange(count, this.threads, this.index);
    let lossSum = 0;
    let correct = 0;
    for (let from = start; from < end; from += p.maxBatch) {
      const n = Math.min(p.maxBatch, end - from);
      p.setInput(data.subarray(from * P, (from + n) * P), n);
      const targets = new Float32Array(n * C);
      for (let i = 0; i < n; i++) targets[i * C + labels[from + i]!] = 1;
      const score = softCrossEntropyGrad(p.forward(n, false), targets, n, C);
      lossSum += score.lossSum;
      correct += score.correct;
    }
    if (!this.team) return { lossSum, correct };
    const sums = Float32Array.of(lossSum, correct);
    this.team.reduce(sums);
    return { lossSum: sums[0]!, correct: sums[1]! };
  }

  /** Tells the team this thread failed, so no thread waits for it. */
  abort(): void {
    this.team?.abort();
  }
}
