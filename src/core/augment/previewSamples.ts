/**
 * What the augmentation preview panel shows for one request: the INR and `count` augmented samples
 * under one augmentation (copy c drawn exactly as item ID-a{c} of `wslab augment --seed S`, see
 * preview.ts), each with its rendering, its function-preservation error and its weight matrices for
 * heatmaps; for a MixUp-family augmentation also the partner and the plain vs weight-matched mix with
 * the same α and partner (what alignment changes). Pure computation on a PreviewInput: the panel's
 * worker thread calls it, the tests call it directly.
 */
import { renderInrImage } from '../inr/renderImage';
import type { AugmentStep } from './chain';
import type { Network } from '../weights/network';
import { describeRecords, renderPreview, type PreviewInput } from './preview';
import { findAugmentation } from './registry';

/** Heatmaps larger than this many rows or columns are downsampled (a 32×32 SIREN layer is not). */
export const MAX_HEATMAP_SIDE = 64;

/** One layer's weight matrix W_l (out × in, row-major), possibly downsampled to rows × cols. */
export interface WeightMatrix {
  readonly layer: number;
  readonly rows: number;
  readonly cols: number;
  /** The layer's own shape (rows/cols differ when it was downsampled). */
  readonly outFeatures: number;
  readonly inFeatures: number;
  readonly values: Float32Array;
}

/**
 * W (out × in) reduced to at most maxSide × maxSide: each cell is the entry of largest magnitude in its
 * block (sign kept), so a block of mixed signs does not average away to 0 and extremes stay visible.
 */
export function downsampleMatrix(layer: number, W: Float32Array, outFeatures: number, inFeatures: number, maxSide = MAX_HEATMAP_SIDE): WeightMatrix {
  const rowStep = Math.ceil(outFeatures / maxSide);
  const colStep = Math.ceil(inFeatures / maxSide);
  const rows = Math.ceil(outFeatures / rowStep);
  const cols = Math.ceil(inFeatures / colStep);
  if (rowStep === 1 && colStep === 1) return { layer, rows, cols, outFeatures, inFeatures, values: Float32Array.from(W) };
  const values = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      let best = 0;
      for (let o = r * rowStep; o < Math.min(outFeatures, (r + 1) * rowStep); o++) {
        for (let i = c * colStep; i < Math.min(inFeatures, (c + 1) * colStep); i++) {
          const v = W[o * inFeatures + i]!;
          // NaN wins, so a broken weight stays visible.
          if (Number.isNaN(v) || Math.abs(v) > Math.abs(best)) best = v;
          if (Number.isNaN(best)) break;
        }
      }
      values[r * cols + c] = best;
    }
  }
  return { layer, rows, cols, outFeatures, inFeatures, values };
}

export function weightMatrices(network: Network, maxSide = MAX_HEATMAP_SIDE): WeightMatrix[] {
  return network.map((l, k) => downsampleMatrix(k, l.W, l.outFeatures, l.inFeatures, maxSide));
}

export interface PreviewImage {
  /** size × size × channels, pixel-major. */
  readonly pixels: Float32Array;
  readonly weights: readonly WeightMatrix[];
}

export interface PreviewSample extends PreviewImage {
  /** max|g(x) − f(A x + t)| over the grid (A x + t: the input warp drawn, identity for other kinds). */
  readonly error: number;
  /** What the sample drew, e.g. `rotate {theta=0.1, …}`. */
  readonly description: string;
  /** The MixUp partner's id. */
  readonly partner?: string;
}

/** The same partner and α, mixed as drawn (plain MixUp) and after weight matching (mixup-aligned). */
export interface MixComparison {
  readonly partner: string;
  readonly alpha: number;
  readonly partnerImage: PreviewImage;
  readonly unaligned: PreviewSample;
  readonly aligned: PreviewSample;
}

export interface PreviewSamples {
  readonly size: number;
  readonly channels: number;
  /** True when the errors are measured against the warped original f(A x + t) (an input warp). */
  readonly warped: boolean;
  readonly original: PreviewImage;
  readonly samples: readonly PreviewSample[];
  readonly mix?: MixComparison;
}

export interface PreviewSamplesOptions {
  readonly seed: number;
  readonly count: number;
  readonly size: number;
}

/** Renders `count` samples of one augmentation step (AugmentError when the INR cannot take it). */
export async function previewSamples(input: PreviewInput, step: AugmentStep, options: PreviewSamplesOptions): Promise<PreviewSamples> {
  const preview = await renderPreview(input, [step], { copies: options.count, seed: options.seed, size: options.size });
  const samples = preview.copies.map((c) => sampleOf(c));
  const mixes = step.augmentation.requires.includes('partner');
  return {
    size: options.size,
    channels: preview.spec.outputDim,
    warped: step.augmentation.kind === 'input-warp',
    original: { pixels: preview.original, weights: weightMatrices(input.inr.layers) },
    samples,
    ...(mixes ? { mix: await mixComparison(input, step, options) } : {}),
  };
}

function sampleOf(copy: Awaited<ReturnType<typeof renderPreview>>['copies'][number]): PreviewSample {
  return {
    pixels: copy.pixels,
    error: copy.error,
    description: describeRecords(copy.records),
    weights: weightMatrices(copy.network),
    ...(copy.partner === undefined ? {} : { partner: copy.partner }),
  };
}

/** `name` with the parameters of `step` it shares (α's bounds, weight-matching iterations), the rest default. */
function stepLike(name: 'mixup' | 'mixup-aligned', step: AugmentStep): AugmentStep {
  const augmentation = findAugmentation(name)!;
  const shared = Object.fromEntries(augmentation.params.filter((p) => p.name in step.params).map((p) => [p.name, step.params[p.name]!]));
  return { augmentation, params: augmentation.resolve(shared) };
}

/**
 * Copy 0's mix done both ways. Both draw the partner, then α, first from the same copy seed, so they
 * mix the same pair with the same α: for `mixup` the unaligned one is sample 0 itself, for
 * `mixup-aligned` the aligned one is.
 */
async function mixComparison(input: PreviewInput, step: AugmentStep, options: PreviewSamplesOptions): Promise<MixComparison> {
  const render = (name: 'mixup' | 'mixup-aligned') => renderPreview(input, [stepLike(name, step)], { copies: 1, seed: options.seed, size: options.size });
  const [plain, aligned] = [await render('mixup'), await render('mixup-aligned')];
  const copy = plain.copies[0]!;
  const partner = await input.partners!.load(copy.partner!);
  const alpha = copy.records[0]!.params.alpha as number;
  return {
    partner: copy.partner!,
    alpha,
    partnerImage: { pixels: renderInrImage(plain.spec, partner.network, options.size).pixels, weights: weightMatrices(partner.network) },
    unaligned: sampleOf(copy),
    aligned: sampleOf(aligned.copies[0]!),
  };
}
