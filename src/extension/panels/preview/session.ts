/**
 * The host side of one augmentation preview panel, without `vscode` (panel.ts wires it to a
 * webview and a render thread; tests drive it with fakes). It owns the INR list — ids the webview may
 * name, each mapped here to a dataset item or a file the user picked in the host's dialog — and turns
 * every webview message into an answer: each one is checked by parsePreviewMessage, ids are looked up
 * in the list, the augmentation in the registry and its parameters by the augmentation's own parser.
 * Requests are PREVIEW_RPC's (rpc.ts: a bad one is answered with the error naming the problem).
 * Renders go to the thread one at a time; a request that is still waiting when a newer one arrives fails
 * with code superseded (a dragged slider asks many times, only the last answer matters).
 */
import { basename } from 'node:path';
import { AugmentError } from '../../../core/augment/params';
import { parseAugmentations } from '../../../core/augment/parse';
import { AUGMENTATIONS, findAugmentation } from '../../../core/augment/registry';
import { readDatasetSettings, readManifest } from '../../../core/dataset/manifest';
import { UserError } from '../../userError';
import {
  parsePreviewMessage,
  PREVIEW_RPC,
  type AugmentationInfo,
  type HostToPreview,
  type InrEntry,
  type PickedFile,
  type PreviewRpc,
  type PreviewSelection,
  type PreviewThreadRequest,
  type WirePreview,
} from '../../../protocol/preview';
import type { ErrorInfo } from '../../../protocol/errorInfo';
import { RpcServer, type ParamsOf, type RpcReply } from '../../../protocol/rpc';
import { LabError, RemoteError, toErrorInfo } from '../../../core/labError';

/** An entry of the list with what the webview never sees: where the INR is. */
export interface InrSource extends InrEntry {
  /** DATASET#ID or a weight file's absolute path. */
  readonly target: string;
  /** A file picked in the dialog: it has no split to draw a MixUp partner from. */
  readonly fromFile?: boolean;
}

export interface PreviewHost {
  post(message: HostToPreview | RpcReply): void;
  /** Renders on the thread; rejects with the typed error of a render that failed. */
  render(request: PreviewThreadRequest): Promise<WirePreview>;
  /** The host's open dialog for a weight file; undefined when cancelled. */
  pickFile(): Promise<string | undefined>;
  log(line: string): void;
}

export interface PreviewSessionOptions {
  readonly title: string;
  readonly inrs: readonly InrSource[];
  readonly selection: PreviewSelection;
  readonly note?: string;
  /** Rendering size in pixels (square). */
  readonly size: number;
}

/** What the last finished render gave (the command returns this to tests through the panel). */
export type RenderOutcome = { readonly ok: true; readonly preview: WirePreview } | { readonly ok: false; readonly error: ErrorInfo };

/** The registry as the webview builds its controls from it. */
export function augmentationInfos(): AugmentationInfo[] {
  return AUGMENTATIONS.map((a) => ({
    name: a.name,
    description: a.description,
    law: a.law,
    kind: a.kind,
    requiresPartner: a.requires.includes('partner'),
    params: a.params.map((p) => ({ ...p })),
  }));
}

/**
 * What the list calls a dataset's INR: its id, its class and its split, e.g. "img409-v0 · label 0 (train)".
 * The class is its name where the dataset names its classes ("img7-v0 · Sandal (test)"); names that are
 * only the label's number (MNIST's "0" … "9") read "label N", so a bare digit is not mistaken for an index.
 */
export function inrLabel(id: string, label: number, split: string, classes: readonly string[]): string {
  const name = classes[label];
  const named = name !== undefined && name !== '' && name !== String(label);
  return `${id} · ${named ? name : `label ${label}`} (${split})`;
}

/** The list for a dataset: every finished INR, labelled with its class and split. */
export async function datasetInrs(dir: string): Promise<InrSource[]> {
  const [settings, manifest] = await Promise.all([readDatasetSettings(dir), readManifest(dir)]);
  const classes = settings.source.classes;
  return manifest.items.map((item) => ({ id: item.id, label: inrLabel(item.id, item.label, item.split, classes), target: `${dir}#${item.id}` }));
}

/** The defaults: the first INR, the registry's first augmentation with its default parameters, seed 0, one sample. */
export function defaultSelection(inrId: string): PreviewSelection {
  const first = AUGMENTATIONS[0]!;
  return { inrId, augmentation: first.name, params: first.resolve({}), seed: 0, count: 1, partnerId: null };
}

/** The command's arguments that choose what the panel starts with (commands/preview.ts PreviewArgs). */
export interface StartArgs {
  readonly dataset?: string;
  readonly id?: string;
  /** `name[:k=v,…]`; of a chain, the panel shows the first step. */
  readonly aug?: string;
  /** 1: one sample; more: the grid of 8. */
  readonly copies?: number;
  readonly seed?: number;
}

/** The panel's starting selection from the command's arguments (UserError for a bad one); a note when part of a chain is left out. */
export function selectionFromArgs(inrs: readonly InrEntry[], given: StartArgs | undefined): { selection: PreviewSelection; note?: string } {
  const base = defaultSelection(inrs[0]!.id);
  if (!given) return { selection: base };
  if (given.id !== undefined && !inrs.some((i) => i.id === given.id))
    throw new UserError(`${given.dataset ?? 'the dataset'}: no INR with id "${given.id}" in its manifest`);
  if (given.seed !== undefined && !(Number.isInteger(given.seed) && given.seed >= 0 && given.seed <= 2 ** 32 - 1))
    throw new UserError(`seed must be an integer in [0, 4294967295], got ${given.seed}`);
  let steps;
  try {
    steps = given.aug === undefined ? undefined : parseAugmentations(given.aug);
  } catch (e) {
    if (e instanceof AugmentError) throw new UserError(`aug: ${e.message}`);
    throw e;
  }
  const first = steps?.[0];
  const selection: PreviewSelection = {
    ...base,
    inrId: given.id ?? base.inrId,
    ...(first ? { augmentation: first.augmentation.name, params: first.params } : {}),
    seed: given.seed ?? base.seed,
    count: given.copies === undefined || given.copies <= 1 ? 1 : 8,
  };
  const note =
    steps && steps.length > 1
      ? `The panel previews one augmentation at a time: showing ${first!.augmentation.name}, the first step of ${given.aug}.`
      : undefined;
  return { selection, ...(note ? { note } : {}) };
}

type RenderParams = ParamsOf<PreviewRpc, 'render'>;

export class PreviewSession {
  private readonly inrs: InrSource[];
  private nextFile = 1;
  private rendering = false;
  private waiting: { thread: PreviewThreadRequest; resolve(preview: WirePreview): void; reject(error: Error): void } | undefined;
  private readonly renderListeners: ((outcome: RenderOutcome) => void)[] = [];
  private last: RenderOutcome | undefined;
  private disposed = false;
  private readonly rpc = new RpcServer(
    PREVIEW_RPC,
    { render: (p) => this.render(p), pickFile: () => this.pickFile() },
    (reply) => this.send(reply),
    '',
    (why) => this.host.log(`preview panel: refused a message from the webview: ${why}`),
  );

  constructor(
    private readonly host: PreviewHost,
    private readonly options: PreviewSessionOptions,
  ) {
    this.inrs = [...options.inrs];
  }

  dispose(): void {
    this.disposed = true;
  }

  /** Resolves with the next render's outcome, or the last one when a render already finished. */
  whenRendered(): Promise<RenderOutcome> {
    if (this.last) return Promise.resolve(this.last);
    return new Promise((resolve) => this.renderListeners.push(resolve));
  }

  /** The next render's outcome, ignoring earlier ones. */
  nextRender(): Promise<RenderOutcome> {
    return new Promise((resolve) => this.renderListeners.push(resolve));
  }

  /** Handles one message from the webview; never throws. */
  async handle(value: unknown): Promise<void> {
    if (await this.rpc.receive(value)) return;
    try {
      parsePreviewMessage(value); // `ready`, the only notice
    } catch (e) {
      this.host.log(`preview panel: refused a message from the webview: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    this.send({
      type: 'init',
      title: this.options.title,
      augmentations: augmentationInfos(),
      inrs: this.entries(),
      selection: this.options.selection,
      note: this.options.note ?? null,
    });
  }

  private entries(): InrEntry[] {
    return this.inrs.map(({ id, label }) => ({ id, label }));
  }

  private source(id: string, field: string): InrSource {
    const found = this.inrs.find((i) => i.id === id);
    if (!found) throw new LabError('invalid-request', `${field} "${id.length > 60 ? `${id.slice(0, 60)}…` : id}" is not in this panel's list of INRs`);
    return found;
  }

  /** The thread request for a checked render request; throws a LabError (an unknown INR, a bad augmentation). */
  private threadRequest(request: RenderParams): PreviewThreadRequest {
    const inr = this.source(request.inrId, 'inrId');
    const partner = request.partnerId === null ? null : this.source(request.partnerId, 'partnerId');
    const augmentation = findAugmentation(request.augmentation);
    if (!augmentation) throw new AugmentError(`unknown augmentation "${request.augmentation}"; known: ${AUGMENTATIONS.map((a) => a.name).join(', ')}`);
    const params = augmentation.resolve(request.params);
    if (inr.fromFile && partner === null && augmentation.requires.includes('partner')) {
      throw new AugmentError(`${augmentation.name} needs a partner: pick one under "MixUp partner" (an INR from a file has no split to draw one from)`);
    }
    const selection: PreviewSelection = {
      inrId: inr.id,
      augmentation: augmentation.name,
      params,
      seed: request.seed,
      count: request.count,
      partnerId: partner?.id ?? null,
    };
    return { target: inr.target, partnerTarget: partner?.target ?? null, selection, size: this.options.size };
  }

  private render(request: RenderParams): Promise<WirePreview> {
    let thread;
    try {
      thread = this.threadRequest(request);
    } catch (e) {
      if (e instanceof LabError) this.settled({ ok: false, error: toErrorInfo(e, '') });
      return Promise.reject(e);
    }
    return new Promise((resolve, reject) => {
      this.waiting?.reject(new LabError('superseded', 'a newer render was requested'));
      this.waiting = { thread, resolve, reject };
      void this.pump();
    });
  }

  private async pump(): Promise<void> {
    if (this.rendering || !this.waiting) return;
    const { thread, resolve, reject } = this.waiting;
    this.waiting = undefined;
    this.rendering = true;
    try {
      const preview = await this.host.render(thread);
      resolve(preview);
      this.settled({ ok: true, preview });
    } catch (e) {
      const error = toErrorInfo(e, thread.target);
      reject(new RemoteError(error));
      this.settled({ ok: false, error });
    } finally {
      this.rendering = false;
    }
    void this.pump();
  }

  private async pickFile(): Promise<PickedFile> {
    let path;
    try {
      path = await this.host.pickFile();
    } catch (e) {
      throw new Error(`the file dialog failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    let picked: string | null = null;
    if (path !== undefined) {
      const existing = this.inrs.find((i) => i.target === path);
      picked = existing?.id ?? `file-${this.nextFile++}`;
      if (!existing) this.inrs.push({ id: picked, label: `${basename(path)} (file)`, target: path, fromFile: true });
    }
    return { inrs: this.entries(), picked };
  }

  private settled(outcome: RenderOutcome): void {
    this.last = outcome;
    for (const listener of this.renderListeners.splice(0)) listener(outcome);
  }

  private send(message: HostToPreview | RpcReply): void {
    if (!this.disposed) this.host.post(message);
  }
}
