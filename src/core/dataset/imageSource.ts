/**
 * Where the images of an INR dataset come from: a bundled dataset (MNIST, Fashion-MNIST) or a folder of
 * the user's own images. Images are indexed 0…count−1 in a fixed order; pixels are in [0, 1],
 * pixel-major (pixel p, channel c at p·channels + c), rows top to bottom.
 */
import { LabError } from '../labError';
export interface SourceImage {
  readonly pixels: Float32Array;
  readonly label: number;
}

/** What a source is, as recorded in a dataset's settings. */
export interface SourceDescription {
  /** 'mnist', 'fashion-mnist' or the folder path. */
  readonly name: string;
  readonly count: number;
  readonly height: number;
  readonly width: number;
  /** 1 (grey) or 3 (RGB). */
  readonly channels: number;
  /** Class names, indexed by label. */
  readonly classes: readonly string[];
}

export interface ImageSource extends SourceDescription {
  /** Label of image i without decoding it (splits and manifests need labels only). */
  label(index: number): number;
  image(index: number): Promise<SourceImage>;
}

export class DatasetError extends LabError {
  override readonly name = 'DatasetError';
  constructor(message: string) {
    super('dataset', message);
  }
}
