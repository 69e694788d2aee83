/**
 * The trainable parameters of a model by name, as tfjs variables, initialised from a seeded Rng
 * (PyTorch's default for linear layers: U(−1/√fan_in, 1/√fan_in)), and its buffers (state that is saved
 * but not trained, such as BatchNorm's running statistics); both are saved to / loaded from a WeightSet, so
 * checkpoints are ordinary safetensors files.
 */
import { Rng } from '../random/rng';
import { WeightSet, type Metadata } from '../weights/weightSet';
import { tf } from './tf';

export class ParamStore {
  private readonly variables = new Map<string, tf.Variable>();
  private readonly buffers = new Map<string, tf.Variable>();

  constructor(private readonly rng: Rng) {}

  /** A new variable of `shape` drawn from U(−bound, bound). */
  uniform(name: string, shape: number[], bound: number): tf.Variable {
    const size = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(size);
    for (let i = 0; i < size; i++) data[i] = this.rng.uniform(-bound, bound);
    return this.add(this.variables, name, data, shape, true);
  }

  /** A new variable of `shape` filled with `value` (e.g. a normalisation's scale 1 or shift 0). */
  constant(name: string, shape: number[], value: number): tf.Variable {
    return this.add(this.variables, name, new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(value), shape, true);
  }

  /** A new buffer: saved and loaded with the parameters, never trained (not in `list`). */
  buffer(name: string, shape: number[], value: number): tf.Variable {
    return this.add(this.buffers, name, new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(value), shape, false);
  }

  private add(map: Map<string, tf.Variable>, name: string, data: Float32Array, shape: number[], trainable: boolean): tf.Variable {
    if (this.variables.has(name) || this.buffers.has(name)) throw new Error(`parameter ${name} is defined twice`);
    const variable = tf.variable(tf.tensor(data, shape), trainable); // tfjs names must be unique per process: ours live in the maps
    map.set(name, variable);
    return variable;
  }

  /** A linear map's weight [fanIn, fanOut] and bias [fanOut], PyTorch-initialised. */
  linear(name: string, fanIn: number, fanOut: number): { weight: tf.Variable; bias: tf.Variable } {
    const bound = 1 / Math.sqrt(fanIn);
    return { weight: this.uniform(`${name}.weight`, [fanIn, fanOut], bound), bias: this.uniform(`${name}.bias`, [fanOut], bound) };
  }

  /** Names of the trainable parameters, in creation order (the order of `list`). */
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

  /** Number of trainable values. */
  get size(): number {
    return this.list.reduce((n, v) => n + v.size, 0);
  }

  /** Reads every parameter and buffer to the CPU, so that toWeightSet works on a backend that reads only asynchronously. */
  async fetch(): Promise<void> {
    await Promise.all([...this.variables.values(), ...this.buffers.values()].map((v) => v.data()));
  }

  /** Every parameter, then every buffer, as a float32 tensor of the same name. */
  toWeightSet(metadata: Metadata = {}, prefix = ''): WeightSet {
    return WeightSet.fromArrays(
      [...this.variables, ...this.buffers].map(([name, v]) => ({ name: `${prefix}${name}`, shape: [...v.shape], data: v.dataSync() as Float32Array })),
      metadata,
    );
  }

  /** Overwrites every parameter and buffer from `set` (tensors `${prefix}${name}`), checking names and shapes. */
  load(set: WeightSet, source: string, prefix = ''): void {
    for (const [name, v] of [...this.variables, ...this.buffers]) {
      if (!set.has(`${prefix}${name}`)) throw new Error(`${source}: no tensor ${prefix}${name} (is it a checkpoint of this model?)`);
      const t = set.get(`${prefix}${name}`);
      if (t.shape.join() !== v.shape.join())
        throw new Error(`${source}: ${prefix}${name} has shape [${t.shape.join(', ')}], the model needs [${v.shape.join(', ')}]`);
      v.assign(tf.tensor(t.data, v.shape));
    }
  }

  dispose(): void {
    for (const v of [...this.variables.values(), ...this.buffers.values()]) v.dispose();
    this.variables.clear();
    this.buffers.clear();
  }
}
