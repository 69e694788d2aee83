/**
 * The SIREN fitting backends there are, as users name them (CLI --backend, worker jobs, settings); what
 * each one is: backend.ts (createBackend). A module of its own so that the protocol can list them without
 * loading any backend.
 */
export const BACKEND_KINDS = ['auto', 'wasm', 'webgpu', 'reference', 'tfjs-node-gpu'] as const;
export type BackendKind = (typeof BACKEND_KINDS)[number];
