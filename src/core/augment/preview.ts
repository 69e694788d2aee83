/**
 * An augmentation preview: an INR and K augmented copies rendered on one pixel grid, each with its
 * function-preservation error max|g(x) − f(A x + t)| over the grid (A x + t: the chain's input warps
 * composed, identity when it has none). For a dataset INR, copy c is exactly item ID-a{c} of
 * `wslab augment --seed S` (same seed derivation and partner draw). `previewAugmentations` is the whole
 * of `wslab preview` (and the worker's preview job): the grid as a PNG plus one line per copy;
 * `openPreviewInput` + `renderPreview` give the renderings themselves (the demo report).
 */
import { loadInr, type LoadedInr } from '../dataset/loadInr';
import { readDatasetSettings, readManifest } from '../dataset/manifest';
import { encodePng } from '../image/codec';
import { renderSiren } from '../inr/render';
import { renderInrImage, unrenderableReason } from '../inr/renderImage';
import { cubeGrid, DEFAULT_SIREN, pixelGrid, type SirenSpec } from '../inr/spec';
import type { Activation, AffineMap, DrawnValue, Example } from './augmentation';
import { readDatasetExample, splitPools, startCopy, targetOf } from './augmentDataset';
import { applySteps, chainInputWarp, needsPartner, type AugmentStep, type StepRecord } from './chain';
import { AugmentError } from './params';
import { composeGrid } from './previewGrid';
import type { Layer, Network } from '../weights/network';
import { mapPoints } from './warps';

/** Where a copy's MixUp partner comes from: the dataset split (as `wslab augment`) or one given INR. */

/** Points per axis of the cube grid a 3-D INR's augmented copies are checked on. */
const CHECK_GRID_3D = 12;
export interface PartnerSource {
  readonly pool: readonly string[];
  load(id: string): Promise<Example>;
}

export interface PreviewInput {
  readonly inr: LoadedInr;
  readonly example: Example;
  /** The id the copies' seeds derive from: the dataset id, or the path as given. */
  readonly parentId: string;
  readonly partners?: PartnerSource;
}

export interface PreviewCopy {
  /** size × size × outputDim, pixel-major. */
  readonly pixels: Float32Array;
  /** max|g(x) − f(A x + t)| over the rendered grid. */
  readonly error: number;
  readonly records: readonly StepRecord[];
  readonly partner?: string;
  /** The augmented network itself (the preview panel draws its weights). */
  readonly network: Network;
}

export interface Preview {
  readonly spec: SirenSpec;
  readonly original: Float32Array;
  readonly copies: readonly PreviewCopy[];
}

/** The INR to preview (with its one-hot label when it comes from a dataset) and where partners come from. */
export async function openPreviewInput(
  target: string,
  partnerTarget: string | undefined,
  defaults: { w0: number; outputOffset: number },
): Promise<PreviewInput> {
  const inr = await loadInr(target, defaults);
  const given = partnerTarget === undefined ? undefined : await loadInr(partnerTarget, defaults);
  const fixed: PartnerSource | undefined = given && { pool: [partnerTarget!], load: async () => ({ network: given.layers }) };
  if (!inr.item) return { inr, example: { network: inr.layers }, parentId: target, partners: fixed };
  const dir = target.slice(0, target.lastIndexOf('#'));
  const [settings, manifest] = await Promise.all([readDatasetSettings(dir), readManifest(dir)]);
  const classes = settings.source.classes.length;
  const byId = new Map(manifest.items.map((i) => [i.id, i]));
  return {
    inr,
    example: { network: inr.layers, target: targetOf(inr.item, classes) },
    parentId: inr.item.id,
    partners: fixed ?? { pool: splitPools(manifest.items).get(inr.item.split)!, load: (id) => readDatasetExample(dir, byId.get(id)!, classes) },
  };
}

function isIdentity(map: AffineMap): boolean {
  return map.A.every((row, i) => row.every((v, j) => v === (i === j ? 1 : 0))) && map.t.every((v) => v === 0);
}

function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

/**
 * Renders the input and `copies` augmented copies at size × size. Throws AugmentError when the INR is
 * not a 2-D image INR or the chain cannot apply to it (a MixUp without a partner source, …).
 */
export async function renderPreview(
  input: PreviewInput,
  steps: readonly AugmentStep[],
  options: { copies: number; seed: number; size: number },
): Promise<Preview> {
  const { inr, example, parentId, partners } = input;
  const { spec } = inr;
  const unrenderable = unrenderableReason(spec);
  if (unrenderable) throw new AugmentError(`preview: ${unrenderable}`);
  if (needsPartner(steps) && !partners) {
    const mixing = steps.filter((s) => s.augmentation.requires.includes('partner')).map((s) => s.augmentation.name);
    throw new AugmentError(`${mixing.join('+')} needs a partner: pass --partner FILE|DATASET#ID (or preview a dataset INR)`);
  }
  const activation: Activation = { kind: 'sine', w0: spec.w0 };
  // Where each copy is checked against f after its input warp: the pixel grid of a 2-D INR (its picture),
  // a grid of the cube for a 3-D one (its picture is a view of the surface, rendered separately).
  const checkPoints = spec.inputDim === 2 ? pixelGrid(options.size) : cubeGrid(CHECK_GRID_3D);
  const originalValues = renderSiren(spec, inr.layers, checkPoints);
  const picture = (layers: readonly Layer[], values: Float32Array) => (spec.inputDim === 2 ? values : renderInrImage(spec, layers, options.size).pixels);
  const original = picture(inr.layers, originalValues);
  const copies: PreviewCopy[] = [];
  for (let copy = 0; copy < options.copies; copy++) {
    const started = startCopy(steps, options.seed, parentId, copy, partners?.pool ?? []);
    const partner = started.partner === undefined ? undefined : await partners!.load(started.partner);
    const result = applySteps(steps, { example, partner, activation }, started.rng);
    const values = renderSiren(spec, result.example.network, checkPoints);
    const warp = chainInputWarp(steps, result.records, spec.inputDim);
    // Without an input warp the reference is f itself at the same points: the original, already evaluated.
    const reference = isIdentity(warp) ? originalValues : renderSiren(spec, inr.layers, mapPoints(warp, checkPoints));
    copies.push({
      pixels: picture(result.example.network, values),
      error: maxAbsDifference(values, reference),
      records: result.records,
      network: result.example.network,
      ...(started.partner === undefined ? {} : { partner: started.partner }),
    });
  }
  return { spec, original, copies };
}

/** A copy's grid caption: its error in short exponent form (the preview font draws digits, . + - E). */
export function errorCaption(error: number): string {
  return Number.isFinite(error) ? error.toExponential(1) : String(error);
}

function summarize(value: DrawnValue): string {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toPrecision(4);
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.length > 6 ? `[${value.length} values]` : `[${value.map(summarize).join(', ')}]`;
  return `{${Object.entries(value)
    .map(([k, v]) => `${k}=${summarize(v)}`)
    .join(' ')}}`;
}

/** What a copy's steps drew, e.g. `translate {t=[0.05, -0.1]}; rotate {…}`. */
export function describeRecords(records: readonly StepRecord[]): string {
  return records.map((r) => `${r.name} ${summarize(r.params)}`).join('; ');
}

export interface PreviewAugmentationsOptions {
  /** FILE or DATASET#ID. */
  readonly input: string;
  /** FILE or DATASET#ID: the MixUp partner of every copy (default: drawn from the dataset split). */
  readonly partner?: string;
  readonly steps: readonly AugmentStep[];
  readonly copies: number;
  readonly seed: number;
  readonly size: number;
  /** For a bare weight file: its SIREN's w0 and output offset (default the DWSNets SIREN's). */
  readonly w0?: number;
  readonly outputOffset?: number;
}

export interface PreviewResult extends Preview {
  /** The grid (original + copies, error captions) as an 8-bit PNG. */
  readonly png: Uint8Array;
  /** One line per copy: its partner, what it drew and its function-preservation error. */
  readonly lines: readonly string[];
}

export async function previewAugmentations(options: PreviewAugmentationsOptions): Promise<PreviewResult> {
  const defaults = { w0: options.w0 ?? DEFAULT_SIREN.w0, outputOffset: options.outputOffset ?? DEFAULT_SIREN.outputOffset };
  const input = await openPreviewInput(options.input, options.partner, defaults);
  const preview = await renderPreview(input, options.steps, options);
  const cells = [{ pixels: preview.original, caption: 'orig' }, ...preview.copies.map((c) => ({ pixels: c.pixels, caption: errorCaption(c.error) }))];
  const image = composeGrid(cells, options.size, preview.spec.outputDim);
  const png = encodePng(image.pixels, image.layout.width, image.layout.height, preview.spec.outputDim as 1 | 3);
  const lines = preview.copies.map((c, k) => {
    const partnerNote = c.partner === undefined ? '' : ` (partner ${c.partner})`;
    return `copy ${k}${partnerNote}: ${describeRecords(c.records)}  max|g(x) − f(Ax+t)| = ${c.error.toExponential(2)}`;
  });
  return { ...preview, png, lines };
}
