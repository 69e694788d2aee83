/**
 * A stand-in for the `vscode` module with just what the extension touches at activation (registering
 * commands, views, editors, the status bar item, event subscriptions), recording the registrations.
 * Used to load dist/extension.js in plain Node: activation time, what activate() registers.
 */
import Module from 'node:module';

export interface FakeVscode {
  readonly module: Record<string, unknown>;
  readonly commands: Map<string, (...args: unknown[]) => unknown>;
  readonly treeViews: string[];
  readonly customEditors: string[];
  readonly statusBarItems: { text: string; tooltip?: string; command?: string; shown: boolean }[];
}

const disposable = () => ({ dispose() {} });
const event = () => () => disposable();

export function createFakeVscode(): FakeVscode {
  const commands = new Map<string, (...args: unknown[]) => unknown>();
  const treeViews: string[] = [];
  const customEditors: string[] = [];
  const statusBarItems: FakeVscode['statusBarItems'] = [];
  class EventEmitter {
    private listeners: ((e: unknown) => void)[] = [];
    event = (listener: (e: unknown) => void) => {
      this.listeners.push(listener);
      return disposable();
    };
    fire(e?: unknown) {
      for (const l of this.listeners) l(e);
    }
    dispose() {}
  }
  const module = {
    EventEmitter,
    StatusBarAlignment: { Left: 1, Right: 2 },
    TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
    ProgressLocation: { Notification: 15 },
    ThemeIcon: class {
      constructor(
        readonly id: string,
        readonly color?: unknown,
      ) {}
    },
    ThemeColor: class {
      constructor(readonly id: string) {}
    },
    Uri: { file: (path: string) => ({ scheme: 'file', fsPath: path, path }) },
    commands: {
      registerCommand: (id: string, handler: (...args: unknown[]) => unknown) => {
        commands.set(id, handler);
        return disposable();
      },
      executeCommand: async () => undefined,
    },
    window: {
      createTreeView: (id: string) => {
        treeViews.push(id);
        return disposable();
      },
      registerCustomEditorProvider: (viewType: string) => {
        customEditors.push(viewType);
        return disposable();
      },
      createStatusBarItem: () => {
        const item = {
          text: '',
          shown: false,
          show() {
            item.shown = true;
          },
          dispose() {},
        } as FakeVscode['statusBarItems'][number] & { show(): void; dispose(): void };
        statusBarItems.push(item);
        return item;
      },
      createOutputChannel: () => ({ appendLine() {}, show() {}, dispose() {} }),
    },
    workspace: {
      isTrusted: true,
      workspaceFolders: undefined,
      getConfiguration: () => ({ get: () => undefined }),
      onDidGrantWorkspaceTrust: event(),
      onDidChangeWorkspaceFolders: event(),
      onDidChangeConfiguration: event(),
    },
  };
  return { module, commands, treeViews, customEditors, statusBarItems };
}

/** Makes `require('vscode')` return `fake` while `body` runs. */
export function withFakeVscode<T>(fake: FakeVscode, body: () => T): T {
  const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const original = loader._load;
  loader._load = function (request: string, ...rest: unknown[]) {
    if (request === 'vscode') return fake.module;
    return original.call(this, request, ...rest);
  };
  try {
    return body();
  } finally {
    loader._load = original;
  }
}
