/**
 * A whole generation as one call, for callers that start from names rather than objects (the extension's
 * worker): opens the image source by name, creates the fitting backend, fits the default SIREN with one
 * output per channel, and closes the backend again, also on failure or cancellation.
 */
import { createBackend, DEFAULT_FIT, type BackendKind } from '../inr/backend';
import { DEFAULT_SIREN, type SirenSpec } from '../inr/spec';
import { generateDataset, type GenerateEvent, type GenerateOptions } from './generate';
import type { ImageSource } from './imageSource';
import type { Manifest } from './manifest';
import { openImageSource } from './openSource';

/** The SIREN fitted to a source: the default architecture with one output per channel. */
export function sirenForSource(source: Pick<ImageSource, 'channels'>): SirenSpec {
  return { ...DEFAULT_SIREN, outputDim: source.channels };
}

export interface GenerationRequest extends Omit<GenerateOptions, 'source' | 'spec' | 'backend' | 'fit' | 'onEvent'> {
  /** 'mnist', 'fashion-mnist' or an image folder. */
  readonly dataset: string;
  readonly steps: number;
  readonly targetPsnr: number | null;
  readonly backendKind: BackendKind;
  readonly workers?: number;
  /** Events of generateDataset, plus the source's name once it is open. */
  readonly onEvent?: (event: GenerateEvent, source: ImageSource) => void;
}

export async function runGeneration(request: GenerationRequest): Promise<Manifest> {
  const { dataset, steps, targetPsnr, backendKind, workers, onEvent, ...plan } = request;
  const source = await openImageSource(dataset);
  const backend = await createBackend(backendKind, { workers });
  try {
    return await generateDataset({
      ...plan,
      source,
      spec: sirenForSource(source),
      fit: { ...DEFAULT_FIT, steps, targetPsnr },
      backend,
      onEvent: onEvent && ((event) => onEvent(event, source)),
    });
  } finally {
    await backend.close();
  }
}
