/**
 * `wslab preview --in FILE|DATASET#ID --aug … --out grid.png`: the INR and K augmented copies rendered
 * side by side, each captioned with its function-preservation error max|g(x) − f(A x + t)| over the
 * rendered grid (A x + t: the chain's input warps composed, identity when it has none), also printed to
 * stdout with the values drawn. For a dataset INR, copy c is exactly item ID-a{c} of
 * `wslab augment --seed S` (same seed derivation and partner draw).
 */
import { parseArgs } from 'node:util';
import type { Activation, DrawnValue, Example } from '../../core/augment/augmentation';
import { readDatasetExample, splitPools, startCopy, targetOf } from '../../core/augment/augmentDataset';
import { applySteps, chainInputWarp, needsPartner, type AugmentStep, type StepRecord } from '../../core/augment/chain';
import { composeGrid } from '../../core/augment/previewGrid';
import { AugmentError } from '../../core/augment/params';
import { mapPoints } from '../../core/augment/warps';
import { loadInr, type LoadedInr } from '../../core/dataset/loadInr';
import { readDatasetSettings, readManifest } from '../../core/dataset/manifest';
import { encodePng } from '../../core/image/codec';
import { renderSiren } from '../../core/inr/render';
import { DEFAULT_SIREN, pixelGrid } from '../../core/inr/spec';
import { writeFileAtomic } from '../../core/io/atomicWrite';
import { UsageError, type CommandIO } from '../command';
import { integerOption, numberOption } from '../options';
import { parseAugOption } from './augment';

export const previewUsage =
  'wslab preview --in FILE|DATASET#ID --aug name[:k=v,…][+name…] --out grid.png [--copies 4] [--seed 0] [--size 84] [--partner FILE|DATASET#ID] [--w0 30] [--offset 0.5]\n' +
  '               original + augmented renderings side by side, function-preservation error under each';

/** Where a copy's MixUp partner comes from: the dataset split (as `wslab augment`) or one given INR. */
interface PartnerSource {
  readonly pool: readonly string[];
  load(id: string): Promise<Example>;
}

function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

function summarize(value: DrawnValue): string {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toPrecision(4);
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.length > 6 ? `[${value.length} values]` : `[${value.map(summarize).join(', ')}]`;
  return `{${Object.entries(value).map(([k, v]) => `${k}=${summarize(v)}`).join(' ')}}`;
}

function describeRecords(records: readonly StepRecord[]): string {
  return records.map((r) => `${r.name} ${summarize(r.params)}`).join('; ');
}

interface PreviewInput {
  readonly inr: LoadedInr;
  readonly example: Example;
  /** The id the copies' seeds derive from: the dataset id, or the path as given. */
  readonly parentId: string;
  readonly partners?: PartnerSource;
}

/** The INR to preview (with its one-hot label when it comes from a dataset) and where partners come from. */
async function openPreviewInput(target: string, partnerTarget: string | undefined, defaults: { w0: number; outputOffset: number }): Promise<PreviewInput> {
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

export async function previewCommand(args: readonly string[], io: CommandIO): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      in: { type: 'string' },
      aug: { type: 'string' },
      out: { type: 'string' },
      copies: { type: 'string', default: '4' },
      seed: { type: 'string', default: '0' },
      size: { type: 'string', default: '84' },
      partner: { type: 'string' },
      w0: { type: 'string', default: String(DEFAULT_SIREN.w0) },
      offset: { type: 'string', default: String(DEFAULT_SIREN.outputOffset) },
    },
  });
  if (!values.in || !values.out) throw new UsageError(`preview needs --in and --out\nusage: ${previewUsage}`);
  const steps: AugmentStep[] = parseAugOption(values.aug);
  const copies = integerOption('copies', values.copies, 1);
  const seed = integerOption('seed', values.seed, 0);
  const size = integerOption('size', values.size, 1);
  const defaults = { w0: numberOption('w0', values.w0), outputOffset: numberOption('offset', values.offset) };

  const { inr, example, parentId, partners } = await openPreviewInput(values.in, values.partner, defaults);
  const { spec } = inr;
  if (spec.inputDim !== 2 || (spec.outputDim !== 1 && spec.outputDim !== 3)) {
    throw new UsageError(`preview draws 2-D INRs with 1 or 3 outputs; this one maps ${spec.inputDim} → ${spec.outputDim}`);
  }
  const activation: Activation = { kind: 'sine', w0: spec.w0 };
  const grid = pixelGrid(size);
  const original = renderSiren(spec, inr.layers, grid);

  if (needsPartner(steps) && !partners) throw new UsageError(`${values.aug} needs a partner: pass --partner FILE|DATASET#ID (or preview a dataset INR)`);

  const cells = [{ pixels: original, caption: 'orig' }];
  const lines: string[] = [];
  for (let copy = 0; copy < copies; copy++) {
    const started = startCopy(steps, seed, parentId, copy, partners?.pool ?? []);
    const partner = started.partner === undefined ? undefined : await partners!.load(started.partner);
    let result;
    try {
      result = applySteps(steps, { example, partner, activation }, started.rng);
    } catch (e) {
      if (e instanceof AugmentError) throw new UsageError(`--aug: ${e.message}`);
      throw e;
    }
    const augmented = renderSiren(spec, result.example.network, grid);
    const reference = renderSiren(spec, inr.layers, mapPoints(chainInputWarp(steps, result.records, 2), grid));
    const error = maxAbsDifference(augmented, reference);
    cells.push({ pixels: augmented, caption: Number.isFinite(error) ? error.toExponential(1) : String(error) });
    const partnerNote = started.partner === undefined ? '' : ` (partner ${started.partner})`;
    lines.push(`copy ${copy}${partnerNote}: ${describeRecords(result.records)}  max|g(x) − f(Ax+t)| = ${error.toExponential(2)}`);
  }
  const image = composeGrid(cells, size, spec.outputDim);
  await writeFileAtomic(values.out, encodePng(image.pixels, image.layout.width, image.layout.height, spec.outputDim as 1 | 3));
  io.stdout(`${values.out}: original + ${copies} cop${copies === 1 ? 'y' : 'ies'} of ${values.in}, ${size}×${size} each`);
  for (const line of lines) io.stdout(line);
  return 0;
}
