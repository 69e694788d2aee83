/**
 * Batches for training throughput: many networks of one architecture flattened into one Float32Array,
 * network n at n·P (P = parameters per network) in state-dict order W_0, b_0, W_1, b_1, … ((out, in)
 * layout). `applyBatch` augments every network of a batch, drawing from one Rng network after network —
 * the same result as applying the chain to each network in turn with that Rng — without building a
 * WeightSet or parsing tensor names per network.
 */
import type { Rng } from '../random/rng';
import type { Activation } from './augmentation';
import { applySteps, type AugmentStep, type StepRecord } from './chain';
import { parameterCount, sameArchitecture, widthsOf, type Layer, type Network } from '../weights/network';

export interface NetworkBatch {
  /** [in, hidden…, out], shared by every network. */
  readonly widths: readonly number[];
  readonly count: number;
  readonly data: Float32Array;
}

/** Network n of a batch as views into its data (no copy; never write through them). */
export function networkAt(batch: NetworkBatch, n: number): Network {
  const { widths } = batch;
  let offset = n * parameterCount(widths);
  const layers: Layer[] = [];
  for (let l = 0; l + 1 < widths.length; l++) {
    const inFeatures = widths[l]!;
    const outFeatures = widths[l + 1]!;
    const W = batch.data.subarray(offset, offset + outFeatures * inFeatures);
    offset += W.length;
    const b = batch.data.subarray(offset, offset + outFeatures);
    offset += b.length;
    layers.push({ inFeatures, outFeatures, W, b });
  }
  return layers;
}

/** Copies a network into `data` at `offset`, in the batch layout. */
export function writeNetwork(network: Network, data: Float32Array, offset: number): void {
  for (const layer of network) {
    data.set(layer.W, offset);
    offset += layer.W.length;
    data.set(layer.b, offset);
    offset += layer.b.length;
  }
}

export function batchOf(networks: readonly Network[]): NetworkBatch {
  if (networks.length === 0) throw new Error('batchOf: no networks');
  const first = networks[0]!;
  const widths = widthsOf(first);
  const size = parameterCount(widths);
  const data = new Float32Array(networks.length * size);
  networks.forEach((network, n) => {
    if (!sameArchitecture(first, network)) throw new Error(`batchOf: network ${n} has widths [${widthsOf(network).join(', ')}], not [${widths.join(', ')}]`);
    writeNetwork(network, data, n * size);
  });
  return { widths, count: networks.length, data };
}

export interface BatchOptions {
  readonly activation: Activation;
  /** Soft labels of the networks (optional per network). */
  readonly targets?: readonly (readonly number[] | undefined)[];
  /** MixUp partners: partner n goes with network n. */
  readonly partners?: NetworkBatch;
  readonly partnerTargets?: readonly (readonly number[] | undefined)[];
}

export interface BatchResult {
  readonly batch: NetworkBatch;
  readonly targets: (readonly number[] | undefined)[];
  readonly records: StepRecord[][];
}

export function applyBatch(steps: readonly AugmentStep[], batch: NetworkBatch, rng: Rng, options: BatchOptions): BatchResult {
  const { partners } = options;
  if (partners && (partners.count !== batch.count || partners.widths.join() !== batch.widths.join())) {
    throw new Error(
      `applyBatch: ${partners.count} partners of widths [${partners.widths.join(', ')}] for ${batch.count} networks of widths [${batch.widths.join(', ')}]`,
    );
  }
  const size = parameterCount(batch.widths);
  const data = new Float32Array(batch.data.length);
  const targets: (readonly number[] | undefined)[] = [];
  const records: StepRecord[][] = [];
  for (let n = 0; n < batch.count; n++) {
    const result = applySteps(
      steps,
      {
        example: { network: networkAt(batch, n), target: options.targets?.[n] },
        partner: partners && { network: networkAt(partners, n), target: options.partnerTargets?.[n] },
        activation: options.activation,
      },
      rng,
    );
    writeNetwork(result.example.network, data, n * size);
    targets.push(result.example.target);
    records.push(result.records);
  }
  return { batch: { widths: batch.widths, count: batch.count, data }, targets, records };
}
