/**
 * The preview panel's logic without the DOM (unit-tested in Node): the controls an augmentation's
 * parameter specs call for, reading a typed value back, restoring a saved selection against what the
 * host offers now, and drawing a new seed.
 */
import { describeRange, MAX_SEED, paramProblem, type AugmentationInfo, type InrEntry, type ParamSpec, type PreviewSelection } from '../../src/protocol/preview';

/** One parameter's slider + number field. */
export interface ParamControl {
  readonly name: string;
  readonly label: string;
  /** The spec's description and its range, for the tooltip. */
  readonly help: string;
  readonly min: number;
  readonly max: number;
  readonly step: number;
  readonly value: number;
  readonly integer: boolean;
}

/** Slider steps: 1 for integers, else a round fraction of the range (about 100 positions). */
export function stepFor(spec: ParamSpec): number {
  if (spec.integer) return 1;
  const span = spec.max - spec.min;
  if (!(span > 0)) return 1;
  const raw = span / 100;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const nice = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw)!;
  // Keep the default on the grid when it is not a multiple of the nice step (e.g. 0.05 on steps of 0.02).
  const offset = (spec.default - spec.min) / nice;
  return Math.abs(offset - Math.round(offset)) < 1e-9 ? nice : nice / 10;
}

/** The controls for `specs`, showing `values` where they are valid for the spec, else the defaults. */
export function paramControls(specs: readonly ParamSpec[], values: Readonly<Record<string, number>> = {}): ParamControl[] {
  return specs.map((spec) => {
    const given = Object.prototype.hasOwnProperty.call(values, spec.name) ? values[spec.name] : undefined;
    const value = given !== undefined && paramProblem(spec, given) === undefined ? given : spec.default;
    return {
      name: spec.name,
      label: spec.name,
      help: `${spec.description} (${describeRange(spec)}, default ${spec.default})`,
      min: spec.min,
      max: spec.max,
      step: stepFor(spec),
      value,
      integer: spec.integer === true,
    };
  });
}

/** A value typed into a parameter's field: the number, or why it is not valid for the spec. */
export function readParam(spec: ParamSpec, text: string): { readonly value: number } | { readonly problem: string } {
  const trimmed = text.trim();
  const value = trimmed === '' ? NaN : Number(trimmed);
  if (Number.isNaN(value)) return { problem: `${spec.name}: "${text}" is not a number` };
  const problem = paramProblem(spec, value);
  return problem ? { problem: `${spec.name} ${problem}` } : { value };
}

/** A seed typed by the user (an integer in [0, 2³² − 1]), or undefined. */
export function readSeed(text: string): number | undefined {
  const value = Number(text.trim());
  return text.trim() !== '' && Number.isInteger(value) && value >= 0 && value <= MAX_SEED ? value : undefined;
}

/** "Resample": a fresh seed from a uniform [0, 1) source. */
export function drawSeed(random: () => number): number {
  return Math.floor(random() * (MAX_SEED + 1)) % (MAX_SEED + 1);
}

/**
 * The selection to show: the saved one where the host still offers its INR, augmentation and partner
 * (parameters kept where still valid, the rest default), else the host's.
 */
export function restoreSelection(
  saved: PreviewSelection | undefined,
  offered: PreviewSelection,
  augmentations: readonly AugmentationInfo[],
  inrs: readonly InrEntry[],
): PreviewSelection {
  if (!saved) return offered;
  const augmentation = augmentations.find((a) => a.name === saved.augmentation);
  const known = (id: string) => inrs.some((i) => i.id === id);
  if (!augmentation || !known(saved.inrId)) return offered;
  return {
    inrId: saved.inrId,
    augmentation: augmentation.name,
    params: paramsFor(augmentation, saved.params),
    seed: readSeed(String(saved.seed)) ?? offered.seed,
    count: saved.count === 8 ? 8 : 1,
    partnerId: saved.partnerId !== null && known(saved.partnerId) && saved.partnerId !== saved.inrId ? saved.partnerId : null,
  };
}

/** Every parameter of `augmentation`: the valid ones of `values`, the others at their defaults. */
export function paramsFor(augmentation: AugmentationInfo, values: Readonly<Record<string, number>> = {}): Record<string, number> {
  return Object.fromEntries(paramControls(augmentation.params, values).map((c) => [c.name, c.value]));
}

/** What the function-preservation error is measured against. */
export function errorNote(warped: boolean): string {
  return warped ? 'max |g − f|: against the warped original f(A x + t), on the rendered grid' : 'max |g − f|: against the original f, on the rendered grid';
}

/** The error line under a sample: the number, and (unless `warped` is left out, as in the grid) what it was measured against. */
export function errorText(error: number | null, warped?: boolean): string {
  const value = error === null ? 'max |g − f| is not finite' : `max |g − f| = ${error.toExponential(2)}`;
  if (warped === undefined) return value;
  return `${value} (${warped ? 'against the warped original f(A x + t)' : 'against the original'})`;
}

/** The augmentations grouped as the paper's sections, for the picker. */
export function groupByKind(augmentations: readonly AugmentationInfo[]): { readonly label: string; readonly items: readonly AugmentationInfo[] }[] {
  const groups: [AugmentationInfo['kind'], string][] = [
    ['input-warp', 'Input warps (exact)'],
    ['exact-symmetry', 'Symmetries (exact)'],
    ['approximate', 'Approximate (noise, dropout, MixUp, …)'],
  ];
  return groups.map(([kind, label]) => ({ label, items: augmentations.filter((a) => a.kind === kind) })).filter((g) => g.items.length > 0);
}

/**
 * Where the augmentation picker's list should start when it opens: at the header of the selected
 * option's group (the list library scrolls the selected option itself to the top, hiding the header above
 * it), or further down when the group is too long for the selected option to be among the `visible` rows.
 * `isHeader` marks the group headers among the options; -1 (nothing selected) starts at the top.
 */
export function openScrollIndex(isHeader: readonly boolean[], selected: number, visible: number): number {
  if (selected < 0) return 0;
  let header = selected;
  while (header > 0 && !isHeader[header]) header--;
  return Math.max(header, selected - visible + 1);
}
