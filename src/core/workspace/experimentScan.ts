/**
 * What a workspace holds for the experiment tree, read without writing anything: experiment configs
 * (`*.wslab.json` anywhere but in dependency, hidden, dataset and run folders), INR datasets (folders
 * with a dataset.json under the datasets folder) and training runs (run folders under the runs folder,
 * see src/core/train/runFolder.ts). A run left "running" by a process that no longer exists is reported
 * as `interrupted` (it can be resumed). Studies (`*.study.wslab.json`, core/study) are listed apart from
 * configs, each with how far its folder (studies/<name>) has got. Unreadable entries are listed with their
 * error, never dropped.
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { SETTINGS_FILE } from '../dataset/manifest';
import { STUDIES_FOLDER, STUDY_SUFFIX, studyName } from '../study/studyFolder';
import { readStudyResult } from '../study/studyResult';
import { readRunConfig, readStatus, readSummary, RUN_FILES, type RunState, type RunStatus } from '../train/runFolder';
import { summarizeDataset, type DatasetSummary } from './datasetSummary';

export const CONFIG_SUFFIX = '.wslab.json';

export interface ConfigEntry {
  /** The run name the config trains into: its "name", else the file name without .wslab.json. */
  readonly name: string;
  readonly file: string;
  /** Its "dataset" as written (relative to the file), when readable. */
  readonly dataset: string | null;
  readonly error: string | null;
}

export interface StudyEntry {
  readonly name: string;
  readonly file: string;
  /** Where `wslab study` (and the extension) writes it: <studies folder>/<name>. */
  readonly out: string;
  /** From its study.json; null before it has one. */
  readonly runsFinished: number | null;
  readonly runsTotal: number | null;
  readonly complete: boolean;
  readonly error: string | null;
}

export type RunEntryState = RunState | 'interrupted' | 'unknown';

export interface RunEntry {
  readonly name: string;
  readonly dir: string;
  /** The name of the config it was trained from (runs are grouped by it). */
  readonly config: string;
  readonly state: RunEntryState;
  readonly bestValAccuracy: number | null;
  readonly testAccuracyAtBest: number | null;
  readonly bestEpoch: number | null;
  readonly epochsDone: number | null;
  readonly epochs: number | null;
  /** The error of a failed or cancelled run. */
  readonly error: string | null;
}

export interface ExperimentScan {
  readonly root: string;
  readonly configs: readonly ConfigEntry[];
  readonly datasets: readonly DatasetSummary[];
  readonly runs: readonly RunEntry[];
  readonly studies: readonly StudyEntry[];
}

export interface ScanOptions {
  /** Relative to the root, e.g. "datasets". */
  readonly datasetsFolder: string;
  readonly runsFolder: string;
  /** Where studies write their folders, relative to the root (default "studies"). */
  readonly studiesFolder?: string;
  /** How deep to look for configs below the root. */
  readonly configDepth?: number;
  /** Whether a process id is alive (a "running" run whose process is gone is interrupted). */
  readonly isAlive?: (pid: number) => boolean;
}

export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The run name of a config: what `wslab train` names its run folder. */
export function configRunName(file: string, raw: unknown): string {
  const name = (raw as { name?: unknown } | null)?.name;
  return typeof name === 'string' && name !== '' ? name : basename(file).replace(/(\.wslab)?\.json$/i, '');
}

async function readStudyEntry(file: string, studiesDir: string): Promise<StudyEntry> {
  let name = studyName(file, null);
  try {
    const raw = JSON.parse(await readFile(file, 'utf8')) as unknown;
    name = studyName(file, raw);
    const out = join(studiesDir, name);
    const result = await readStudyResult(out);
    return {
      name,
      file,
      out,
      runsFinished: result?.runsFinished ?? null,
      runsTotal: result?.runsTotal ?? null,
      complete: result?.complete ?? false,
      error: null,
    };
  } catch (e) {
    return { name, file, out: join(studiesDir, name), runsFinished: null, runsTotal: null, complete: false, error: `${file}: ${(e as Error).message}` };
  }
}

async function subfolders(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

async function findConfigs(dir: string, depth: number, skip: ReadonlySet<string>): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const found: string[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, e.name);
    if (e.isFile() && e.name.endsWith(CONFIG_SUFFIX)) found.push(path);
    else if (e.isDirectory() && depth > 0 && !e.name.startsWith('.') && e.name !== 'node_modules' && !skip.has(path)) {
      found.push(...(await findConfigs(path, depth - 1, skip)));
    }
  }
  return found;
}

async function readConfigEntry(file: string): Promise<ConfigEntry> {
  try {
    const raw = JSON.parse(await readFile(file, 'utf8')) as { dataset?: unknown };
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error('the config must be a JSON object');
    return { name: configRunName(file, raw), file, dataset: typeof raw.dataset === 'string' ? raw.dataset : null, error: null };
  } catch (e) {
    return { name: configRunName(file, null), file, dataset: null, error: `${file}: ${(e as Error).message}` };
  }
}

/** A run's state from its status file: a "running" run whose process is gone is `interrupted`. */
export function runEntryState(status: RunStatus | undefined, isAlive: (pid: number) => boolean): RunEntryState {
  const state = status?.state ?? 'unknown';
  return state === 'running' && status?.pid !== undefined && !isAlive(status.pid) ? 'interrupted' : state;
}

/** One run folder; a file that cannot be read makes the run `unknown` with the reason, not an exception. */
async function readRunEntry(dir: string, isAlive: (pid: number) => boolean): Promise<RunEntry> {
  const name = basename(dir);
  const entry: RunEntry = {
    name,
    dir,
    config: name,
    state: 'unknown',
    bestValAccuracy: null,
    testAccuracyAtBest: null,
    bestEpoch: null,
    epochsDone: null,
    epochs: null,
    error: null,
  };
  try {
    const [config, status, s] = await Promise.all([readRunConfig<{ name?: unknown }>(dir), readStatus(dir), readSummary(dir)]);
    return {
      ...entry,
      config: typeof config?.name === 'string' ? config.name : name,
      state: runEntryState(status, isAlive),
      bestValAccuracy: s?.bestValAccuracy ?? null,
      testAccuracyAtBest: s?.testAccuracyAtBest ?? null,
      bestEpoch: s?.bestEpoch ?? null,
      epochsDone: s?.epochsDone ?? null,
      epochs: s?.epochs ?? null,
      error: status?.error ?? null,
    };
  } catch (e) {
    return { ...entry, error: (e as Error).message };
  }
}

export async function scanExperiments(root: string, o: ScanOptions): Promise<ExperimentScan> {
  const datasetsDir = resolve(root, o.datasetsFolder);
  const runsDir = resolve(root, o.runsFolder);
  const isAlive = o.isAlive ?? processIsAlive;

  const studiesDir = resolve(root, o.studiesFolder ?? STUDIES_FOLDER);
  const found = await findConfigs(root, o.configDepth ?? 3, new Set([datasetsDir, runsDir]));
  const configs = await Promise.all(found.filter((f) => !f.endsWith(STUDY_SUFFIX)).map(readConfigEntry));
  const studies = await Promise.all(found.filter((f) => f.endsWith(STUDY_SUFFIX)).map((f) => readStudyEntry(f, studiesDir)));

  const datasetDirs: string[] = [];
  for (const name of await subfolders(datasetsDir)) {
    const dir = join(datasetsDir, name);
    const hasSettings = await readdir(dir).then(
      (files) => files.includes(SETTINGS_FILE),
      () => false,
    );
    if (hasSettings) datasetDirs.push(dir);
  }
  const datasets = await Promise.all(datasetDirs.map((dir) => summarizeDataset(dir)));

  const runNames: string[] = [];
  for (const name of await subfolders(runsDir)) {
    const isRun = await readdir(join(runsDir, name)).then(
      (files) => files.includes(RUN_FILES.config),
      () => false,
    );
    if (isRun) runNames.push(name);
  }
  const runs = await Promise.all(runNames.map((name) => readRunEntry(join(runsDir, name), isAlive)));
  return { root, configs, datasets, runs, studies };
}

/** A path relative to the scan's root, with forward slashes (for labels). */
export function relativeToRoot(root: string, path: string): string {
  return relative(root, path).split('\\').join('/');
}
