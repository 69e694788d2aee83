/**
 * Which weight-space classifier to build and how big:
 *   mlp     a plain MLP on the flattened weights — the baseline, not permutation-aware
 *   nfn-np  NFN-NP (Zhou et al. 2023): equivariant layers that treat every neuron layer as permutable,
 *           then pooling over neurons — invariant to hidden-neuron permutations
 *   dwsnet  DWSNet (Navon et al. 2023): equivariant layers over hidden neurons only (input and output
 *           neurons keep their identity, folded into channels), then pooling over hidden neurons
 *   gnn     neural graph (Kofinas et al. 2024): the MLP as a graph (neurons = nodes with their bias,
 *           weights = edges), message passing with edge updates, invariant readout
 *   statnn  StatNN (Unterthiner et al. 2020): 7 statistics per weight/bias tensor → MLP; invariant to
 *           any permutation within a tensor, the field's sanity baseline
 */
export type ModelKind = 'mlp' | 'nfn-np' | 'dwsnet' | 'gnn' | 'statnn';
export const MODEL_KINDS: readonly ModelKind[] = ['mlp', 'nfn-np', 'dwsnet', 'gnn', 'statnn'];

/** Normalisation of the features between layers (featureNorm.ts). */
export type FeatureNormKind = 'batch' | 'layer' | 'none';
export const FEATURE_NORMS: readonly FeatureNormKind[] = ['batch', 'layer', 'none'];

/** How the invariant models reduce each tensor's features over its neuron axes (invariantPool.ts). */
export type Pooling = 'mean' | 'max' | 'mean+max';
export const POOLINGS: readonly Pooling[] = ['mean', 'max', 'mean+max'];

/**
 * The set layer of the equivariant models: `ds` (DeepSets: the pooling blocks of the equivariant layer
 * alone) or `sab` (adds a self-attention block over the neurons of every tensor with one neuron axis).
 */
export type SetLayerKind = 'ds' | 'sab';
export const SET_LAYERS: readonly SetLayerKind[] = ['ds', 'sab'];

export interface ModelConfig {
  readonly kind: ModelKind;
  /** Channels of the equivariant / message-passing layers, or the width of the MLPs' hidden layers. */
  readonly hidden: number;
  /** Number of equivariant / message-passing layers (or hidden layers of the MLPs). */
  readonly layers: number;
  /** Width of the classification head's hidden layer. */
  readonly headHidden: number;
  /** Between layers: batch (running statistics for eval), layer, or none. */
  readonly norm: FeatureNormKind;
  /** Invariant readout of dwsnet, nfn-np and gnn. */
  readonly pool: Pooling;
  /** dwsnet and nfn-np: `sab` adds self-attention over neurons to every layer. */
  readonly setLayer: SetLayerKind;
}

/**
 * Per kind, what a config that names only the kind (or nothing: dwsnet) trains: the best configuration
 * measured on FMNIST INRs (docs/models.md).
 */
export const MODEL_DEFAULTS: Readonly<Record<ModelKind, ModelConfig>> = {
  dwsnet: { kind: 'dwsnet', hidden: 16, layers: 3, headHidden: 64, norm: 'batch', pool: 'max', setLayer: 'ds' },
  'nfn-np': { kind: 'nfn-np', hidden: 16, layers: 3, headHidden: 64, norm: 'batch', pool: 'max', setLayer: 'ds' },
  gnn: { kind: 'gnn', hidden: 16, layers: 4, headHidden: 64, norm: 'layer', pool: 'mean+max', setLayer: 'ds' },
  statnn: { kind: 'statnn', hidden: 64, layers: 2, headHidden: 64, norm: 'batch', pool: 'mean', setLayer: 'ds' },
  mlp: { kind: 'mlp', hidden: 64, layers: 2, headHidden: 64, norm: 'batch', pool: 'mean', setLayer: 'ds' },
};

export const DEFAULT_MODEL: ModelConfig = MODEL_DEFAULTS.dwsnet;

/**
 * What the keys added later meant before they existed: a checkpoint or run config written without them
 * describes this architecture (no normalisation between layers, mean pooling, no attention).
 */
export const LEGACY_MODEL_KEYS: Pick<ModelConfig, 'norm' | 'pool' | 'setLayer'> = { norm: 'none', pool: 'mean', setLayer: 'ds' };
