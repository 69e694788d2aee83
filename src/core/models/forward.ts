import type { tf } from './tf';

/** What a model builder (mlpModel, equivariantModel, neuralGraph, statNet) returns: the forward pass over the parameters it created. */
export type Forward = (flat: tf.Tensor2D, training: boolean) => tf.Tensor2D;
