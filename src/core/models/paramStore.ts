/**
 * The trainable parameters of a model by name, as tfjs variables, initialised from a seeded Rng
 * (PyTorch's default for linear layers: U(−1/√fan_in, 1/√fan_in)), and saved to / loaded from a
 * WeightSet so checkpoints are ordinary safetensors files.
 */
import { Rng } from '../random/rng';
import { WeightSet, type Metadata } from '../weights/weightSet';
import { tf } from './tf';

export class ParamStore {
  private readonly variables = new Map<string, tf.Variable>();

  constructor(private readonly rng: Rng) {}

  /** A new variable of `shape` drawn from U(−bound, bound). */
  uniform(name: string, shape: number[], bound: number): tf.Variable {
    if (this.variables.has(name)) throw new Error(`parameter ${name} is defined twice`);
    const size = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(size);
    for (let i = 0; i < size; i++) data[i] = this.rng.uniform(-bound, bound);
    const variable = tf.variable(tf.tensor(data, shape), true); // tfjs names must be unique per process: ours live in the map
    this.variables.set(name, variable);
    return variable;
  }

  /** A linear map's weight [fanIn, fanOut] and bias [fanOut], PyTorch-initialised. */
  linear(name: string, fanIn: number, fanOut: number): { weight: tf.Variable; bias: tf.Variable } {
    const bound = 1 / Math.sqrt(fanIn);
    return { weight: this.uniform(`${name}.weight`, [fanIn, fanOut], bound), bias: this.uniform(`${name}.bias`, [fanOut], bound) };
  }

  get names(): string[] {
    return [...this.variables.keys()];
  }

  get list(): tf.Variable[] {
    return [...this.variables.values()];
  }

  get(name: string): tf.Variable {
    const v = this.variables.get(name);
    if (!v) throw new Error(`no parameter named ${name}`);
    return v;
  }

  get size(): number {
    return this.list.reduce((n, v) => n + v.size, 0);
  }

  /** Every parameter as a float32 tensor of the same name. */
  toWeightSet(metadata: Metadata = {}, prefix = ''): WeightSet {
    return WeightSet.fromArrays(
      [...this.variables].map(([name, v]) => ({ name: `${prefix}${name}`, shape: [...v.shape], data: v.dataSync() as Float32Array })),
      metadata,
    );
  }

  /** Overwrites every parameter from `set` (tensors `${prefix}${name}`), checking names and shapes. */
  load(set: WeightSet, source: string, prefix = ''): void {
    for (const [name, v] of this.variables) {
      if (!set.has(`${prefix}${name}`)) throw new Error(`${source}: no tensor ${prefix}${name} (is it a checkpoint of this model?)`);
      const t = set.get(`${prefix}${name}`);
      if (t.shape.join() !== v.shape.join()) throw new Error(`${source}: ${prefix}${name} has shape [${t.shape.join(', ')}], the model needs [${v.shape.join(', ')}]`);
      v.assign(tf.tensor(t.data, v.shape));
    }
  }

  dispose(): void {
    for (const v of this.variables.values()) v.dispose();
    this.variables.clear();
  }
}
