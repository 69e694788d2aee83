import type { TrainBackendName } from '../models/tf';

/** What the config's `backend` may name: a TensorFlow.js backend (or auto), or the fused WebAssembly kernels. */
export type TrainBackendChoice = TrainBackendName | 'fused';
