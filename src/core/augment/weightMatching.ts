/**
 * Weight matching (Git Re-Basin, Ainsworth et al. 2023): permutations P_l of the hidden layers of
 * `source` maximising the inner product with `target`,
 *   J(P) = Σ_l ⟨W_l^t, P_l W_l^s P_{l−1}ᵀ⟩ + ⟨b_l^t, P_l b_l^s⟩      (P_{−1} = P_L = I),
 * by coordinate descent over the hidden layers: with the other layers fixed, the best P_l solves a
 * linear assignment problem on C_l[j][k] = ⟨row j of W_l^t, row k of W_l^s P_{l−1}ᵀ⟩ + b_l^t[j]·b_l^s[k]
 * + ⟨column j of W_{l+1}^t, column k of P_{l+1} W_{l+1}^s⟩. A layer changes only when that strictly
 * improves J, so J never decreases; iterations (one sweep over the layers each, in a random order when
 * an Rng is given, as the official code) stop when no layer improves, or after `maxIterations`.
 * Permutations are gathers (permutation.ts): permuteNeurons(source, perms) is the aligned source.
 */
import type { Rng } from '../random/rng';
import { assignmentCost, solveAssignment } from './linearAssignment';
import { hiddenWidths, innerProduct, sameArchitecture, type Layer, type Network } from '../weights/network';
import { permuteNeurons } from './permutation';

export interface WeightMatching {
  /** perms[l][j]: the neuron of `source` put at position j of hidden layer l. */
  readonly perms: Int32Array[];
  /** J before the first iteration (no permutation), then after each iteration. */
  readonly objective: number[];
  readonly iterations: number;
  /** True when the last iteration improved no layer; false when stopped by maxIterations. */
  readonly converged: boolean;
}

export interface WeightMatchingOptions {
  /** Default 100. */
  readonly maxIterations?: number;
  /** Visits the layers in a random order each iteration; without it, first to last. */
  readonly rng?: Rng;
}

export const DEFAULT_MAX_ITERATIONS = 100;

function norm(network: Network): number {
  return Math.sqrt(innerProduct(network, network));
}

/** C_l (n×n, row-major) for hidden layer l under the current permutations. */
function layerCost(target: Network, source: Network, perms: readonly Int32Array[], l: number): Float64Array {
  const t = target[l]!;
  const s = source[l]!;
  const tNext = target[l + 1]!;
  const sNext = source[l + 1]!;
  const n = t.outFeatures;
  const inputs = t.inFeatures;
  const outputs = tNext.outFeatures;
  const before = perms[l - 1];
  const after = perms[l + 1];
  // Rows of W_l^s with their inputs gathered by P_{l−1}; columns of W_{l+1} (transposed to rows) with
  // the source's outputs gathered by P_{l+1}.
  const sIn = new Float64Array(n * inputs);
  for (let k = 0; k < n; k++) for (let i = 0; i < inputs; i++) sIn[k * inputs + i] = s.W[k * inputs + (before ? before[i]! : i)]!;
  const tOut = new Float64Array(n * outputs);
  const sOut = new Float64Array(n * outputs);
  for (let m = 0; m < outputs; m++) {
    const sourceRow = after ? after[m]! : m;
    for (let j = 0; j < n; j++) {
      tOut[j * outputs + m] = tNext.W[m * n + j]!;
      sOut[j * outputs + m] = sNext.W[sourceRow * n + j]!;
    }
  }
  const cost = new Float64Array(n * n);
  const tW = t.W;
  const tb = t.b;
  const sb = s.b;
  for (let j = 0; j < n; j++) {
    for (let k = 0; k < n; k++) {
      let sum = tb[j]! * sb[k]!;
      for (let i = 0; i < inputs; i++) sum += tW[j * inputs + i]! * sIn[k * inputs + i]!;
      for (let m = 0; m < outputs; m++) sum += tOut[j * outputs + m]! * sOut[k * outputs + m]!;
      cost[j * n + k] = sum;
    }
  }
  return cost;
}

export function matchWeights(target: Network, source: Network, options: WeightMatchingOptions = {}): WeightMatching {
  if (!sameArchitecture(target, source)) throw new Error('matchWeights: the two networks have different architectures');
  const maxIterations = options.maxIterations ?? DEFAULT_MAX_ITERATIONS;
  const widths = hiddenWidths(target);
  const perms: Int32Array[] = widths.map((n) => Int32Array.from({ length: n }, (_, j) => j));
  const objective = [innerProduct(target, source)];
  // Rounding in J is below 1e-13·‖t‖·‖s‖ (Cauchy–Schwarz bounds every term); smaller gains are noise.
  const tolerance = 1e-10 * norm(target) * norm(source);
  let iterations = 0;
  let converged = widths.length === 0;
  while (!converged && iterations < maxIterations) {
    iterations++;
    let improved = false;
    const order = options.rng ? Array.from(options.rng.permutation(widths.length)) : widths.map((_, l) => l);
    for (const l of order) {
      const n = widths[l]!;
      const cost = layerCost(target, source, perms, l);
      const candidate = solveAssignment(cost, n, { maximize: true });
      if (assignmentCost(cost, n, candidate) > assignmentCost(cost, n, perms[l]!) + tolerance) {
        perms[l] = candidate;
        improved = true;
      }
    }
    objective.push(innerProduct(target, permuteNeurons(source, perms)));
    converged = !improved;
  }
  return { perms, objective, iterations, converged };
}

/** `source` permuted to match `target`, with the matching. */
export function alignTo(target: Network, source: Network, options: WeightMatchingOptions = {}): WeightMatching & { readonly network: Layer[] } {
  const matching = matchWeights(target, source, options);
  return { ...matching, network: permuteNeurons(source, matching.perms) };
}
