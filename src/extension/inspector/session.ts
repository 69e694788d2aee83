/**
 * One open inspector's logic, without VS Code (tests drive it in plain Node): it reads every webview
 * message through parseInspectorMessage (anything malformed is dropped), pushes the file's header on
 * `ready`/`refresh` (read here, in the host: only the header, so the table shows at once), and answers
 * each request with one reply carrying its `replyTo` — the worker thread's result, or `failed` with the
 * typed error. inspectorEditor.ts wires it to a webview panel, the file watcher and the open dialog.
 */
import { toErrorInfo } from '../../core/labError';
import { inspectHeader } from '../../core/inspect/header';
import type { DiffReport, InspectHeader, Reconstruction, TensorStats } from '../../core/inspect/reportTypes';
import type { TensorValues } from '../../core/inspect/tensorValues';
import { openWeightFile } from '../../core/formats/registry';
import {
  isInspectorRequest,
  parseInspectorMessage,
  toWireReconstruction,
  toWireValues,
  type HostToInspector,
  type InspectorReply,
  type InspectorRequest,
} from '../../protocol';
import { InspectRequestError, InspectWorkerClient } from './workerClient';

export interface InspectorHost {
  /** Delivers a message to the webview (dropped when it is gone). */
  post(message: HostToInspector): void;
  /** Asks the user for the file to diff against (the host's own dialog); undefined when cancelled. */
  pickFile(): Promise<string | undefined>;
}

/** The file's header message, or its typed error; never throws. */
export async function readHeader(file: string): Promise<HostToInspector> {
  try {
    const reader = await openWeightFile(file);
    try {
      return { type: 'header', header: inspectHeader(reader) };
    } finally {
      await reader.close();
    }
  } catch (e) {
    return { type: 'error', error: toErrorInfo(e, file) };
  }
}

export class InspectorSession {
  /** Counts header reads; only the latest one's result is posted, so answers never arrive out of order. */
  private generation = 0;
  private disposed = false;

  constructor(
    private readonly file: string,
    private readonly host: InspectorHost,
    private readonly worker: InspectWorkerClient = new InspectWorkerClient(file),
  ) {}

  /** Handles one message from the webview (untrusted: anything malformed is ignored). */
  async handle(value: unknown): Promise<void> {
    const message = parseInspectorMessage(value);
    if (!message || this.disposed) return;
    if (isInspectorRequest(message)) return this.answer(message);
    switch (message.type) {
      case 'ready':
        return this.update(false);
      case 'refresh':
        return this.update(true);
      case 'closeDiff':
        await this.worker.request({ op: 'closeOther' }).catch(() => undefined);
        return;
    }
  }

  /** The file changed on disk: the worker lets the old contents go and the header is read again. */
  fileChanged(): Promise<void> {
    return this.update(true);
  }

  dispose(): void {
    this.disposed = true;
    this.worker.dispose();
  }

  private post(message: HostToInspector): void {
    if (!this.disposed) this.host.post(message);
  }

  private async update(changed: boolean): Promise<void> {
    if (changed) this.worker.restart();
    const generation = ++this.generation;
    const message = await readHeader(this.file);
    if (generation === this.generation) this.post(message);
  }

  private async answer(request: InspectorRequest): Promise<void> {
    try {
      this.post(await this.reply(request));
    } catch (e) {
      const error = e instanceof InspectRequestError ? e.info : toErrorInfo(e, this.file);
      this.post({ type: 'failed', replyTo: request.requestId, error });
    }
  }

  private async reply(request: InspectorRequest): Promise<InspectorReply> {
    const replyTo = request.requestId;
    const worker = this.worker;
    switch (request.type) {
      case 'tensorStats': {
        const stats = await worker.request<TensorStats>({ op: 'stats', name: request.name });
        return { type: 'tensorStats', replyTo, name: request.name, stats };
      }
      case 'tensorValues': {
        const values = await worker.request<TensorValues>({ op: 'values', name: request.name, bins: request.bins });
        return { type: 'tensorValues', replyTo, values: toWireValues(values) };
      }
      case 'reconstruct': {
        const { source, index, resolution } = request;
        const reconstruction = await worker.request<Reconstruction>({ op: 'reconstruct', source, index, resolution });
        return { type: 'reconstruction', replyTo, reconstruction: toWireReconstruction(reconstruction, source) };
      }
      case 'pickDiffFile': {
        const file = await this.host.pickFile();
        if (file === undefined) return { type: 'diffFile', replyTo, header: null };
        const header = await worker.request<InspectHeader>({ op: 'openOther', file });
        return { type: 'diffFile', replyTo, header };
      }
      case 'diff': {
        const diff = await worker.request<DiffReport>({ op: 'diff' });
        return { type: 'diffReport', replyTo, diff };
      }
    }
  }
}
