/**
 * Every augmentation by its registry name (used by the CLI, configs and the UI), with its description,
 * law, kind, requirements and parameters (defaults and inclusive ranges). Each entry's `apply` has the
 * same signature (augmentation.ts); the functions themselves live in one module per family.
 */
import type { Rng } from '../random/rng';
import { defineAugmentation, sirenW0, type Activation, type Augmentation, type AugmentInput, type AugmentOutput, type Transformed } from './augmentation';
import { dropout, gaussianNoise, GENERIC_DEFAULTS, labelSmoothing, quantileDropout } from './generic';
import { mixup, mixupAligned, mixupCombination, mixupPermute, mixupSelfRebasin, mixupWeightsOnly, type AlignedMixParams, type AlphaRange } from './mixup';
import type { Network } from '../weights/network';
import { checkOrdered, type ParamSpec, type ParamValues } from './params';
import { randomPermutation } from './permutation';
import { reluScaling, sirenBiasShift, sirenNegation, SYMMETRY_DEFAULTS } from './symmetries';
import { DEFAULT_MAX_ITERATIONS } from './weightMatching';
import { identityMap, rotate, scale, translate, WARP_DEFAULTS } from './warps';

/** Runs a network-level function on the example's network; the target is kept. */
function onNetwork<K extends string>(fn: (network: Network, params: ParamValues<K>, rng: Rng, activation: Activation) => Transformed) {
  return (input: AugmentInput, params: ParamValues<K>, rng: Rng): AugmentOutput => {
    const { network, drawn } = fn(input.example.network, params, rng, input.activation);
    return { example: { network, target: input.example.target }, drawn };
  };
}

const ALPHA_PARAMS: readonly ParamSpec<'min' | 'max'>[] = [
  { name: 'min', description: 'lower bound of α ~ U(min, max)', default: 0, min: 0, max: 1 },
  { name: 'max', description: 'upper bound of α ~ U(min, max)', default: 1, min: 0, max: 1 },
];
const ALIGNED_PARAMS: readonly ParamSpec<'min' | 'max' | 'iterations'>[] = [
  ...ALPHA_PARAMS,
  { name: 'iterations', description: 'cap on weight-matching iterations', default: DEFAULT_MAX_ITERATIONS, min: 1, max: 10_000, integer: true },
];
const checkAlpha = (name: string) => (p: ParamValues<'min' | 'max'>) => checkOrdered(name, p, 'min', 'max');
const alphaOf = (p: ParamValues<'min' | 'max'>): AlphaRange => ({ min: p.min, max: p.max });
const alignedOf = (p: ParamValues<'min' | 'max' | 'iterations'>): AlignedMixParams => ({ ...alphaOf(p), iterations: p.iterations });

const translateAug = defineAugmentation({
  name: 'translate',
  description: 'shift the INR’s input coordinates by t ~ U(−scale, scale) per dimension',
  law: 'g(x) = f(x + t), exact (layer 0 only)',
  kind: 'input-warp',
  requires: [],
  params: [{ name: 'scale', description: 'largest |t| per coordinate (coordinates span [−1, 1])', default: WARP_DEFAULTS.translateScale, min: 0, max: 2 }],
  run: onNetwork((n, p, rng) => translate(n, { scale: p.scale }, rng)),
  inputWarp: (drawn, dim) => ({ A: identityMap(dim).A, t: drawn.t as number[] }),
});

const rotateAug = defineAugmentation({
  name: 'rotate',
  description: 'rotate an INR’s input coordinates by θ ~ U(−degrees, degrees); a 3-D INR about a uniformly random axis',
  law: 'g(x) = f(R·x), R a rotation by θ (2-D, or 3-D about the drawn axis), exact (layer 0 only)',
  kind: 'input-warp',
  requires: ['input-2d-3d'],
  params: [{ name: 'degrees', description: 'largest |θ| in degrees', default: WARP_DEFAULTS.rotateDegrees, min: 0, max: 180 }],
  run: onNetwork((n, p, rng) => rotate(n, { degrees: p.degrees }, rng)),
  inputWarp: (drawn) => ({ A: drawn.A as number[][], t: (drawn.A as number[][]).map(() => 0) }),
});

const scaleAug = defineAugmentation({
  name: 'scale',
  description: 'scale the INR’s input coordinates by s = 1 + U(−range, range)',
  law: 'g(x) = f(s·x), exact (W_0 × s)',
  kind: 'input-warp',
  requires: [],
  params: [{ name: 'range', description: 's is drawn from 1 ± range', default: WARP_DEFAULTS.scaleRange, min: 0, max: 0.95 }],
  run: onNetwork((n, p, rng) => scale(n, { range: p.range }, rng)),
  inputWarp: (drawn, dim) => ({ A: identityMap(dim).A.map((row) => row.map((v) => v * (drawn.s as number))), t: new Array<number>(dim).fill(0) }),
});

const gaussianNoiseAug = defineAugmentation({
  name: 'gaussian-noise',
  description: 'add N(0, (scale·std(T) + 1e-8)²) to every entry of each weight and bias tensor T',
  law: 'none (approximate)',
  kind: 'approximate',
  requires: [],
  params: [{ name: 'scale', description: 'noise std as a fraction of each tensor’s std', default: GENERIC_DEFAULTS.noiseScale, min: 0, max: 10 }],
  run: onNetwork((n, p, rng) => gaussianNoise(n, { scale: p.scale }, rng)),
});

const dropoutAug = defineAugmentation({
  name: 'dropout',
  description: 'zero every weight and bias with probability p, divide the kept ones by 1 − p',
  law: 'none (approximate); parameters unbiased in expectation',
  kind: 'approximate',
  requires: [],
  params: [{ name: 'p', description: 'drop probability', default: GENERIC_DEFAULTS.dropoutP, min: 0, max: 0.95 }],
  run: onNetwork((n, p, rng) => dropout(n, { p: p.p }, rng)),
});

const quantileDropoutAug = defineAugmentation({
  name: 'quantile-dropout',
  description: 'zero every parameter whose |value| is below the q-quantile of all |parameters|, q ~ U(0, quantile)',
  law: 'none (approximate)',
  kind: 'approximate',
  requires: [],
  params: [{ name: 'quantile', description: 'upper bound of the drawn quantile q', default: GENERIC_DEFAULTS.quantile, min: 0, max: 1 }],
  run: onNetwork((n, p, rng) => quantileDropout(n, { quantile: p.quantile }, rng)),
});

const labelSmoothingAug = defineAugmentation({
  name: 'label-smoothing',
  description: 'target ← (1 − ε)·target + ε/C; the network is unchanged',
  law: 'network unchanged; target still sums to 1',
  kind: 'approximate',
  requires: ['target'],
  params: [{ name: 'epsilon', description: 'smoothing ε', default: GENERIC_DEFAULTS.smoothing, min: 0, max: 1 }],
  run: (input, p) => ({
    example: { network: input.example.network, target: labelSmoothing(input.example.target!, { epsilon: p.epsilon }) },
    drawn: { epsilon: p.epsilon },
  }),
});

const sirenNegationAug = defineAugmentation({
  name: 'siren-negation',
  description: 'negate each hidden SIREN neuron (row, bias and outgoing column) with probability p',
  law: 'f unchanged (sin is odd), float32-exact',
  kind: 'exact-symmetry',
  requires: ['siren'],
  params: [{ name: 'p', description: 'negation probability per neuron', default: SYMMETRY_DEFAULTS.negationP, min: 0, max: 1 }],
  run: onNetwork((n, p, rng) => sirenNegation(n, { p: p.p }, rng)),
});

const sirenBiasAug = defineAugmentation({
  name: 'siren-bias',
  description: 'shift each hidden SIREN bias by kπ/w0, k ~ U{−kmax, …, kmax−1}, negating the outgoing column when k is odd',
  law: 'f unchanged (sin(z + kπ) = (−1)^k sin z)',
  kind: 'exact-symmetry',
  requires: ['siren'],
  params: [{ name: 'kmax', description: 'k is drawn from −kmax … kmax−1', default: SYMMETRY_DEFAULTS.biasKmax, min: 1, max: 64, integer: true }],
  run: onNetwork((n, p, rng, activation) => sirenBiasShift(n, { kmax: p.kmax, w0: sirenW0(activation) }, rng)),
});

const reluScalingAug = defineAugmentation({
  name: 'relu-scaling',
  description: 'scale each hidden ReLU neuron’s row and bias by a > 0 (log-uniform in [1/factor, factor]) and its outgoing column by 1/a',
  law: 'f unchanged (relu(a·z) = a·relu(z), a > 0)',
  kind: 'exact-symmetry',
  requires: ['relu'],
  params: [{ name: 'factor', description: 'a is log-uniform in [1/factor, factor]', default: SYMMETRY_DEFAULTS.reluFactor, min: 1, max: 100 }],
  run: onNetwork((n, p, rng) => reluScaling(n, { factor: p.factor }, rng)),
});

const permuteAug = defineAugmentation({
  name: 'permute',
  description: 'permute the neurons of every hidden layer at random',
  law: 'f unchanged (any elementwise activation), float32-exact',
  kind: 'exact-symmetry',
  requires: [],
  params: [],
  run: onNetwork((n, _, rng) => randomPermutation(n, rng)),
});

const mixupAug = defineAugmentation({
  name: 'mixup',
  description: 'w = α·w_a + (1 − α)·w_b and the same for the targets, α ~ U(min, max)',
  law: 'none (approximate)',
  kind: 'approximate',
  requires: ['partner'],
  params: ALPHA_PARAMS,
  checkParams: checkAlpha('mixup'),
  run: (input, p, rng) => mixup(input, alphaOf(p), rng),
});

const mixupWeightsOnlyAug = defineAugmentation({
  name: 'mixup-weights-only',
  description: 'mix the weights as mixup; the label stays hard: a’s if α ≥ 0.5, else b’s',
  law: 'none (approximate)',
  kind: 'approximate',
  requires: ['partner'],
  params: ALPHA_PARAMS,
  checkParams: checkAlpha('mixup-weights-only'),
  run: (input, p, rng) => mixupWeightsOnly(input, alphaOf(p), rng),
});

const mixupPermuteAug = defineAugmentation({
  name: 'mixup-permute',
  description: 'permute a’s hidden neurons at random, then mixup',
  law: 'none (approximate)',
  kind: 'approximate',
  requires: ['partner'],
  params: ALPHA_PARAMS,
  checkParams: checkAlpha('mixup-permute'),
  run: (input, p, rng) => mixupPermute(input, alphaOf(p), rng),
});

const mixupAlignedAug = defineAugmentation({
  name: 'mixup-aligned',
  description: 'align b to a by weight matching (Git Re-Basin), then mixup',
  law: 'none (approximate)',
  kind: 'approximate',
  requires: ['partner'],
  params: ALIGNED_PARAMS,
  checkParams: checkAlpha('mixup-aligned'),
  run: (input, p, rng) => mixupAligned(input, alignedOf(p), rng),
});

const mixupCombinationAug = defineAugmentation({
  name: 'mixup-combination',
  description: 'translate + gaussian-noise + siren-negation on a (defaults), then mixup-aligned',
  law: 'none (approximate)',
  kind: 'approximate',
  requires: ['siren', 'partner'],
  params: ALIGNED_PARAMS,
  checkParams: checkAlpha('mixup-combination'),
  run: (input, p, rng) => mixupCombination(input, alignedOf(p), rng),
});

/** What self re-basin picks from (the official list, plus relu-scaling so ReLU networks have a symmetry too). */
const SELF_REBASIN_CANDIDATES: readonly Augmentation[] = [
  dropoutAug,
  translateAug,
  rotateAug,
  gaussianNoiseAug,
  scaleAug,
  quantileDropoutAug,
  sirenNegationAug,
  sirenBiasAug,
  reluScalingAug,
];

const mixupSelfRebasinAug = defineAugmentation({
  name: 'mixup-self-rebasin',
  description: 'augment a copy of a with one random augmentation that accepts it, align it back to a, then mix the two',
  law: 'none (approximate); target unchanged',
  kind: 'approximate',
  requires: [],
  params: ALIGNED_PARAMS,
  checkParams: checkAlpha('mixup-self-rebasin'),
  run: (input, p, rng) => mixupSelfRebasin(input, alignedOf(p), rng, SELF_REBASIN_CANDIDATES),
});

/** In the order of the paper's sections: warps, generic, symmetries, permutation, MixUp. */
export const AUGMENTATIONS: readonly Augmentation[] = [
  translateAug,
  rotateAug,
  scaleAug,
  gaussianNoiseAug,
  dropoutAug,
  quantileDropoutAug,
  labelSmoothingAug,
  sirenNegationAug,
  sirenBiasAug,
  reluScalingAug,
  permuteAug,
  mixupAug,
  mixupWeightsOnlyAug,
  mixupPermuteAug,
  mixupAlignedAug,
  mixupCombinationAug,
  mixupSelfRebasinAug,
];

export function findAugmentation(name: string): Augmentation | undefined {
  return AUGMENTATIONS.find((a) => a.name === name);
}
