/**
 * What an augmentation is: a pure function of (an example — network + optional soft target —, an optional
 * partner, its parameters, a seeded Rng) → a new example plus the values it actually drew, with a name,
 * a kind, parameter specs and requirements. `defineAugmentation` gives every augmentation the same
 * `apply`: it checks the requirements and resolves the parameters, then runs the family's function.
 */
import type { Rng } from '../random/rng';
import { sameArchitecture, widthsOf, type Layer, type Network } from '../weights/network';
import { AugmentError, resolveParams, type ParamSpec, type ParamValues } from './params';

/**
 * exact-symmetry: the function is unchanged; input-warp: the function is warped exactly,
 * f'(x) = f(A x + t); approximate: anything else (noise, dropout, MixUp, label changes).
 */
export type AugmentationKind = 'exact-symmetry' | 'input-warp' | 'approximate';

/** input-2d-3d: a 2-D or 3-D INR; siren / relu: the hidden activation; partner: a second example; target: a label. */
export type Requirement = 'input-2d-3d' | 'siren' | 'relu' | 'partner' | 'target';

/** The hidden activation of the networks: SIREN sin(w0·z) or ReLU. The last layer is always linear. */
export type Activation = { readonly kind: 'sine'; readonly w0: number } | { readonly kind: 'relu' };

/** w0 of a SIREN activation (augmentations that need it require 'siren'). */
export function sirenW0(activation: Activation): number {
  if (activation.kind !== 'sine') throw new AugmentError(`expected a SIREN, got a ${activation.kind} network`);
  return activation.w0;
}

export interface Example {
  readonly network: Network;
  /** Soft label over the classes (one-hot for a hard label); absent when the example has none. */
  readonly target?: readonly number[];
}

export interface AugmentInput {
  readonly example: Example;
  /** The second example of MixUp-style augmentations (same architecture). */
  readonly partner?: Example;
  readonly activation: Activation;
}

/** JSON values: what an augmentation records about its draws (vectors, angles, permutations, α, …). */
export type DrawnValue = number | string | readonly DrawnValue[] | { readonly [key: string]: DrawnValue };
export type Drawn = { readonly [key: string]: DrawnValue };

/** What a family's network-level function returns: a new network and the values it drew. */
/** x ↦ A x + t on d-dimensional inputs; A is d×d (rows), t has d entries. */
export interface AffineMap {
  readonly A: readonly (readonly number[])[];
  readonly t: readonly number[];
}

export interface Transformed<D extends Drawn = Drawn> {
  readonly network: Layer[];
  readonly drawn: D;
}

export interface AugmentOutput {
  readonly example: Example;
  readonly drawn: Drawn;
}

export interface Augmentation {
  /** The registry name used by the CLI, configs and UI. */
  readonly name: string;
  readonly description: string;
  /** What it preserves, in one line. */
  readonly law: string;
  readonly kind: AugmentationKind;
  readonly requires: readonly Requirement[];
  readonly params: readonly ParamSpec[];
  /** The uniform signature: missing parameters take their defaults. Never mutates `input`. */
  apply(input: AugmentInput, params: Readonly<Record<string, number>>, rng: Rng): AugmentOutput;
  /** Defaults plus `given`, checked (AugmentError naming the parameter). */
  resolve(given: Readonly<Record<string, number>>): ParamValues;
  /** Input warps only: the map x ↦ A x + t that a result's drawn values describe (f'(x) = f(A x + t)). */
  readonly inputWarp?: (drawn: Drawn, inputDim: number) => AffineMap;
}

/** An augmentation as written in the registry; K: its parameter names, so `run` reads them typed. */
export interface AugmentationDefinition<K extends string> extends Omit<Augmentation, 'apply' | 'resolve' | 'params'> {
  readonly params: readonly ParamSpec<K>[];
  readonly run: (input: AugmentInput, params: ParamValues<K>, rng: Rng) => AugmentOutput;
  /** Checks between parameters (e.g. min ≤ max), after each is in range. */
  readonly checkParams?: (params: ParamValues<K>) => void;
}

/** Why `input` does not meet `requirement`, or undefined when it does. */
export function requirementProblem(requirement: Requirement, input: AugmentInput): string | undefined {
  const { network } = input.example;
  switch (requirement) {
    case 'input-2d-3d':
      return [2, 3].includes(network[0]!.inFeatures) ? undefined : `needs a 2-D or 3-D INR (2 or 3 inputs); this network has ${network[0]!.inFeatures}`;
    case 'siren':
      return input.activation.kind === 'sine' ? undefined : `needs a SIREN (sine activations); this network is ${input.activation.kind}`;
    case 'relu':
      return input.activation.kind === 'relu' ? undefined : `needs a ReLU network; this network is ${input.activation.kind}`;
    case 'target':
      return input.example.target ? undefined : 'needs a label (target) for the example';
    case 'partner':
      if (!input.partner) return 'needs a partner network';
      return sameArchitecture(network, input.partner.network)
        ? undefined
        : `needs a partner of the same architecture: [${widthsOf(network).join(', ')}] vs [${widthsOf(input.partner.network).join(', ')}]`;
  }
}

/** True when `augmentation` can take `input` (every requirement met). */
export function accepts(augmentation: Pick<Augmentation, 'requires'>, input: AugmentInput): boolean {
  return augmentation.requires.every((r) => requirementProblem(r, input) === undefined);
}

export function defineAugmentation<K extends string>(definition: AugmentationDefinition<K>): Augmentation {
  const { run, checkParams, ...described } = definition;
  const resolve = (given: Readonly<Record<string, number>>) => {
    // resolveParams gives every spec's name a value: the names K.
    const params = resolveParams(definition.name, definition.params, given) as ParamValues<K>;
    checkParams?.(params);
    return params;
  };
  return {
    ...described,
    resolve,
    apply(input, given, rng) {
      for (const requirement of definition.requires) {
        const problem = requirementProblem(requirement, input);
        if (problem) throw new AugmentError(`${definition.name} ${problem}`);
      }
      return run(input, resolve(given), rng);
    },
  };
}
