/**
 * The MixUp family (approximate): a convex combination of two networks of the same architecture,
 *   w = α·w_a + (1−α)·w_b,  α ~ U(min, max)  (default U(0, 1)),
 * with targets mixed the same way unless stated. `a` is the example being augmented, `b` its partner.
 * Because hidden neurons can be listed in any order, mixing unaligned networks averages unrelated
 * neurons; the aligned variants first permute b's neurons onto a's by weight matching.
 */
import type { Rng } from '../random/rng';
import { accepts, type Augmentation, type AugmentInput, type AugmentOutput, type Example } from './augmentation';
import { gaussianNoise, GENERIC_DEFAULTS } from './generic';
import type { Layer, Network } from '../weights/network';
import { randomPermutation } from './permutation';
import { SYMMETRY_DEFAULTS, sirenNegation } from './symmetries';
import { mixTargets } from './targets';
import { alignTo } from './weightMatching';
import { translate, WARP_DEFAULTS } from './warps';

export interface AlphaRange {
  readonly min: number;
  readonly max: number;
}

export interface AlignedMixParams extends AlphaRange {
  /** Cap on weight-matching iterations. */
  readonly iterations: number;
}

/** α·a + (1−α)·b, parameter by parameter (float64, stored as float32). Mixing a network with itself returns it bit for bit. */
export function mixNetworks(a: Network, b: Network, alpha: number): Layer[] {
  const mix = (x: Float32Array, y: Float32Array) => {
    const out = new Float32Array(x.length);
    for (let k = 0; k < x.length; k++) out[k] = alpha * x[k]! + (1 - alpha) * y[k]!;
    return out;
  };
  return a.map((layer, l) => ({ inFeatures: layer.inFeatures, outFeatures: layer.outFeatures, W: mix(layer.W, b[l]!.W), b: mix(layer.b, b[l]!.b) }));
}

function drawAlpha(range: AlphaRange, rng: Rng): number {
  return rng.uniform(range.min, range.max);
}

function partnerOf(input: AugmentInput): Example {
  if (!input.partner) throw new Error('MixUp needs a partner');
  return input.partner;
}

/** Mixes a (already transformed, e.g. aligned) pair: weights and targets with the same α. */
function mixExamples(a: Example, bNetwork: Network, bTarget: readonly number[] | undefined, alpha: number): Example {
  return { network: mixNetworks(a.network, bNetwork, alpha), target: mixTargets(a.target, bTarget, alpha) };
}

/** Law: none. Vanilla MixUp: weights and targets mixed with the same α. Drawn: α. */
export function mixup(input: AugmentInput, params: AlphaRange, rng: Rng): AugmentOutput {
  const b = partnerOf(input);
  const alpha = drawAlpha(params, rng);
  return { example: mixExamples(input.example, b.network, b.target, alpha), drawn: { alpha } };
}

/** Law: none. Weights mixed with α; the target stays hard: a's when α ≥ 0.5, else b's. Drawn: α and whose label. */
export function mixupWeightsOnly(input: AugmentInput, params: AlphaRange, rng: Rng): AugmentOutput {
  const b = partnerOf(input);
  const alpha = drawAlpha(params, rng);
  const fromSelf = alpha >= 0.5;
  const target = fromSelf ? input.example.target : b.target;
  return { example: { network: mixNetworks(input.example.network, b.network, alpha), target }, drawn: { alpha, label: fromSelf ? 'self' : 'partner' } };
}

/**
 * Law: none. a's hidden neurons are randomly permuted first (a is unchanged as a function), then vanilla
 * MixUp. Drawn: the permutations of a, α.
 */
export function mixupPermute(input: AugmentInput, params: AlphaRange, rng: Rng): AugmentOutput {
  const b = partnerOf(input);
  const permuted = randomPermutation(input.example.network, rng);
  const alpha = drawAlpha(params, rng);
  return { example: mixExamples({ ...input.example, network: permuted.network }, b.network, b.target, alpha), drawn: { perms: permuted.drawn.perms, alpha } };
}

/** Aligns b to a by weight matching (layer order drawn from `rng`), then mixes; the drawn values of both steps. */
function alignAndMix(a: Example, b: Example, params: AlignedMixParams, rng: Rng): AugmentOutput {
  const alpha = drawAlpha(params, rng);
  const aligned = alignTo(a.network, b.network, { maxIterations: params.iterations, rng });
  return {
    example: mixExamples(a, aligned.network, b.target, alpha),
    drawn: { alpha, perms: aligned.perms.map((p) => Array.from(p)), objective: aligned.objective, iterations: aligned.iterations },
  };
}

/**
 * Law: none. The paper's alignment + MixUp: b's hidden neurons are permuted onto a's by weight matching
 * (Git Re-Basin), then vanilla MixUp. Drawn: α, the permutations applied to b, the matching objective per
 * iteration.
 */
export function mixupAligned(input: AugmentInput, params: AlignedMixParams, rng: Rng): AugmentOutput {
  return alignAndMix(input.example, partnerOf(input), params, rng);
}

/**
 * Law: none. The paper's combination: translate + Gaussian noise + SIREN negation (their defaults) on a,
 * then alignment + MixUp with b. Drawn: each step's values, then α, permutations, objective.
 */
export function mixupCombination(input: AugmentInput, params: AlignedMixParams, rng: Rng): AugmentOutput {
  const translated = translate(input.example.network, { scale: WARP_DEFAULTS.translateScale }, rng);
  const noisy = gaussianNoise(translated.network, { scale: GENERIC_DEFAULTS.noiseScale }, rng);
  const negated = sirenNegation(noisy.network, { p: SYMMETRY_DEFAULTS.negationP }, rng);
  const mixed = alignAndMix({ ...input.example, network: negated.network }, partnerOf(input), params, rng);
  return { example: mixed.example, drawn: { translate: translated.drawn, 'gaussian-noise': noisy.drawn, 'siren-negation': negated.drawn, ...mixed.drawn } };
}

/**
 * Law: none. Self re-basin: a copy of a gets one augmentation chosen uniformly among the `candidates`
 * that accept this input (so rotate is skipped for a 3-D INR, where the official code crashes), with its
 * default parameters; the copy is aligned back onto a and the two are mixed. The target is a's.
 * Drawn: the augmentation's name and values, α, permutations, objective.
 */
export function mixupSelfRebasin(input: AugmentInput, params: AlignedMixParams, rng: Rng, candidates: readonly Augmentation[]): AugmentOutput {
  const single: AugmentInput = { example: input.example, activation: input.activation };
  const eligible = candidates.filter((c) => accepts(c, single));
  if (eligible.length === 0) throw new Error('mixup-self-rebasin: no augmentation accepts this network');
  const chosen = eligible[rng.int(0, eligible.length - 1)]!;
  const augmented = chosen.apply(single, {}, rng);
  const mixed = alignAndMix(input.example, augmented.example, params, rng);
  return {
    example: { network: mixed.example.network, target: input.example.target },
    drawn: { augmentation: chosen.name, [chosen.name]: augmented.drawn, ...mixed.drawn },
  };
}
