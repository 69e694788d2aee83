/**
 * One open inspector's logic, without VS Code (tests drive it in plain Node): it answers the webview's
 * INSPECTOR_RPC requests (rpc.ts: checked, one reply each — the worker thread's result or the typed
 * error), pushes the file's header on the `ready`/`refresh` notices (read here, in the host: only the
 * header, so the table shows at once) and drops anything else. panel.ts wires it to a webview
 * panel, the file watcher and the open dialog.
 */
import { toErrorInfo } from '../../../core/labError';
import { inspectHeader } from '../../../core/inspect/header';
import { openWeightFile } from '../../../core/formats/registry';
import { INSPECTOR_RPC, parseInspectorNotice, toWireReconstruction, toWireValues, type HostToInspector, type InspectorRpc } from '../../../protocol';
import { RpcServer, type RpcReply } from '../../../protocol/rpc';
import { InspectWorkerClient } from './workerClient';

export interface InspectorHost {
  /** Delivers a message to the webview (dropped when it is gone). */
  post(message: HostToInspector | RpcReply): void;
  /** Asks the user for the file to diff against (the host's own dialog); undefined when cancelled. */
  pickFile(): Promise<string | undefined>;
  /** The file's header message (the document's cache in VS Code, shared by its editors); default: read it now. */
  header?(): Promise<HostToInspector>;
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
  private readonly rpc: RpcServer<InspectorRpc>;

  constructor(
    private readonly file: string,
    private readonly host: InspectorHost,
    private readonly worker: InspectWorkerClient = new InspectWorkerClient(file),
  ) {
    this.rpc = new RpcServer(
      INSPECTOR_RPC,
      {
        tensorStats: ({ name }) => worker.request('stats', { name }),
        tensorValues: async ({ name, bins }) => toWireValues(await worker.request('values', { name, bins })),
        reconstruct: async (p) => toWireReconstruction(await worker.request('reconstruct', p), p.source),
        pickDiffFile: async () => {
          const other = await host.pickFile();
          return other === undefined ? null : worker.request('openOther', { file: other });
        },
        diff: () => worker.request('diff', {}),
      },
      (reply) => this.post(reply),
      file,
    );
  }

  /** Handles one message from the webview (untrusted: anything malformed is answered or ignored). */
  async handle(value: unknown): Promise<void> {
    if (this.disposed || (await this.rpc.receive(value))) return;
    switch (parseInspectorNotice(value)?.type) {
      case 'ready':
        return this.update(false);
      case 'refresh':
        return this.update(true);
      case 'closeDiff':
        await this.worker.request('closeOther', {}).catch(() => undefined);
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

  private post(message: HostToInspector | RpcReply): void {
    if (!this.disposed) this.host.post(message);
  }

  private async update(changed: boolean): Promise<void> {
    if (changed) this.worker.restart();
    const generation = ++this.generation;
    const message = await (this.host.header ? this.host.header() : readHeader(this.file));
    if (generation === this.generation) this.post(message);
  }
}
