/**
 * The threads of one sharded fused training session, synchronised through shared memory: a barrier, and a
 * reduction that turns each thread's partial-sum vector into the sum over all threads. The sum is taken in
 * thread order (0, 1, …) by every thread alike, so all threads hold bit-identical results and a session's
 * numbers do not depend on timing (they do depend on the thread count: the order of float sums changes).
 * Exchanges alternate between two areas, so a thread that has passed a barrier may write its next partials
 * while a slower one still reads the last ones. A thread that fails raises the abort flag; the others stop
 * waiting and throw instead of hanging.
 */
export interface TeamBuffers {
  /** Int32: [arrived, generation, abort]. */
  readonly control: SharedArrayBuffer;
  /** Float32: 2 areas × threads × width. */
  readonly exchange: SharedArrayBuffer;
  readonly threads: number;
  /** The longest vector one exchange carries. */
  readonly width: number;
}

const ARRIVED = 0;
const GENERATION = 1;
const ABORT = 2;
/** Spins before sleeping in Atomics.wait: the others usually arrive within microseconds. */
const SPINS = 20_000;
/** A barrier that waits longer than this (ms) gives up: a thread died without raising the flag. */
const STALL_MS = 120_000;

export function createTeamBuffers(threads: number, width: number): TeamBuffers {
  return { control: new SharedArrayBuffer(4 * 4), exchange: new SharedArrayBuffer(4 * 2 * threads * width), threads, width };
}

export class TeamAborted extends Error {
  override readonly name = 'TeamAborted';
}

export class ThreadTeam {
  private readonly control: Int32Array;
  private readonly exchange: Float32Array;
  private exchanges = 0;

  constructor(
    private readonly buffers: TeamBuffers,
    /** This thread's index, 0 … threads − 1. */
    readonly index: number,
  ) {
    this.control = new Int32Array(buffers.control);
    this.exchange = new Float32Array(buffers.exchange);
  }

  get threads(): number {
    return this.buffers.threads;
  }

  /** Waits until every thread has arrived. */
  barrier(): void {
    const c = this.control;
    const generation = Atomics.load(c, GENERATION);
    if (Atomics.add(c, ARRIVED, 1) === this.threads - 1) {
      Atomics.store(c, ARRIVED, 0);
      Atomics.add(c, GENERATION, 1);
      Atomics.notify(c, GENERATION);
      return;
    }
    for (let i = 0; i < SPINS; i++) {
      if (Atomics.load(c, GENERATION) !== generation) return;
      if (Atomics.load(c, ABORT)) throw new TeamAborted('another training thread failed');
    }
    const start = Date.now();
    while (Atomics.load(c, GENERATION) === generation) {
      if (Atomics.load(c, ABORT)) throw new TeamAborted('another training thread failed');
      if (Date.now() - start > STALL_MS) throw new TeamAborted(`a training thread stopped responding (no progress for ${STALL_MS / 1000} s)`);
      Atomics.wait(c, GENERATION, generation, 100);
    }
  }

  /** `partial` ← the sum over threads of each thread's `partial` (same length on every thread). */
  reduce(partial: Float32Array): void {
    const { threads, width } = this.buffers;
    if (partial.length > width) throw new Error(`exchange of ${partial.length} values exceeds the team's ${width}`);
    const area = (this.exchanges++ & 1) * threads * width;
    this.exchange.set(partial, area + this.index * width);
    this.barrier();
    partial.set(this.exchange.subarray(area, area + partial.length));
    for (let t = 1; t < threads; t++) {
      const from = area + t * width;
      for (let i = 0; i < partial.length; i++) partial[i] += this.exchange[from + i]!;
    }
  }

  /** Tells the other threads to stop waiting (this one failed). */
  abort(): void {
    Atomics.store(this.control, ABORT, 1);
    Atomics.notify(this.control, GENERATION);
  }

  /** Clears a raised abort flag and the arrival count (before the team's next command). */
  reset(): void {
    Atomics.store(this.control, ABORT, 0);
    Atomics.store(this.control, ARRIVED, 0);
  }
}
