/**
 * The extension's settings (contributes.configuration "weightSpaceLab.*"), read through an accessor so
 * this module does not need `vscode` and is tested in plain Node. A value of the wrong type falls back
 * to its default rather than breaking a command; `problems` says which and why.
 */
import type { FitBackendName } from '../protocol/worker';

export const SETTINGS_SECTION = 'weightSpaceLab';

export const BACKEND_SETTINGS = ['auto', 'wasm', 'webgpu', 'cpu', 'gpu'] as const;
export type BackendSetting = (typeof BACKEND_SETTINGS)[number];

export interface LabSettings {
  /** Compute backend for fitting and training. */
  readonly backend: BackendSetting;
  /** Worker threads of the fitting kernel; 0: one per core. */
  readonly workerThreads: number;
  /** Workspace-relative folders. */
  readonly datasetsFolder: string;
  readonly runsFolder: string;
  readonly fittingSteps: number;
  /** Stop fitting an INR at this PSNR; null: never stop early. */
  readonly targetPsnr: number | null;
  /** Tasks that run at once; the others wait in a queue. */
  readonly maxConcurrentTasks: number;
  readonly slurm: SlurmSettings;
  readonly problems: readonly string[];
}

/** "Submit to Slurm…" and the Slurm jobs in the Experiments view (weightSpaceLab.slurm.*). */
export interface SlurmSettings {
  /** ssh destination whose sbatch/squeue/sacct/scancel are used; null: the tools on this machine's PATH. */
  readonly loginHost: string | null;
  /** Seconds between polls of squeue/sacct while a job is queued or running. */
  readonly pollSeconds: number;
  readonly cpusPerTask: number;
  /** Extra sbatch options, one #SBATCH line each (e.g. "--partition=cpu", "--time=02:00:00"). */
  readonly sbatchOptions: readonly string[];
  /** Shell text that starts wslab on the nodes; null: this extension's dist/cli.js with VS Code's runtime. */
  readonly wslabCommand: string | null;
}

export const DEFAULT_SETTINGS: LabSettings = {
  backend: 'auto',
  workerThreads: 0,
  datasetsFolder: 'datasets',
  runsFolder: 'runs',
  fittingSteps: 1000,
  targetPsnr: 40,
  maxConcurrentTasks: 1,
  slurm: { loginHost: null, pollSeconds: 15, cpusPerTask: 4, sbatchOptions: [], wslabCommand: null },
  problems: [],
};

/** Reads `weightSpaceLab.<key>` (undefined when unset). */
export type SettingsAccessor = (key: string) => unknown;

export function readSettings(get: SettingsAccessor): LabSettings {
  const problems: string[] = [];
  const pick = <T>(key: string, fallback: T, ok: (v: unknown) => boolean, what: string): T => {
    const value = get(key);
    if (value === undefined || value === null) return fallback;
    if (ok(value)) return value as T;
    problems.push(`${SETTINGS_SECTION}.${key} must be ${what}, got ${JSON.stringify(value)}; using ${JSON.stringify(fallback)}`);
    return fallback;
  };
  const intIn = (min: number, max: number) => (v: unknown) => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
  const folder = (v: unknown) => typeof v === 'string' && v.trim() !== '' && !v.includes('\0');
  const psnr = get('generation.targetPsnr');
  let targetPsnr: number | null = DEFAULT_SETTINGS.targetPsnr;
  if (psnr === 0) targetPsnr = null;
  else if (typeof psnr === 'number' && psnr > 0 && psnr <= 200) targetPsnr = psnr;
  else if (psnr !== undefined && psnr !== null)
    problems.push(`${SETTINGS_SECTION}.generation.targetPsnr must be a PSNR in dB (0: never stop early), got ${JSON.stringify(psnr)}; using 40`);
  return {
    backend: pick('backend', DEFAULT_SETTINGS.backend, (v) => (BACKEND_SETTINGS as readonly unknown[]).includes(v), BACKEND_SETTINGS.join(', ')),
    workerThreads: pick('workerThreads', DEFAULT_SETTINGS.workerThreads, intIn(0, 256), 'an integer in [0, 256]'),
    datasetsFolder: pick('datasetsFolder', DEFAULT_SETTINGS.datasetsFolder, folder, 'a folder path'),
    runsFolder: pick('runsFolder', DEFAULT_SETTINGS.runsFolder, folder, 'a folder path'),
    fittingSteps: pick('generation.steps', DEFAULT_SETTINGS.fittingSteps, intIn(1, 1_000_000), 'an integer in [1, 1000000]'),
    targetPsnr,
    maxConcurrentTasks: pick('maxConcurrentTasks', DEFAULT_SETTINGS.maxConcurrentTasks, intIn(1, 8), 'an integer in [1, 8]'),
    slurm: readSlurmSettings(pick),
    problems,
  };
}

type Pick = <T>(key: string, fallback: T, ok: (v: unknown) => boolean, what: string) => T;

const isSshDestination = (v: unknown) => typeof v === 'string' && /^[A-Za-z0-9_.@:[\]-]+$/.test(v.trim()) && !v.trim().startsWith('-');
const isOneLine = (v: unknown) => typeof v === 'string' && !/[\n\r]/.test(v);
const isSbatchOption = (v: unknown) => isOneLine(v) && /^--?[A-Za-z]/.test(v as string);

function readSlurmSettings(pick: Pick): SlurmSettings {
  const fallback = DEFAULT_SETTINGS.slurm;
  const intIn = (min: number, max: number) => (v: unknown) => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
  // Blank text settings (their declared default "") mean "not set".
  const text = (key: string, ok: (v: unknown) => boolean, what: string) => {
    const value = pick<string | null>(key, null, (v) => v === '' || ok(v), what);
    return value === null || value.trim() === '' ? null : value.trim();
  };
  return {
    loginHost: text('slurm.loginHost', isSshDestination, 'an ssh destination (host, user@host or an ~/.ssh/config alias)'),
    pollSeconds: pick('slurm.pollSeconds', fallback.pollSeconds, intIn(2, 3600), 'an integer in [2, 3600]'),
    cpusPerTask: pick('slurm.cpusPerTask', fallback.cpusPerTask, intIn(1, 4096), 'an integer in [1, 4096]'),
    sbatchOptions: pick(
      'slurm.sbatchOptions',
      fallback.sbatchOptions,
      (v) => Array.isArray(v) && v.every(isSbatchOption),
      'a list of sbatch options, each starting with - or --',
    ),
    wslabCommand: text('slurm.wslabCommand', isOneLine, 'a one-line command'),
  };
}

/** The SIREN fitting backend for a backend setting ('cpu' is the plain-TypeScript reference). */
export function fitBackendFor(setting: BackendSetting): FitBackendName {
  return ({ auto: 'auto', wasm: 'wasm', webgpu: 'webgpu', cpu: 'reference', gpu: 'tfjs-node-gpu' } as const)[setting];
}

/**
 * The training backend a setting forces (`backend=…` override of the config), or none: 'auto' and 'wasm'
 * leave the choice to the config's `auto`, which trains on the fused WebAssembly kernels where the model has
 * them and on TensorFlow.js's WebAssembly backend otherwise; so does 'webgpu' until training runs on WebGPU.
 */
export function trainBackendFor(setting: BackendSetting): 'cpu' | 'tfjs-node-gpu' | undefined {
  return ({ auto: undefined, wasm: undefined, webgpu: undefined, cpu: 'cpu', gpu: 'tfjs-node-gpu' } as const)[setting];
}
