/**
 * Which weight-space classifier to build and how big:
 *   mlp     a plain MLP on the flattened weights — the baseline, not permutation-aware
 *   nfn-np  NFN-NP (Zhou et al. 2023): equivariant layers that treat every neuron layer as permutable,
 *           then per-tensor mean pooling over neurons — invariant to hidden-neuron permutations
 *   dwsnet  DWSNet-style (Navon et al. 2023): equivariant layers over hidden neurons only (input and
 *           output neurons keep their identity, folded into channels), then pooling over hidden neurons
 */
export type ModelKind = 'mlp' | 'nfn-np' | 'dwsnet';
export const MODEL_KINDS: readonly ModelKind[] = ['mlp', 'nfn-np', 'dwsnet'];

export interface ModelConfig {
  readonly kind: ModelKind;
  /** Channels of the equivariant layers, or the width of the MLP's hidden layers. */
  readonly hidden: number;
  /** Number of equivariant layers (or hidden layers of the MLP). */
  readonly layers: number;
  /** Width of the classification head's hidden layer (invariant models). */
  readonly headHidden: number;
}

export const DEFAULT_MODEL: ModelConfig = { kind: 'dwsnet', hidden: 16, layers: 3, headHidden: 64 };
