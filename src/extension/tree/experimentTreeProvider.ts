/**
 * The Experiments view's TreeDataProvider: scans the workspace (core, read-only) into the nodes of
 * experimentModel.ts and keeps them current by itself — file watchers on configs, dataset and run files
 * (debounced), task changes (a new scan when a task starts or ends, a cheap re-render with the new
 * percentages while it runs). Elements are the plain ExperimentNode objects, so tests read them directly.
 * It also follows the workspace's Slurm jobs (slurmJobs.ts: polled while active, through a status function
 * the extension connects from the commands' bundle) and sets the `weightSpaceLab.slurmAvailable` context
 * key once it knows whether this machine can submit (sbatch on PATH, or a login host set), asynchronously
 * after activation.
 */
import * as vscode from 'vscode';
import type { JobRecord } from '../../core/cluster/jobRecord';
import type { JobStatus } from '../../core/cluster/jobStatus';
import { findWorkspaceJobs } from '../../core/cluster/workspaceJobs';
import { scanExperiments, type ExperimentScan } from '../../core/workspace/experimentScan';
import type { LabSettings, SlurmSettings } from '../settings';
import type { TaskInfo } from '../tasks/taskManager';
import { buildExperimentTree, flattenTree, type ExperimentNode } from './experimentModel';
import { slurmAvailable } from './slurmAvailability';
import { SlurmJobs } from './slurmJobs';

export const EXPERIMENTS_VIEW = 'weightSpaceLab.experiments';
/** Context key: "Submit to Slurm…" can work here (sbatch on PATH, or weightSpaceLab.slurm.loginHost set). */
export const SLURM_AVAILABLE_KEY = 'weightSpaceLab.slurmAvailable';

/** The status of a job now, asked of Slurm the way the settings say (on PATH or over ssh). */
export type SlurmStatusFunction = (record: JobRecord, settings: SlurmSettings) => Promise<JobStatus>;

export interface TreeSources {
  root(): string | undefined;
  settings(): LabSettings;
  tasks(): readonly TaskInfo[];
}

/** File events come in bursts (a shard, then the manifest): scan once things are quiet this long. */
const REFRESH_DEBOUNCE_MS = 300;
/** While tasks run, percentages are re-rendered at most this often. */
const PROGRESS_RENDER_MS = 2000;

export class ExperimentTreeProvider implements vscode.TreeDataProvider<ExperimentNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<ExperimentNode | undefined | void>();
  readonly onDidChangeTreeData = this.emitter.event;
  private scan: Promise<ExperimentScan | undefined> | undefined;
  private nodes: ExperimentNode[] = [];
  /** What VS Code was last given, to tell whether a change event is needed at all. */
  private shownSignature = '';
  private parents = new Map<string, ExperimentNode>();
  private refreshTimer: NodeJS.Timeout | undefined;
  private renderTimer: NodeJS.Timeout | undefined;
  private lastTaskStates = '';
  private watchers: vscode.Disposable[] = [];
  private watchedKey = '';
  /** Root fetches by VS Code in flight, and whether a change event waits for them to end. */
  private rootFetches = 0;
  private announceDeferred = false;
  /** The submitted Slurm jobs of the workspace and their last status. */
  readonly slurm: SlurmJobs;
  private slurmStatus: SlurmStatusFunction | undefined;
  private availability: { key: string; value: Promise<boolean> } | undefined;
  private availabilityTimer: NodeJS.Timeout | undefined;

  constructor(private readonly sources: TreeSources) {
    this.slurm = new SlurmJobs(
      {
        status: (record) => {
          if (!this.slurmStatus) return Promise.reject(new Error('the Slurm status reader is not connected yet'));
          return this.slurmStatus(record, this.sources.settings().slurm);
        },
        pollMs: () => this.sources.settings().slurm.pollSeconds * 1000,
        enabled: () => vscode.workspace.isTrusted,
      },
      () => void this.build().then((nodes) => this.announce(nodes)),
    );
    // After activation, not during it: a few stat calls along PATH.
    this.availabilityTimer = setTimeout(() => void this.slurmAvailability(), 0);
  }

  /** Connects the (lazily loaded) reader of job statuses. */
  connectSlurm(status: SlurmStatusFunction): void {
    this.slurmStatus = status;
  }

  /**
   * Whether "Submit to Slurm…" can work here; looked up again when the login host setting changes, and
   * mirrored in the SLURM_AVAILABLE_KEY context key for menus.
   */
  slurmAvailability(): Promise<boolean> {
    const settings = this.sources.settings().slurm;
    const key = settings.loginHost ?? '';
    if (this.availability?.key !== key) {
      const value = slurmAvailable(settings).catch(() => false);
      this.availability = { key, value };
      void value.then((ok) => vscode.commands.executeCommand('setContext', SLURM_AVAILABLE_KEY, ok));
    }
    return this.availability.value;
  }

  /** Rescans soon (debounced); VS Code is told only if something it shows changed. */
  refresh(): void {
    if (this.availability) void this.slurmAvailability();
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.refreshNow(), REFRESH_DEBOUNCE_MS);
  }

  /** Rescans now and resolves with the new top-level nodes (tests, and commands that just wrote files). */
  async refreshNow(): Promise<ExperimentNode[]> {
    clearTimeout(this.refreshTimer);
    this.scan = undefined;
    const nodes = await this.build();
    this.announce(nodes);
    return nodes;
  }

  /**
   * A task changed: rescan when one started or ended; while one runs, re-render its percentage at most
   * every PROGRESS_RENDER_MS from the last scan (no I/O). Every change event makes VS Code fetch the whole
   * tree again (and cancels a fetch in flight), so events are sent only for visible differences.
   */
  tasksChanged(): void {
    const states = this.sources
      .tasks()
      .map((t) => `${t.id}:${t.state}`)
      .join(',');
    if (states !== this.lastTaskStates) {
      this.lastTaskStates = states;
      this.refresh();
      return;
    }
    this.renderTimer ??= setTimeout(() => {
      this.renderTimer = undefined;
      void this.build().then((nodes) => this.announce(nodes));
    }, PROGRESS_RENDER_MS);
  }

  async getChildren(node?: ExperimentNode): Promise<ExperimentNode[]> {
    if (node) return [...(node.children ?? [])];
    this.rootFetches++;
    try {
      const nodes = await this.build();
      this.shownSignature = signature(nodes);
      return nodes;
    } finally {
      this.rootFetches--;
      if (this.rootFetches === 0 && this.announceDeferred) {
        this.announceDeferred = false;
        setTimeout(() => void this.build().then((nodes) => this.announce(nodes)), 50);
      }
    }
  }

  /** The top-level nodes from the last scan (scanning first if there is none) and the tasks now. */
  private async build(): Promise<ExperimentNode[]> {
    const root = this.sources.root();
    if (!root) return [];
    this.watch(root);
    this.scan ??= this.scanNow(root);
    const scan = await this.scan;
    this.nodes = scan ? buildExperimentTree(scan, this.sources.tasks(), this.slurm.list()) : [];
    this.parents = new Map();
    const index = (parent: ExperimentNode) => {
      for (const child of parent.children ?? []) {
        this.parents.set(child.id, parent);
        index(child);
      }
    };
    this.nodes.forEach(index);
    return this.nodes;
  }

  /**
   * Tells VS Code the tree changed — unless it shows this already, or is fetching the tree right now: a
   * change event during a fetch cancels that fetch, and VS Code 1.100 can then keep showing the old
   * items (or none); the event is sent once the fetch has finished instead.
   */
  private announce(nodes: readonly ExperimentNode[]): void {
    if (signature(nodes) === this.shownSignature) return;
    if (this.rootFetches > 0) {
      this.announceDeferred = true;
      return;
    }
    this.emitter.fire();
  }

  getParent(node: ExperimentNode): ExperimentNode | undefined {
    return this.parents.get(node.id);
  }

  /** Every node shown now (after the last getChildren). */
  allNodes(): ExperimentNode[] {
    return flattenTree(this.nodes);
  }

  getTreeItem(node: ExperimentNode): vscode.TreeItem {
    const collapsible = node.children?.length
      ? node.expanded
        ? vscode.TreeItemCollapsibleState.Expanded
        : vscode.TreeItemCollapsibleState.Collapsed
      : vscode.TreeItemCollapsibleState.None;
    const item = new vscode.TreeItem(node.label, collapsible);
    item.id = node.id;
    item.description = node.description;
    item.tooltip = node.tooltip;
    item.contextValue = node.contextValue;
    item.iconPath = new vscode.ThemeIcon(node.icon.id, node.icon.color ? new vscode.ThemeColor(node.icon.color) : undefined);
    if (node.path && node.kind !== 'group') item.resourceUri = vscode.Uri.file(node.path);
    // A hint runs its command bare; any other node's command gets the node (e.g. a study: open its view).
    if (node.command) item.command = { command: node.command, title: node.label, arguments: node.kind === 'hint' ? [] : [node] };
    else if (node.open) item.command = { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.file(node.open)] };
    return item;
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    clearTimeout(this.renderTimer);
    clearTimeout(this.availabilityTimer);
    this.slurm.dispose();
    for (const w of this.watchers) w.dispose();
    this.emitter.dispose();
  }

  private async scanNow(root: string): Promise<ExperimentScan | undefined> {
    const { datasetsFolder, runsFolder } = this.sources.settings();
    try {
      const scan = await scanExperiments(root, { datasetsFolder, runsFolder });
      // The job records are read now; their statuses arrive later (the tree is redrawn then).
      void this.slurm.update(await findWorkspaceJobs(root, { datasetsFolder, runsFolder }));
      return scan;
    } catch {
      return undefined;
    }
  }

  /** Watches configs anywhere, and the dataset and run files under the configured folders. */
  private watch(root: string): void {
    const { datasetsFolder, runsFolder } = this.sources.settings();
    const key = `${root}|${datasetsFolder}|${runsFolder}`;
    if (key === this.watchedKey) return;
    this.watchedKey = key;
    for (const w of this.watchers) w.dispose();
    const base = vscode.Uri.file(root);
    const patterns = [
      '**/*.wslab.json',
      `${datasetsFolder}/*`,
      `${datasetsFolder}/*/{dataset.json,manifest.json}`,
      `${runsFolder}/*`,
      `${runsFolder}/*/{status,summary.json,config.json}`,
      `${datasetsFolder}/*/slurm/job.json`,
      `${runsFolder}/slurm/job.json`,
    ].map((p) => p.replace(/^\.\//, ''));
    this.watchers = patterns.map((pattern) => {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(base, pattern));
      const onEvent = () => this.refresh();
      watcher.onDidCreate(onEvent);
      watcher.onDidChange(onEvent);
      watcher.onDidDelete(onEvent);
      return watcher;
    });
  }
}

/** Everything of the nodes that VS Code shows. */
function signature(nodes: readonly ExperimentNode[]): string {
  return JSON.stringify(nodes);
}
