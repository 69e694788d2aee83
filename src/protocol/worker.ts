/**
 * Messages between the extension host and a worker process (src/worker, started with
 * child_process.fork): the host sends one `run` with a job and maybe a `cancel`; the worker answers
 * `ready`, then `started` / `progress` / `log` while it works, and ends with exactly one of `result`,
 * `failed` or `cancelled`. One union per direction; each side accepts what it receives only through
 * `parseHostToWorker` / `parseWorkerToHost`, which throw a ProtocolError naming the field and the value.
 */
import { BACKEND_KINDS, type BackendKind } from '../core/inr/backendKinds';
import { arrayOf, boolean, integer, nonEmptyString, nullable, number, object, oneOf, ProtocolError, string, tagged, type Check } from './shape';
import type { GenerationRequest } from '../core/dataset/generationRequest';

export { ProtocolError } from './shape';

/** The SIREN fitting backends a generation may ask for (src/core/inr/backend.ts). */
export const FIT_BACKENDS = BACKEND_KINDS;
export type FitBackendName = BackendKind;

// ── jobs ───────────────────────────────────────────────────────────────────────────────────────────

/**
 * `wslab generate`: fit one SIREN per image into a dataset folder (resumes what is there) — the command
 * line's settings (core/dataset/generateArgv.ts), the backend by name.
 */
export interface GenerateJob extends GenerationRequest {
  readonly kind: 'generate';
}

/** `wslab train`: one run of an experiment config into a run folder. */
export interface TrainJob {
  readonly kind: 'train';
  /** Absolute path of the *.wslab.json config. */
  readonly config: string;
  /** Absolute run folder. */
  readonly runDir: string;
  /** Continue from the run folder's last checkpoint. */
  readonly resume: boolean;
  /** `key=value` edits of the config, as `wslab train --set` (e.g. a backend override). */
  readonly overrides: readonly string[];
}

/** `wslab augment`: augmented copies of every INR of a dataset. */
export interface AugmentJob {
  readonly kind: 'augment';
  readonly input: string;
  readonly out: string;
  /** The chain, e.g. "translate+siren-negation". */
  readonly aug: string;
  readonly copies: number;
  readonly seed: number;
}

/** `wslab preview`: an INR and augmented copies rendered side by side into a PNG. */
export interface PreviewJob {
  readonly kind: 'preview';
  /** A weight file or DATASET#ID. */
  readonly input: string;
  readonly aug: string;
  /** Absolute path of the PNG to write. */
  readonly out: string;
  readonly copies: number;
  readonly seed: number;
  readonly size: number;
}

/** Where and how a job array goes to Slurm (the extension's "Submit to Slurm…", settings weightSpaceLab.slurm.*). */
export interface SlurmTarget {
  /** ssh destination whose sbatch runs (the script piped on stdin); null: sbatch on PATH. */
  readonly loginHost: string | null;
  readonly cpusPerTask: number;
  /** Extra sbatch options, one #SBATCH line each, e.g. "--partition=cpu". */
  readonly sbatchOptions: readonly string[];
  /** Shell text that starts wslab on the nodes; null: the extension's own dist/cli.js with its runtime. */
  readonly wslab: string | null;
  /** Absolute folder the tasks run in (--chdir). */
  readonly workdir: string;
}

/** `wslab slurm generate --submit`: the generation as a job array, task i of n making shards k ≡ i (mod n). */
export interface SlurmGenerateJob {
  readonly kind: 'slurmGenerate';
  readonly generate: Omit<GenerateJob, 'kind'>;
  /** Array tasks; null: one per shard (at most 1,000). */
  readonly tasks: number | null;
  readonly slurm: SlurmTarget;
}

/** `wslab slurm sweep --submit`: one training run per grid point × seed (no grid, no seeds: one run). */
export interface SlurmSweepJob {
  readonly kind: 'slurmSweep';
  readonly config: string;
  /** Absolute runs folder; the job record goes to RUNS/slurm/job.json. */
  readonly runs: string;
  /** `key=v1,v2` axes, as `--grid`. */
  readonly grid: readonly string[];
  readonly seeds: readonly number[] | null;
  /** First part of every run name; null: the config's name. */
  readonly runName: string | null;
  readonly slurm: SlurmTarget;
}

/** `wslab merge`: join a dataset's shards (made by a job array) into its manifest. */
export interface MergeJob {
  readonly kind: 'merge';
  readonly dir: string;
}

/** `wslab study`: every run of a data-efficiency study, resumably, into its folder. */
export interface StudyJob {
  readonly kind: 'study';
  /** Absolute path of the *.study.wslab.json file. */
  readonly file: string;
  /** Absolute study folder (study.json, report.html, runs/). */
  readonly out: string;
  /** Runs at once; null: the study's own `parallel`. */
  readonly parallel: number | null;
}

export type Job = GenerateJob | TrainJob | AugmentJob | PreviewJob | SlurmGenerateJob | SlurmSweepJob | MergeJob | StudyJob;
export type JobKind = Job['kind'];

/** Exercises the channel itself (tests, and the crash/cancel paths): sleeps, fails or dies on request. */
export interface ProbeJob {
  readonly kind: 'probe';
  /** 'sleep': progress every 20 ms for `ms`, cancellable; 'fail': throws; 'exit': exits with code 3 mid-run. */
  readonly behaviour: 'sleep' | 'fail' | 'exit';
  readonly ms: number;
}

export type AnyJob = Job | ProbeJob;

// ── results ────────────────────────────────────────────────────────────────────────────────────────

export type JobResult =
  | { readonly kind: 'generate'; readonly out: string; readonly items: number; readonly complete: boolean }
  | {
      readonly kind: 'train';
      readonly runDir: string;
      readonly bestValAccuracy: number | null;
      readonly bestEpoch: number | null;
      readonly testAccuracyAtBest: number | null;
      readonly durationSec: number;
    }
  | { readonly kind: 'augment'; readonly out: string; readonly items: number }
  | { readonly kind: 'preview'; readonly out: string; readonly lines: readonly string[] }
  | { readonly kind: 'slurmGenerate' | 'slurmSweep'; readonly jobId: string; readonly out: string; readonly tasks: number; readonly what: string }
  | { readonly kind: 'merge'; readonly dir: string; readonly items: number }
  | { readonly kind: 'study'; readonly out: string; readonly runsFinished: number; readonly runsTotal: number }
  | { readonly kind: 'probe'; readonly ms: number };

// ── host → worker ──────────────────────────────────────────────────────────────────────────────────

export interface RunMessage {
  readonly type: 'run';
  readonly job: AnyJob;
}

/** Stop as soon as possible, keeping what is finished (shards, checkpoints). */
export interface CancelMessage {
  readonly type: 'cancel';
}

export type HostToWorker = RunMessage | CancelMessage;

// ── worker → host ──────────────────────────────────────────────────────────────────────────────────

export interface ReadyMessage {
  readonly type: 'ready';
  readonly pid: number;
}

/** The job has begun: the compute backend in use (and its device, e.g. a GPU adapter) and what it is about to do. */
export interface StartedMessage {
  readonly type: 'started';
  readonly backend: string;
  readonly device: string | null;
  readonly detail: string;
}

export interface ProgressMessage {
  readonly type: 'progress';
  readonly done: number;
  readonly total: number;
  /** What is counted, e.g. "INRs", "steps". */
  readonly unit: string;
  /** Throughput in `rateUnit`, e.g. 3100 "INR-steps/s"; null when unknown. */
  readonly rate: number | null;
  readonly rateUnit: string;
  /** Seconds left, when the job knows; else the host estimates from done/total over time. */
  readonly etaSec: number | null;
  /** Extra facts, e.g. "PSNR 38.2 dB" or "epoch 3/20 · loss 0.41". */
  readonly detail: string;
}

export interface LogMessage {
  readonly type: 'log';
  readonly text: string;
}

export interface ResultMessage {
  readonly type: 'result';
  readonly result: JobResult;
}

export interface FailedMessage {
  readonly type: 'failed';
  readonly error: { readonly name: string; readonly message: string; readonly stack: string | null };
}

export interface CancelledMessage {
  readonly type: 'cancelled';
  readonly message: string;
}

export type WorkerToHost = ReadyMessage | StartedMessage | ProgressMessage | LogMessage | ResultMessage | FailedMessage | CancelledMessage;

// ── validation ─────────────────────────────────────────────────────────────────────────────────────

const count = integer(0);
const positive = integer(1);
const fraction: Check<number> = (v, path) => {
  const x = number(v, path);
  if (x < 0 || x >= 1) throw new ProtocolError(`${path} must be in [0, 1), got ${x}`);
  return x;
};

const generateFields = {
  dataset: nonEmptyString,
  out: nonEmptyString,
  limit: nullable(positive),
  views: positive,
  hidden: arrayOf(integer(1, 4096), 16),
  steps: positive,
  targetPsnr: nullable(number),
  seed: integer(0, 2 ** 32 - 1),
  shardSize: positive,
  valFraction: fraction,
  testFraction: fraction,
  backend: oneOf(...FIT_BACKENDS),
  workers: nullable(positive),
} satisfies { readonly [K in keyof GenerationRequest]: Check<GenerationRequest[K]> };

const slurmTarget = object({
  loginHost: nullable(nonEmptyString),
  cpusPerTask: integer(1, 4096),
  sbatchOptions: arrayOf(nonEmptyString, 100),
  wslab: nullable(nonEmptyString),
  workdir: nonEmptyString,
});

const jobCheck = tagged<AnyJob, 'kind'>('kind', {
  generate: generateFields,
  train: { config: nonEmptyString, runDir: nonEmptyString, resume: boolean, overrides: arrayOf(string, 100) },
  augment: { input: nonEmptyString, out: nonEmptyString, aug: nonEmptyString, copies: positive, seed: integer(0, 2 ** 32 - 1) },
  preview: { input: nonEmptyString, aug: nonEmptyString, out: nonEmptyString, copies: integer(1, 64), seed: integer(0, 2 ** 32 - 1), size: integer(8, 1024) },
  slurmGenerate: { generate: object(generateFields), tasks: nullable(positive), slurm: slurmTarget },
  slurmSweep: {
    config: nonEmptyString,
    runs: nonEmptyString,
    grid: arrayOf(nonEmptyString, 100),
    seeds: nullable(arrayOf(integer(0, 2 ** 32 - 1), 10_000)),
    runName: nullable(nonEmptyString),
    slurm: slurmTarget,
  },
  merge: { dir: nonEmptyString },
  study: { file: nonEmptyString, out: nonEmptyString, parallel: nullable(integer(1, 64)) },
  probe: { behaviour: oneOf('sleep', 'fail', 'exit'), ms: integer(0, 3_600_000) },
});

const resultCheck = tagged<JobResult, 'kind'>('kind', {
  generate: { out: string, items: count, complete: boolean },
  train: { runDir: string, bestValAccuracy: nullable(number), bestEpoch: nullable(count), testAccuracyAtBest: nullable(number), durationSec: number },
  augment: { out: string, items: count },
  preview: { out: string, lines: arrayOf(string) },
  slurmGenerate: { jobId: nonEmptyString, out: string, tasks: positive, what: string },
  slurmSweep: { jobId: nonEmptyString, out: string, tasks: positive, what: string },
  merge: { dir: string, items: count },
  study: { out: string, runsFinished: count, runsTotal: count },
  probe: { ms: count },
});

const hostToWorker = tagged<HostToWorker, 'type'>('type', { run: { job: jobCheck }, cancel: {} });

const workerToHost = tagged<WorkerToHost, 'type'>('type', {
  ready: { pid: positive },
  started: { backend: string, device: nullable(string), detail: string },
  progress: { done: count, total: count, unit: string, rate: nullable(number), rateUnit: string, etaSec: nullable(number), detail: string },
  log: { text: string },
  result: { result: resultCheck },
  failed: { error: object({ name: string, message: string, stack: nullable(string) }) },
  cancelled: { message: string },
});

/** What the worker accepts from the host; throws ProtocolError naming the problem. */
export function parseHostToWorker(value: unknown): HostToWorker {
  return hostToWorker(value, 'message to the worker');
}

/** What the host accepts from a worker; throws ProtocolError naming the problem. */
export function parseWorkerToHost(value: unknown): WorkerToHost {
  return workerToHost(value, 'message from the worker');
}
