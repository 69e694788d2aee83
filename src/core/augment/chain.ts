/**
 * A chain of augmentation steps (`translate+gaussian-noise:scale=0.1`) applied in order, each to the
 * previous step's result, all drawing from one Rng; MixUp-style steps use the same partner. Also the
 * WeightSet entry point: a weight file in, a new WeightSet (same tensor names and metadata) out.
 */
import type { Rng } from '../random/rng';
import { DEFAULT_SIREN } from '../inr/spec';
import type { WeightSet } from '../weights/weightSet';
import type { Activation, AffineMap, Augmentation, AugmentInput, Drawn, Example } from './augmentation';
import { networkOf, withNetwork } from '../weights/mlp';
import type { ParamValues } from './params';
import { oneHot } from './targets';
import { composeWarps, identityMap } from './warps';

export interface AugmentStep {
  readonly augmentation: Augmentation;
  /** Resolved: every parameter, defaults filled in. */
  readonly params: ParamValues;
}

/** What one step drew, as recorded in an augmented dataset's manifest (`aug: [ { name, params } ]`). */
export interface StepRecord {
  readonly name: string;
  readonly params: Drawn;
}

export interface ChainResult {
  readonly example: Example;
  readonly records: StepRecord[];
}

export function needsPartner(steps: readonly AugmentStep[]): boolean {
  return steps.some((s) => s.augmentation.requires.includes('partner'));
}

export function applySteps(steps: readonly AugmentStep[], input: AugmentInput, rng: Rng): ChainResult {
  let example = input.example;
  const records: StepRecord[] = [];
  for (const { augmentation, params } of steps) {
    const out = augmentation.apply({ ...input, example }, params, rng);
    example = out.example;
    records.push({ name: augmentation.name, params: out.drawn });
  }
  return { example, records };
}

/**
 * The input warp a chain applied, composed over its input-warp steps in order (identity when it has
 * none): with exact steps only, the result g satisfies g(x) = f(A x + t).
 */
export function chainInputWarp(steps: readonly AugmentStep[], records: readonly StepRecord[], inputDim: number): AffineMap {
  return steps.reduce((map, step, i) => {
    const warp = step.augmentation.inputWarp?.(records[i]!.params, inputDim);
    return warp ? composeWarps(map, warp) : map;
  }, identityMap(inputDim));
}

export interface WeightSetAugmentOptions {
  /** Default: a SIREN with the DWSNets w0 (30). */
  readonly activation?: Activation;
  /** With the number of classes, the metadata labels become one-hot targets. */
  readonly classes?: number;
  readonly partner?: WeightSet;
}

function exampleOf(set: WeightSet, classes: number | undefined): Example {
  const label = set.label;
  return { network: networkOf(set), target: classes !== undefined && label !== undefined ? oneHot(label, classes) : undefined };
}

/** Augments a WeightSet (any MLP naming); the result keeps its tensor names, order and metadata. */
export function augmentWeightSet(
  steps: readonly AugmentStep[],
  set: WeightSet,
  rng: Rng,
  options: WeightSetAugmentOptions = {},
): { readonly weights: WeightSet; readonly target?: readonly number[]; readonly records: StepRecord[] } {
  const { example, records } = applySteps(
    steps,
    {
      example: exampleOf(set, options.classes),
      partner: options.partner && exampleOf(options.partner, options.classes),
      activation: options.activation ?? { kind: 'sine', w0: DEFAULT_SIREN.w0 },
    },
    rng,
  );
  return { weights: withNetwork(set, example.network), target: example.target, records };
}
