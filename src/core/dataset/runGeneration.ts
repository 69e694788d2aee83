/**
 * A whole generation as one call — the CLI's `wslab generate`, the demo and the extension's worker all run
 * this: opens the source by name (images or meshes), creates the fitting backend, fits the SIREN chosen
 * for the source, and closes the backend again, also on failure or cancellation.
 */
import { createBackend } from '../inr/backend';
import type { FitBackend } from '../inr/fitBackend';
import { generateDataset, type GenerateEvent } from './generate';
import { planOptions, type GenerationRequest } from './generationRequest';
import type { Manifest } from './manifest';
import { openSource, sirenForSource, type DataSource } from './openSource';
import type { PlanPart } from './plan';

/** What one run of a request does besides the request itself. */
export interface GenerationRun {
  /** Fit only this part of the plan (a cluster task's --shard i/n). */
  readonly part?: PlanPart;
  readonly signal?: AbortSignal;
  /** Once the source is open and the backend made, before fitting. */
  readonly onOpen?: (source: DataSource, backend: FitBackend) => void;
  /** Events of generateDataset, with the open source. */
  readonly onEvent?: (event: GenerateEvent, source: DataSource) => void;
}

export async function runGeneration(request: GenerationRequest, run: GenerationRun = {}): Promise<Manifest> {
  const source = await openSource(request.dataset);
  const backend = await createBackend(request.backend, { workers: request.workers ?? undefined });
  try {
    run.onOpen?.(source, backend);
    const { onEvent } = run;
    return await generateDataset({
      ...planOptions(request),
      source,
      spec: sirenForSource(source, request.hidden),
      backend,
      part: run.part,
      signal: run.signal,
      onEvent: onEvent && ((event) => onEvent(event, source)),
    });
  } finally {
    await backend.close();
  }
}
