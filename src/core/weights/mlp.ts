/**
 * The MLP view of a WeightSet: its layers in order, each a weight matrix W of shape (out, in) (PyTorch's
 * nn.Linear layout, row-major) and a bias b of length out. Layers are found by name: every tensor named
 * `<prefix><i><suffix>.weight` / `.bias` with the same prefix and suffix is one family, e.g.
 *   seq.{i}.weight (DWSNets), layers.{i}.weight, net.{i}.linear.weight (SIREN), {i}.weight (nn.Sequential),
 *   or `<id>/seq.{i}.weight` inside a dataset shard (one family per network).
 * Layer indices are ordered numerically (10 after 9) and need not be consecutive (nn.Sequential
 * skips the activation modules' indices).
 */
import { WeightSet, type Metadata, type Tensor } from './weightSet';
import { LabError } from '../labError';
import { sameArchitecture, widthsOf, type Layer, type Network } from './network';

/** A layer with the names of its tensors in the WeightSet. */
export interface MlpLayer extends Layer {
  readonly weightName: string;
  /** Undefined when the layer has no bias; `b` is then all zeros. */
  readonly biasName: string | undefined;
}

export interface MlpView {
  /** The naming pattern with `{i}` for the layer index, e.g. 'seq.{i}'. */
  readonly family: string;
  readonly layers: readonly MlpLayer[];
  /** [in, hidden…, out]. */
  readonly widths: readonly number[];
}

export class NotAnMlpError extends LabError {
  override readonly name = 'NotAnMlpError';
  constructor(message: string) {
    super('not-mlp', message);
  }
}

interface Parsed {
  readonly family: string;
  readonly index: number;
  readonly kind: 'weight' | 'bias';
}

/** `net.3.linear.weight` → family 'net.{i}.linear', index 3. Names with no integer path segment do not parse. */
function parseName(name: string): Parsed | undefined {
  const kind = name.endsWith('.weight') ? 'weight' : name.endsWith('.bias') ? 'bias' : undefined;
  if (!kind) return undefined;
  const stem = name.slice(0, -(kind.length + 1));
  // The last path segment that is a plain integer is the layer index ('.' and '/' both separate segments).
  const match = /^(.*(?:^|[./]))(\d+)((?:[./][^./]*)*)$/.exec(stem);
  if (!match) return undefined;
  return { family: `${match[1]}{i}${match[3]}`, index: Number(match[2]), kind };
}

/** The layer families in a WeightSet, in order of first appearance (a dataset shard holds many). */
export function mlpFamilies(set: WeightSet): string[] {
  const families: string[] = [];
  for (const t of set.tensors) {
    const parsed = parseName(t.name);
    if (parsed?.kind === 'weight' && !families.includes(parsed.family)) families.push(parsed.family);
  }
  return families;
}

/**
 * Reads a WeightSet as an MLP. With several families (a shard), `family` chooses one. Throws
 * NotAnMlpError saying exactly why when the tensors do not chain into an MLP.
 */
export function mlpView(set: WeightSet, family?: string): MlpView {
  const families = mlpFamilies(set);
  if (families.length === 0) {
    throw new NotAnMlpError(
      `no layer weights found: expected tensors named like seq.{i}.weight, layers.{i}.weight, net.{i}.linear.weight or {i}.weight (have: ${preview(set.names)})`,
    );
  }
  const chosen = family ?? families[0]!;
  if (family === undefined && families.length > 1) {
    throw new NotAnMlpError(`several networks in one set (${preview(families)}): choose one family`);
  }
  if (!families.includes(chosen)) throw new NotAnMlpError(`no layers named like ${chosen}.weight (have: ${preview(families)})`);

  const weights = new Map<number, string>();
  const biases = new Map<number, string>();
  for (const t of set.tensors) {
    const parsed = parseName(t.name);
    if (parsed?.family !== chosen) continue;
    (parsed.kind === 'weight' ? weights : biases).set(parsed.index, t.name);
  }
  for (const [index, name] of biases) {
    if (!weights.has(index)) throw new NotAnMlpError(`"${name}" is a bias of layer ${index}, which has no weight`);
  }

  const indices = [...weights.keys()].sort((a, b) => a - b);
  const layers: MlpLayer[] = [];
  for (const index of indices) {
    const weight = set.get(weights.get(index)!);
    if (weight.shape.length !== 2) {
      throw new NotAnMlpError(`"${weight.name}" has shape [${weight.shape.join(', ')}]; a linear layer's weight is 2-D (out, in)`);
    }
    const [outFeatures, inFeatures] = weight.shape as [number, number];
    const previous = layers[layers.length - 1];
    if (previous && previous.outFeatures !== inFeatures) {
      throw new NotAnMlpError(
        `"${weight.name}" takes ${inFeatures} inputs but the layer before it ("${previous.weightName}") gives ${previous.outFeatures} outputs`,
      );
    }
    const biasName = biases.get(index);
    let b: Float32Array = new Float32Array(outFeatures);
    if (biasName !== undefined) {
      const bias = set.get(biasName);
      if (bias.shape.length !== 1 || bias.shape[0] !== outFeatures) {
        throw new NotAnMlpError(`"${biasName}" has shape [${bias.shape.join(', ')}]; layer ${index} needs a bias of shape [${outFeatures}]`);
      }
      b = bias.data;
    }
    layers.push({ weightName: weight.name, biasName, inFeatures, outFeatures, W: weight.data, b });
  }
  return { family: chosen, layers, widths: widthsOf(layers) };
}

/** Builds a WeightSet in the DWSNets layout (`<prefix>{i}.weight` (out, in) and `<prefix>{i}.bias`). */
export function mlpToWeightSet(layers: Network, metadata: Metadata = {}, prefix = 'seq.'): WeightSet {
  return WeightSet.fromArrays(
    layers.flatMap((layer, i) => [
      { name: `${prefix}${i}.weight`, shape: [layer.outFeatures, layer.inFeatures], data: layer.W },
      { name: `${prefix}${i}.bias`, shape: [layer.outFeatures], data: layer.b },
    ]),
    metadata,
  );
}

/** The network of a WeightSet (an MLP in any naming `mlpView` recognises). */
export function networkOf(set: WeightSet): Network {
  return mlpView(set).layers;
}

/**
 * `parent` with its layers' values replaced by `network` (same architecture): tensor names, order, other
 * tensors and metadata are kept; replaced tensors are F32. A layer that had no bias gets one (named
 * like its weight, `.bias`) only when the new bias is not all zeros.
 */
export function withNetwork(parent: WeightSet, network: Network): WeightSet {
  const view = mlpView(parent);
  if (!sameArchitecture(view.layers, network)) {
    throw new Error(`withNetwork: widths [${widthsOf(network).join(', ')}] do not match the WeightSet's [${view.widths.join(', ')}]`);
  }
  const replacement = new Map<string, Float32Array>();
  const addedBias = new Map<string, Tensor>();
  view.layers.forEach((layer, l) => {
    const next = network[l]!;
    replacement.set(layer.weightName, next.W);
    if (layer.biasName !== undefined) replacement.set(layer.biasName, next.b);
    else if (next.b.some((v) => v !== 0)) {
      const name = `${layer.weightName.slice(0, -'.weight'.length)}.bias`;
      addedBias.set(layer.weightName, { name, shape: [layer.outFeatures], data: next.b, dtype: 'F32' });
    }
  });
  const tensors = parent.tensors.flatMap((t): Tensor[] => {
    const data = replacement.get(t.name);
    const replaced: Tensor = data ? { name: t.name, shape: t.shape, data, dtype: 'F32' } : t;
    const bias = addedBias.get(t.name);
    return bias ? [replaced, bias] : [replaced];
  });
  return new WeightSet(tensors, parent.metadata);
}

function preview(names: readonly string[]): string {
  return names.length <= 6 ? names.join(', ') : `${names.slice(0, 6).join(', ')}, … ${names.length - 6} more`;
}
