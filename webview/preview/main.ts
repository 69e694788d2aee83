/**
 * The augmentation preview panel's page: pick an INR (the host's list, or a file through the host's
 * dialog), an augmentation of the registry with controls made from its parameter specs, a seed; the host
 * renders and this page draws the original and augmented reconstructions side by side (or the grid of
 * 8), their weight heatmaps on one colour scale with the difference beside them, the function-preservation
 * error, and for MixUp the partner with the unaligned and the aligned mix. The controls every augmentation
 * shares come first and never move; what depends on the augmentation (its description, parameters,
 * partner) has its own box below them. The selection is saved with setState, so a panel that was hidden
 * comes back as it was.
 */
import {
  MAX_SEED,
  type AugmentationInfo,
  type HostToPreview,
  type InrEntry,
  type PreviewInitMessage,
  type PreviewRpc,
  type PreviewSelection,
  type PreviewToHost,
  type WireImage,
  type WireMatrix,
  type WirePreview,
  type WireSample,
} from '../../src/protocol/preview';
import { toErrorInfo } from '../../src/protocol/errorInfo';
import { decodeFloat32 } from '../../src/protocol/wire';
import { divergingScale, finiteRange, type ColourScale } from '../shared/colourScale';
import { clear, el } from '../shared/dom';
import { errorBox } from '../shared/errorBox';
import { drawHeatmap } from '../shared/heatmap';
import { createHostChannel } from '../shared/host';
import { drawGreyImage } from '../shared/image';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-radio/index.js';
import '@vscode-elements/elements/dist/vscode-radio-group/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { VscodeButton } from '@vscode-elements/elements/dist/vscode-button/vscode-button.js';
import { OPT_HEIGHT, VISIBLE_OPTS } from '@vscode-elements/elements/dist/includes/vscode-select/vscode-select-base.js';
import type { VscodeOption } from '@vscode-elements/elements/dist/vscode-option/vscode-option.js';
import type { VscodeSingleSelect } from '@vscode-elements/elements/dist/vscode-single-select/vscode-single-select.js';
import type { VscodeTextfield } from '@vscode-elements/elements/dist/vscode-textfield/vscode-textfield.js';
import { drawSeed, errorNote, errorText, groupByKind, openScrollIndex, paramControls, paramsFor, readParam, readSeed, restoreSelection } from './controls';

interface State {
  readonly selection: PreviewSelection;
}

const channel = createHostChannel<PreviewRpc, PreviewToHost, HostToPreview, State>();

/** How long the controls must be still before a render is asked for (a dragged slider asks once). */
const RENDER_DEBOUNCE_MS = 150;
/** Renders of 8 samples with weight matching can take a while on a busy machine. */
const RENDER_TIMEOUT_MS = 120_000;
/** The shortest side of a weight heatmap in CSS pixels: a 32×2 or 1×32 layer stays readable. */
const MIN_HEATMAP_SIDE = 24;
/** Under a warp that moves content: why the border of the copy may ring. */
const EXTRAPOLATION_NOTE =
  'Near the border the INR is evaluated outside the region it was fitted on (coordinates beyond [−1, 1]): ' +
  'what it shows there is the network extrapolating, not part of the image, so a moved copy may ring at its edges.';

let init: PreviewInitMessage | undefined;
let inrs: InrEntry[] = [];
let selection: PreviewSelection | undefined;
let latestRequest = 0;
let renderTimer: ReturnType<typeof setTimeout> | undefined;
/** In the grid, the sample whose weights the heatmaps compare with the original. */
let focused = 0;

const root = el('main', 'preview');
const heading = el('h1', 'preview-title', 'Augmentation preview');
const note = el('p', 'note');
note.hidden = true;
const form = el('form', 'controls');
form.setAttribute('aria-label', 'Preview settings');
const status = el('p', 'status', 'Waiting for the extension…');
status.setAttribute('role', 'status');
const results = el('section', 'results');
results.setAttribute('aria-label', 'Rendered preview');
root.append(heading, note, form, status, results);
document.body.append(root);

form.addEventListener('submit', (event) => event.preventDefault());

channel.onMessage((message) => {
  if (message.type === 'init') start(message);
});
channel.post({ type: 'ready' });

function start(message: PreviewInitMessage): void {
  init = message;
  inrs = [...message.inrs];
  heading.textContent = `Augmentation preview · ${message.title}`;
  note.textContent = message.note ?? '';
  note.hidden = message.note === null;
  selection = restoreSelection(channel.getState()?.selection, message.selection, message.augmentations, inrs);
  buildControls();
  requestRender(0);
}

function augmentationOf(name: string): AugmentationInfo {
  return init!.augmentations.find((a) => a.name === name)!;
}

function update(change: Partial<PreviewSelection>, rebuild = false): void {
  selection = { ...selection!, ...change };
  channel.setState({ selection });
  if (rebuild) buildControls();
  requestRender(RENDER_DEBOUNCE_MS);
}

// ── controls ──────────────────────────────────────────────────────────────────────────────────────
// The controls are @vscode-elements/elements components, which theme themselves from VS Code's variables;
// sliders stay native <input type=range> (the library has none).

function field(label: string, control: HTMLElement & { label: string }, id: string, help?: string): HTMLElement {
  const row = el('div', 'field');
  const caption = el('label', 'field-label', label);
  caption.htmlFor = id;
  control.id = id;
  control.label = label;
  row.append(caption, control);
  if (help) {
    const hint = el('p', 'field-help', help);
    row.append(hint);
  }
  return row;
}

function option(value: string, text: string, selected: boolean, description = ''): VscodeOption {
  const o = el('vscode-option', undefined, text);
  o.value = value;
  o.selected = selected;
  o.description = description;
  return o;
}

function button(text: string, className: string, onClick: () => void, secondary = false): VscodeButton {
  const b = el('vscode-button', className, text);
  b.secondary = secondary;
  b.addEventListener('click', onClick);
  return b;
}

/** A number field; `problem` shows why the typed text is not valid (an aria-live line under the field). */
function textfield(className: string, value: number, integer: boolean): VscodeTextfield {
  const t = el('vscode-textfield', className);
  // Non-integers are typed as text: a number input would flag every value off its step as invalid.
  t.type = integer ? 'number' : 'text';
  if (integer) t.step = 1;
  t.value = String(value);
  return t;
}

function problemLine(className: string): HTMLElement {
  const problem = el('span', className);
  problem.setAttribute('aria-live', 'polite');
  return problem;
}

function buildControls(): void {
  clear(form);
  const current = selection!;
  const augmentation = augmentationOf(current.augmentation);

  // The controls every augmentation shares, in one fixed order: they stay where they are when it changes.
  const inrSelect = el('vscode-single-select', 'inr-select');
  for (const inr of inrs) inrSelect.append(option(inr.id, inr.label, inr.id === current.inrId));
  inrSelect.addEventListener('change', () =>
    update({ inrId: inrSelect.value, partnerId: current.partnerId === inrSelect.value ? null : current.partnerId }, true),
  );
  const inrRow = field('INR', inrSelect, 'inr');
  inrRow.append(button('Open a file…', 'pick-file', () => void pickFile(), true));
  form.append(inrRow, augmentationField(current), seedField(current), viewField(current));

  // What depends on the augmentation has its own box below, so its size changes nothing above it.
  const params = el('fieldset', 'params');
  params.append(el('legend', undefined, augmentation.params.length > 0 ? 'Parameters' : 'Parameters: none'));
  params.append(el('p', 'field-help augmentation-about', `${augmentation.description}. Law: ${augmentation.law}`));
  for (const control of paramControls(augmentation.params, current.params)) params.append(paramRow(augmentation, control));
  if (augmentation.requiresPartner) {
    const partner = el('vscode-single-select', 'partner-select');
    partner.append(option('', '(drawn from the INR’s split, as wslab augment does)', current.partnerId === null));
    for (const inr of inrs) if (inr.id !== current.inrId) partner.append(option(inr.id, inr.label, inr.id === current.partnerId));
    partner.addEventListener('change', () => update({ partnerId: partner.value === '' ? null : partner.value }));
    params.append(field('MixUp partner', partner, 'partner'));
  }
  form.append(params);
}

/** The augmentation picker: the registry grouped by kind, opening at the selected one's group. */
function augmentationField(current: PreviewSelection): HTMLElement {
  // The list has no option groups: each group starts with a disabled header option.
  const augSelect = el('vscode-single-select', 'augmentation-select');
  const isHeader: boolean[] = [];
  for (const group of groupByKind(init!.augmentations)) {
    const header = option('', group.label, false);
    header.disabled = true;
    header.className = 'group-header';
    augSelect.append(header);
    isHeader.push(true);
    for (const a of group.items) {
      augSelect.append(option(a.name, a.name, a.name === current.augmentation, a.description));
      isHeader.push(false);
    }
  }
  augSelect.addEventListener('change', () => {
    const next = init!.augmentations.find((a) => a.name === augSelect.value);
    if (next) update({ augmentation: next.name, params: paramsFor(next) }, true);
  });
  openAtGroup(augSelect, isHeader);
  return field('Augmentation', augSelect, 'augmentation');
}

/**
 * On opening, the list library scrolls the selected option to the top, hiding its group's header above
 * it: once it has, scroll back up to the header. The library keeps the list's scroll position in a
 * private field its keyboard navigation also reads, so that field is what is set (nothing, if it is gone).
 */
function openAtGroup(select: VscodeSingleSelect, isHeader: readonly boolean[]): void {
  new MutationObserver(() => {
    if (!select.open) return;
    void select.updateComplete.then(() => {
      const list = select as unknown as { _optionListScrollPos?: unknown };
      if (typeof list._optionListScrollPos !== 'number') return;
      list._optionListScrollPos = openScrollIndex(isHeader, select.selectedIndex, VISIBLE_OPTS) * OPT_HEIGHT;
    });
  }).observe(select, { attributes: true, attributeFilter: ['open'] });
}

function seedField(current: PreviewSelection): HTMLElement {
  const seed = textfield('seed-input', current.seed, true);
  seed.min = 0;
  seed.max = MAX_SEED;
  const seedProblem = problemLine('seed-problem');
  seed.addEventListener('change', () => {
    const value = readSeed(seed.value);
    seed.invalid = value === undefined;
    seedProblem.textContent = value === undefined ? `a seed is an integer in [0, ${MAX_SEED}]` : '';
    if (value !== undefined) update({ seed: value });
  });
  const seedRow = field('Seed', seed, 'seed');
  seedRow.append(
    button('Resample', 'resample', () => {
      const next = drawSeed(() => crypto.getRandomValues(new Uint32Array(1))[0]! / 2 ** 32);
      seed.value = String(next);
      seed.invalid = false;
      seedProblem.textContent = '';
      update({ seed: next });
    }),
    seedProblem,
  );
  return seedRow;
}

function viewField(current: PreviewSelection): HTMLElement {
  const view = el('div', 'field view-toggle');
  const viewLabel = el('span', 'field-label', 'Samples');
  viewLabel.id = 'view-label';
  const choice = el('vscode-radio-group', 'view-choice');
  choice.setAttribute('aria-labelledby', 'view-label');
  for (const [count, text, className] of [
    [1, 'Side by side', 'view-single'],
    [8, 'Grid of 8', 'view-grid'],
  ] as const) {
    const radio = el('vscode-radio', className, text);
    radio.name = 'view';
    radio.value = String(count);
    radio.checked = current.count === count;
    radio.addEventListener('change', () => {
      if (radio.checked && selection!.count !== count) update({ count }, true);
    });
    choice.append(radio);
  }
  view.append(viewLabel, choice);
  return view;
}

function paramRow(augmentation: AugmentationInfo, control: ReturnType<typeof paramControls>[number]): HTMLElement {
  const spec = augmentation.params.find((p) => p.name === control.name)!;
  const row = el('div', 'param');
  row.dataset.param = control.name;
  row.title = control.help;
  const slider = el('input', 'param-slider');
  slider.type = 'range';
  slider.min = String(control.min);
  slider.max = String(control.max);
  slider.step = String(control.step);
  slider.value = String(control.value);
  // Sliders snap to their step; the field takes any valid value (e.g. a default off the grid).
  const number = textfield('param-value', control.value, control.integer);
  if (control.integer) {
    number.min = control.min;
    number.max = control.max;
  }
  const id = `param-${control.name}`;
  const label = el('label', 'param-label', control.label);
  label.htmlFor = id;
  number.id = id;
  number.label = control.label;
  slider.setAttribute('aria-label', control.label);
  const problem = problemLine('param-problem');
  const apply = (text: string, from: 'slider' | 'field') => {
    const read = readParam(spec, text);
    if ('problem' in read) {
      problem.textContent = read.problem;
      number.invalid = true;
      return;
    }
    problem.textContent = '';
    number.invalid = false;
    if (from !== 'field') number.value = String(read.value);
    if (from !== 'slider') slider.value = String(read.value);
    update({ params: { ...selection!.params, [control.name]: read.value } });
  };
  slider.addEventListener('input', () => apply(slider.value, 'slider'));
  number.addEventListener('change', () => apply(number.value, 'field'));
  row.append(label, slider, number, problem);
  row.append(el('p', 'field-help', control.help));
  return row;
}

async function pickFile(): Promise<void> {
  const reply = await channel.request('pickFile', {}, 10 * 60_000).catch(() => undefined);
  if (!reply) return;
  inrs = [...reply.inrs];
  if (reply.picked !== null) update({ inrId: reply.picked, partnerId: null }, true);
}

// ── rendering ─────────────────────────────────────────────────────────────────────────────────────

function requestRender(delayMs: number): void {
  clearTimeout(renderTimer);
  renderTimer = setTimeout(() => void render(), delayMs);
}

async function render(): Promise<void> {
  const current = selection!;
  const request = ++latestRequest;
  status.textContent = current.count === 8 ? 'Rendering 8 samples…' : 'Rendering…';
  root.setAttribute('aria-busy', 'true');
  let preview: WirePreview;
  try {
    preview = await channel.request('render', current, RENDER_TIMEOUT_MS);
  } catch (e) {
    const error = toErrorInfo(e, '');
    if (request !== latestRequest || error.code === 'superseded') return; // a newer request is on its way
    root.removeAttribute('aria-busy');
    status.textContent = 'The preview could not be rendered.';
    clear(results);
    results.append(errorBox(error, 'Could not render the preview'));
    results.dataset.state = 'error';
    return;
  }
  if (request !== latestRequest) return; // a newer request is on its way
  root.removeAttribute('aria-busy');
  focused = Math.min(focused, preview.samples.length - 1);
  status.textContent = `${preview.samples.length === 1 ? 'One sample' : `${preview.samples.length} samples`} of ${preview.selection.augmentation}, seed ${preview.selection.seed}, rendered at ${preview.size}×${preview.size} in ${preview.elapsedMs} ms.`;
  drawPreview(preview);
}

/** Grey pixels of an image with 1 or 3 channels (colour INRs are shown as the mean of their channels). */
function greyPixels(image: WireImage, channels: number): Float32Array {
  const pixels = decodeFloat32(image.pixels);
  if (channels === 1) return pixels;
  const grey = new Float32Array(pixels.length / channels);
  for (let p = 0; p < grey.length; p++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += pixels[p * channels + c]!;
    grey[p] = sum / channels;
  }
  return grey;
}

function figure(preview: WirePreview, image: WireImage, caption: string, scale: number, kind: string): HTMLElement {
  const fig = el('figure', `image ${kind}`);
  const canvas = el('canvas', 'reconstruction');
  drawGreyImage(canvas, greyPixels(image, preview.channels), preview.size, preview.size, scale);
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', caption);
  fig.append(canvas, el('figcaption', undefined, caption));
  return fig;
}

function sampleFigure(preview: WirePreview, sample: WireSample, caption: string, scale: number, kind: string, short = false): HTMLElement {
  const fig = figure(preview, sample, caption, scale, kind);
  const error = el('p', 'error-value', short ? errorText(sample.error) : errorText(sample.error, preview.warped));
  error.dataset.error = sample.error === null ? 'NaN' : String(sample.error);
  const drawn = el('p', 'drawn', sample.description);
  drawn.title = sample.description;
  fig.append(error, drawn);
  return fig;
}

function drawPreview(preview: WirePreview): void {
  clear(results);
  results.dataset.state = 'rendered';
  const grid = preview.samples.length > 1;
  const images = el('div', grid ? 'images grid' : 'images side-by-side');
  const scale = grid ? 1.5 : 3;
  images.append(figure(preview, preview.original, 'Original', scale, 'original'));
  preview.samples.forEach((sample, k) => {
    const partner = sample.partner === null ? '' : ` · partner ${sample.partner}`;
    const fig = sampleFigure(preview, sample, grid ? `Sample ${k + 1}${partner}` : `Augmented${partner}`, scale, 'augmented', grid);
    if (grid) {
      fig.tabIndex = 0;
      fig.classList.toggle('focused', k === focused);
      fig.setAttribute('aria-label', `Sample ${k + 1}: compare its weights`);
      const choose = () => {
        focused = k;
        drawPreview(preview);
      };
      fig.addEventListener('click', choose);
      fig.addEventListener('keydown', (event) => {
        if (event.key === 'Enter' || event.key === ' ') choose();
      });
    }
    images.append(fig);
  });
  if (grid) results.append(el('p', 'error-note', errorNote(preview.warped)));
  results.append(images);
  // Input warps evaluate the INR at A x + t, which leaves [−1, 1] near the border (translate, rotate, scale).
  if (preview.warped) results.append(el('p', 'extrapolation-note', EXTRAPOLATION_NOTE));
  const sample = preview.samples[focused]!;
  results.append(
    heatmaps(
      `Weights: original vs ${grid ? `sample ${focused + 1}` : 'augmented'}, and their difference`,
      [
        ['original', preview.original.weights],
        [grid ? `sample ${focused + 1}` : 'augmented', sample.weights],
      ],
      true,
    ),
  );
  if (preview.mix) results.append(mixSection(preview));
}

function mixSection(preview: WirePreview): HTMLElement {
  const mix = preview.mix!;
  const section = el('section', 'mix');
  section.append(el('h2', undefined, `MixUp with ${mix.partner}: unaligned vs aligned (α = ${mix.alpha.toFixed(3)})`));
  const row = el('div', 'images side-by-side');
  row.append(
    figure(preview, preview.original, 'Original (a)', 2, 'original'),
    figure(preview, mix.partnerImage, `Partner (b) ${mix.partner}`, 2, 'partner'),
    sampleFigure(preview, mix.unaligned, 'α·a + (1 − α)·b, unaligned', 2, 'mix-unaligned'),
    sampleFigure(preview, mix.aligned, 'α·a + (1 − α)·P(b), b aligned by weight matching', 2, 'mix-aligned'),
  );
  section.append(row);
  section.append(
    heatmaps('Weights of the mixes', [
      ['unaligned', mix.unaligned.weights],
      ['aligned', mix.aligned.weights],
    ]),
  );
  return section;
}

/**
 * Layer by layer, the matrices of each column side by side on one colour scale per layer; with
 * `difference`, then the second column minus the first on its own scale centred at 0.
 */
function heatmaps(title: string, columns: readonly (readonly [string, readonly WireMatrix[]])[], difference = false): HTMLElement {
  const section = el('section', 'heatmaps');
  section.append(el('h2', undefined, title));
  const rows = el('div', 'heatmap-rows');
  section.append(rows);
  const layers = columns[0]![1].length;
  for (let l = 0; l < layers; l++) {
    const decoded = columns.map(([name, ms]) => [name, ms[l]!, decodeFloat32(ms[l]!.values)] as const);
    const ranges = decoded.map(([, , v]) => finiteRange(v));
    const scale = divergingScale(Math.min(...ranges.map((r) => r.min)), Math.max(...ranges.map((r) => r.max)));
    const row = el('div', 'heatmap-row');
    row.dataset.layer = String(l);
    for (const [name, m, values] of decoded) {
      drawHeatmap(row, { rows: m.rows, cols: m.cols, values }, { title: `W${l} ${name} (${shapeOf(m)})`, scale, maxSize: 220, minSize: MIN_HEATMAP_SIDE });
    }
    if (difference) differenceHeatmap(row, l, decoded[0]!, decoded[1]!);
    rows.append(row);
  }
  return section;
}

/** A layer's shape, and the size it is shown at when the host reduced it. */
function shapeOf(m: WireMatrix): string {
  return m.rows === m.outFeatures && m.cols === m.inFeatures
    ? `${m.outFeatures}×${m.inFeatures}`
    : `${m.outFeatures}×${m.inFeatures}, shown ${m.rows}×${m.cols}`;
}

type Column = readonly [string, WireMatrix, Float32Array];

/**
 * `after − before` of one layer, cell by cell, on a diverging scale over ±max|difference| (what did the
 * augmentation change, and how much); the figure carries data-max-abs. An all-zero difference is drawn
 * in the neutral colour with a legend of 0.
 */
function differenceHeatmap(row: HTMLElement, layer: number, [beforeName, m, before]: Column, [afterName, , after]: Column): void {
  const values = after.map((v, i) => v - before[i]!);
  const range = finiteRange(values);
  const maxAbs = Math.max(Math.abs(range.min), Math.abs(range.max));
  const scale: ColourScale = maxAbs > 0 ? divergingScale(-maxAbs, maxAbs) : { ...divergingScale(0, 0), min: 0, max: 0 };
  const figure = drawHeatmap(
    row,
    { rows: m.rows, cols: m.cols, values },
    { title: `W${layer} ${afterName} − ${beforeName} (${shapeOf(m)})`, scale, maxSize: 220, minSize: MIN_HEATMAP_SIDE },
  );
  figure.classList.add('difference');
  figure.dataset.maxAbs = String(maxAbs);
}
