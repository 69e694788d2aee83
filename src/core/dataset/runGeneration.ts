/**
 * A whole generation as one call — the CLI's `wslab generate`, the demo and the extension's worker all run
 * this: opens the image source by name, creates the fitting backend, fits the default SIREN with one output
 * per channel, and closes the backend again, also on failure or cancellation.
 */
import { createBackend } from '../inr/backend';
import type { FitBackend } from '../inr/fitBackend';
import { DEFAULT_SIREN, type SirenSpec } from '../inr/spec';
import { generateDataset, type GenerateEvent } from './generate';
import { planOptions, type GenerationRequest } from './generationRequest';
import type { ImageSource } from './imageSource';
import type { Manifest } from './manifest';
import { openImageSource } from './openSource';
import type { PlanPart } from './plan';

/** The SIREN fitted to a source: the default architecture with one output per channel. */
export function sirenForSource(source: Pick<ImageSource, 'channels'>): SirenSpec {
  return { ...DEFAULT_SIREN, outputDim: source.channels };
}

/** What one run of a request does besides the request itself. */
export interface GenerationRun {
  /** Fit only this part of the plan (a cluster task's --shard i/n). */
  readonly part?: PlanPart;
  readonly signal?: AbortSignal;
  /** Once the source is open and the backend made, before fitting. */
  readonly onOpen?: (source: ImageSource, backend: FitBackend) => void;
  /** Events of generateDataset, with the open source. */
  readonly onEvent?: (event: GenerateEvent, source: ImageSource) => void;
}

export async function runGeneration(request: GenerationRequest, run: GenerationRun = {}): Promise<Manifest> {
  const source = await openImageSource(request.dataset);
  const backend = await createBackend(request.backend, { workers: request.workers ?? undefined });
  try {
    run.onOpen?.(source, backend);
    const { onEvent } = run;
    return await generateDataset({
      ...planOptions(request),
      source,
      spec: sirenForSource(source),
      backend,
      part: run.part,
      signal: run.signal,
      onEvent: onEvent && ((event) => onEvent(event, source)),
    });
  } finally {
    await backend.close();
  }
}
