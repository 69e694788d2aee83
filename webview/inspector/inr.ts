/**
 * The INR section, shown when the file holds MLPs with 2-D input: the selected INR rendered live by the
 * host at the chosen resolution, with its label when the file or its dataset says it; for a dataset
 * shard (or any file with several), a strip of thumbnails (28×28, loaded a page at a time) to browse its INRs.
 * The section folds (a <details>, open at first), and the image is shown about 128 CSS pixels wide beside
 * the thumbnails, so that the tensor table below still starts on the first screen.
 */
import { DEFAULT_VIEW, type InrCatalog, type InrView as InrShown, type InspectorRpc, type WireReconstruction } from '../../src/protocol';
import { toErrorInfo } from '../../src/protocol/errorInfo';
import type { ParamsOf } from '../../src/protocol/rpc';
import { decodeFloat32 } from '../../src/protocol/wire';
import { el } from '../shared/dom';
import { drawGreyImage } from '../shared/image';
import { actionButton } from '../shared/controls/button';
import { singleSelect } from '../shared/controls/select';

export const RESOLUTIONS = [28, 64, 128, 256] as const;
const THUMBNAIL_RESOLUTION = 28;
const THUMBNAILS_PER_PAGE = 24;
/** Images are shown about this many CSS pixels wide (by default; the diff asks for its own size). */
const DISPLAY_SIZE = 256;
/** The inspector's own reconstruction: small enough to leave the first screen to the table. */
const INR_DISPLAY_SIZE = 128;

export type ReconstructRequester = (params: ParamsOf<InspectorRpc, 'reconstruct'>) => Promise<WireReconstruction>;

/** Draws a reconstruction: greyscale for one channel, colour for three (values clamped to [0, 1]). */
export function drawReconstruction(canvas: HTMLCanvasElement, r: WireReconstruction, displaySize = DISPLAY_SIZE): void {
  const pixels = decodeFloat32(r.pixels);
  const scale = Math.max(1, Math.floor(displaySize / r.width));
  canvas.dataset.width = String(r.width);
  canvas.dataset.index = String(r.index);
  if (r.channels === 1) {
    drawGreyImage(canvas, pixels, r.width, r.height, scale);
    return;
  }
  // More than one output: the first three as RGB (a grey image of each would hide how they combine).
  canvas.width = r.width;
  canvas.height = r.height;
  canvas.classList.add('grey-image');
  canvas.style.width = `${r.width * scale}px`;
  canvas.style.height = `${r.height * scale}px`;
  const context = canvas.getContext('2d');
  if (!context) return;
  const image = context.createImageData(r.width, r.height);
  for (let p = 0; p < r.width * r.height; p++) {
    for (let c = 0; c < 3; c++) {
      const v = pixels[p * r.channels + Math.min(c, r.channels - 1)]!;
      image.data[p * 4 + c] = Number.isFinite(v) ? Math.round(Math.min(1, Math.max(0, v)) * 255) : c === 1 ? 0 : 255;
    }
    image.data[p * 4 + 3] = 255;
  }
  context.putImageData(image, 0, 0);
}

/** What a failed request says, e.g. "truncated: ends early". */
export function failureText(e: unknown): string {
  const error = toErrorInfo(e, '');
  return `${error.code}: ${error.message}`;
}

export interface InrViewState {
  readonly index: number;
  readonly resolution: number;
  /** How a 3-D INR is shown (absent in states saved before there were 3-D INRs). */
  readonly view?: InrShown;
}

const VIEW_CHOICES = [
  ['surface', 'Surface'],
  ['x', 'Slice x'],
  ['y', 'Slice y'],
  ['z', 'Slice z'],
] as const;

/** What a 3-D view shows, in words: "surface, azimuth 35°, elevation 25°" or "slice z = 0.25". */
export function viewText(view: InrShown): string {
  return view.kind === 'surface' ? `surface, azimuth ${view.azimuth}°, elevation ${view.elevation}°` : `slice ${view.axis} = ${view.at}`;
}

export class InrView {
  readonly element = el('details', 'inr');
  private readonly canvas = el('canvas', 'reconstruction');
  private readonly caption = el('p', 'inr-label');
  private readonly status = el('p', 'status');
  private readonly strip = el('div', 'thumbnails');
  /** A 3-D INR (3 inputs, a signed distance): shown as a surface or a slice, with controls for either. */
  private readonly is3d: boolean;
  private readonly viewControls = el('div', 'view-controls');
  private state: InrViewState;
  private shownThumbnails = 0;
  /** Counts renders: a slow answer for an older choice is dropped. */
  private generation = 0;

  constructor(
    private readonly catalog: InrCatalog,
    initial: InrViewState,
    private readonly request: ReconstructRequester,
    private readonly onChange: (state: InrViewState, name: string) => void,
  ) {
    this.is3d = catalog.widths[0] === 3;
    this.state = { index: Math.min(initial.index, catalog.names.length - 1), resolution: initial.resolution, view: initial.view ?? DEFAULT_VIEW };
    this.element.setAttribute('aria-label', 'INR reconstruction');
    const count = catalog.names.length;
    this.element.open = true;
    const heading = el('h2', undefined, catalog.kind === 'shard' ? `INRs (${count} in this shard)` : count > 1 ? `INRs (${count})` : 'Reconstruction');
    const widths = el('p', 'status', `SIREN ${catalog.widths.join(' → ')}`);
    const select = singleSelect(
      'resolution',
      'Resolution',
      RESOLUTIONS.map((r) => [String(r), `${r}×${r}`] as const),
      String(this.state.resolution),
      (value) => {
        this.state = { ...this.state, resolution: Number(value) };
        this.onChange(this.state, this.currentName());
        void this.render();
      },
    );
    const controls = el('div', 'inr-controls');
    const label = el('label', undefined, 'Resolution ');
    label.append(select);
    controls.append(label, widths);
    if (this.is3d) {
      const view = this.state.view!;
      const kind = singleSelect('view', 'View', VIEW_CHOICES, view.kind === 'surface' ? 'surface' : view.axis, (value) => {
        this.setView(value === 'surface' ? DEFAULT_VIEW : { kind: 'slice', axis: value as 'x' | 'y' | 'z', at: 0 });
        this.showViewControls();
      });
      const viewLabel = el('label', undefined, 'View ');
      viewLabel.append(kind);
      controls.append(viewLabel, this.viewControls);
      this.showViewControls();
    }
    const figure = el('figure', 'inr-figure');
    figure.append(this.canvas, this.caption);
    this.canvas.setAttribute('role', 'img');
    const summary = el('summary', 'inr-summary');
    summary.append(heading);
    const body = el('div', 'inr-body');
    body.append(figure);
    this.element.append(summary, controls, body, this.status);
    if (count > 1) {
      this.strip.setAttribute('role', 'list');
      body.append(this.strip);
      void this.loadThumbnails();
    }
    void this.render();
  }

  private setView(view: InrShown): void {
    this.state = { ...this.state, view };
    this.onChange(this.state, this.currentName());
    void this.render();
  }

  /** Sliders for the current view: the camera's azimuth and elevation, or the slice's position. */
  private showViewControls(): void {
    const view = this.state.view!;
    const slider = (name: string, text: string, min: number, max: number, step: number, value: number, set: (v: number) => InrShown) => {
      const input = el('input', `view-${name}`);
      input.type = 'range';
      Object.assign(input, { min: String(min), max: String(max), step: String(step), value: String(value) });
      input.setAttribute('aria-label', text);
      input.addEventListener('change', () => this.setView(set(Number(input.value))));
      const label = el('label', 'view-slider', `${text} `);
      label.append(input);
      return label;
    };
    if (view.kind === 'surface') {
      this.viewControls.replaceChildren(
        slider('azimuth', 'Azimuth', -180, 180, 5, view.azimuth, (azimuth) => ({ ...(this.state.view as typeof view), azimuth })),
        slider('elevation', 'Elevation', -85, 85, 5, view.elevation, (elevation) => ({ ...(this.state.view as typeof view), elevation })),
      );
    } else {
      this.viewControls.replaceChildren(slider('at', 'Position', -1, 1, 0.05, view.at, (at) => ({ ...(this.state.view as typeof view), at })));
    }
  }

  currentName(): string {
    return this.catalog.names[this.state.index]!;
  }

  choose(index: number): void {
    this.state = { ...this.state, index };
    for (const button of this.strip.querySelectorAll('button.thumbnail')) {
      button.setAttribute('aria-pressed', String((button as HTMLElement).dataset.index === String(index)));
    }
    this.onChange(this.state, this.currentName());
    void this.render();
  }

  private async render(): Promise<void> {
    const generation = ++this.generation;
    const { index, resolution } = this.state;
    this.status.textContent = `Rendering ${this.currentName()} at ${resolution}×${resolution}…`;
    let r: WireReconstruction;
    try {
      r = await this.request({ source: 'file', index, resolution, view: this.is3d ? this.state.view! : null });
    } catch (e) {
      if (generation !== this.generation) return;
      this.status.textContent = `Could not render: ${failureText(e)}`;
      this.status.classList.add('error-text');
      return;
    }
    if (generation !== this.generation) return;
    drawReconstruction(this.canvas, r, INR_DISPLAY_SIZE);
    this.canvas.setAttribute('aria-label', `${r.name} rendered at ${r.width}×${r.height}`);
    // A file that is one INR has no name worth showing (its layer family); a shard's INRs have ids.
    const name = this.catalog.names.length > 1 ? r.name : '';
    const label = r.label !== null ? `label ${r.label}` : 'no label in the file';
    const shown = this.is3d ? ` · ${viewText(this.state.view!)}` : '';
    this.caption.textContent = (name ? `${name} · ${label}` : label) + shown;
    this.status.textContent = '';
    this.status.classList.remove('error-text');
  }

  /** The next page of thumbnails, fetched one after another (the worker renders one at a time anyway). */
  private async loadThumbnails(): Promise<void> {
    this.strip.querySelector('vscode-button.more')?.remove();
    const end = Math.min(this.catalog.names.length, this.shownThumbnails + THUMBNAILS_PER_PAGE);
    const buttons: [number, HTMLButtonElement, HTMLCanvasElement][] = [];
    for (let i = this.shownThumbnails; i < end; i++) {
      const button = el('button', 'thumbnail');
      button.type = 'button';
      button.dataset.index = String(i);
      button.title = this.catalog.names[i]!;
      button.setAttribute('role', 'listitem');
      button.setAttribute('aria-pressed', String(i === this.state.index));
      const canvas = el('canvas');
      button.append(canvas, el('span', 'thumbnail-name', this.catalog.names[i]!));
      button.addEventListener('click', () => this.choose(i));
      this.strip.append(button);
      buttons.push([i, button, canvas]);
    }
    this.shownThumbnails = end;
    if (end < this.catalog.names.length) {
      const more = actionButton('more', `Show ${Math.min(THUMBNAILS_PER_PAGE, this.catalog.names.length - end)} more`, () => void this.loadThumbnails(), true);
      this.strip.append(more);
    }
    for (const [index, button, canvas] of buttons) {
      const r = await this.request({ source: 'file', index, resolution: THUMBNAIL_RESOLUTION, view: null }).catch(() => undefined);
      if (r) {
        drawReconstruction(canvas, r, 56);
        if (r.label !== null) button.title = `${r.name} · label ${r.label}`;
      } else button.classList.add('failed');
    }
  }
}
