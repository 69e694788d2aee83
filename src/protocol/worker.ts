/**
 * Messages between the extension host and a worker process (src/worker, started with
 * child_process.fork): the host sends one `run` with a job and maybe a `cancel`; the worker answers
 * `ready`, then `started` / `progress` / `log` while it works, and ends with exactly one of `result`,
 * `failed` or `cancelled`. One union per direction; each side accepts what it receives only through
 * `parseHostToWorker` / `parseWorkerToHost`, which throw a ProtocolError naming the field and the value.
 */
import { BACKEND_KINDS, type BackendKind } from '../core/inr/backendKinds';
import {
  arrayOf,
  boolean,
  integer,
  nonEmptyString,
  nullable,
  number,
  object,
  oneOf,
  ProtocolError,
  string,
  tagged,
  type Check,
  type Parsed,
  type TaggedUnion,
} from './shape';
import { ERROR_CODES } from '../core/labError';
import type { GenerationRequest } from '../core/dataset/generationRequest';

export { ProtocolError } from './shape';

/** The SIREN fitting backends a generation may ask for (src/core/inr/backend.ts). */
export const FIT_BACKENDS = BACKEND_KINDS;
export type FitBackendName = BackendKind;

// ── jobs ───────────────────────────────────────────────────────────────────────────────────────────
// Each message and job is declared once, as its checker's fields; its type is derived from them (shape.ts).

const count = integer(0);
const positive = integer(1);
const seed = integer(0, 2 ** 32 - 1);
const fraction: Check<number> = (v, path) => {
  const x = number(v, path);
  if (x < 0 || x >= 1) throw new ProtocolError(`${path} must be in [0, 1), got ${x}`);
  return x;
};

/** The command line's settings (core/dataset/generationRequest.ts), the backend by name. */
const generateFields = {
  dataset: nonEmptyString,
  out: nonEmptyString,
  limit: nullable(positive),
  views: positive,
  hidden: arrayOf(integer(1, 4096), 16),
  steps: positive,
  targetPsnr: nullable(number),
  seed,
  shardSize: positive,
  valFraction: fraction,
  testFraction: fraction,
  backend: oneOf(...FIT_BACKENDS),
  workers: nullable(positive),
} satisfies { readonly [K in keyof GenerationRequest]: Check<GenerationRequest[K]> };

/** Where and how a job array goes to Slurm (the extension's "Submit to Slurm…", settings weightSpaceLab.slurm.*). */
const slurmTargetFields = {
  /** ssh destination whose sbatch runs (the script piped on stdin); null: sbatch on PATH. */
  loginHost: nullable(nonEmptyString),
  cpusPerTask: integer(1, 4096),
  /** Extra sbatch options, one #SBATCH line each, e.g. "--partition=cpu". */
  sbatchOptions: arrayOf(nonEmptyString, 100),
  /** Shell text that starts wslab on the nodes; null: the extension's own dist/cli.js with its runtime. */
  wslab: nullable(nonEmptyString),
  /** Absolute folder the tasks run in (--chdir). */
  workdir: nonEmptyString,
};
export type SlurmTarget = Parsed<typeof slurmTargetFields>;
const slurmTarget = object(slurmTargetFields);

const JOBS = {
  /** `wslab generate`: fit one SIREN per image or mesh into a dataset folder (resumes what is there). */
  generate: generateFields,
  /** `wslab train`: one run of an experiment config into a run folder. */
  train: {
    /** Absolute path of the *.wslab.json config. */
    config: nonEmptyString,
    /** Absolute run folder. */
    runDir: nonEmptyString,
    /** Continue from the run folder's last checkpoint. */
    resume: boolean,
    /** `key=value` edits of the config, as `wslab train --set` (e.g. a backend override). */
    overrides: arrayOf(string, 100),
  },
  /** `wslab eval`: a run's best or last checkpoint evaluated on a split of its dataset. */
  eval: {
    /** Absolute run folder. */
    runDir: nonEmptyString,
    split: oneOf('train', 'val', 'test'),
    checkpoint: oneOf('best', 'last'),
  },
  /** `wslab augment`: augmented copies of every INR of a dataset. */
  augment: {
    input: nonEmptyString,
    out: nonEmptyString,
    /** The chain, e.g. "translate+siren-negation". */
    aug: nonEmptyString,
    copies: positive,
    seed,
  },
  /** `wslab preview`: an INR and augmented copies rendered side by side into a PNG. */
  preview: {
    /** A weight file or DATASET#ID. */
    input: nonEmptyString,
    aug: nonEmptyString,
    /** Absolute path of the PNG to write. */
    out: nonEmptyString,
    copies: integer(1, 64),
    seed,
    size: integer(8, 1024),
  },
  /** `wslab slurm generate --submit`: the generation as a job array, task i of n making shards k ≡ i (mod n). */
  slurmGenerate: {
    generate: object(generateFields),
    /** Array tasks; null: one per shard (at most 1,000). */
    tasks: nullable(positive),
    slurm: slurmTarget,
  },
  /** `wslab slurm sweep --submit`: one training run per grid point × seed (no grid, no seeds: one run). */
  slurmSweep: {
    config: nonEmptyString,
    /** Absolute runs folder; the job record goes to RUNS/slurm/job.json. */
    runs: nonEmptyString,
    /** `key=v1,v2` axes, as `--grid`. */
    grid: arrayOf(nonEmptyString, 100),
    seeds: nullable(arrayOf(seed, 10_000)),
    /** First part of every run name; null: the config's name. */
    runName: nullable(nonEmptyString),
    slurm: slurmTarget,
  },
  /** `wslab merge`: join a dataset's shards (made by a job array) into its manifest. */
  merge: { dir: nonEmptyString },
  /** `wslab study`: every run of a data-efficiency study, resumably, into its folder. */
  study: {
    /** Absolute path of the *.study.wslab.json file. */
    file: nonEmptyString,
    /** Absolute study folder (study.json, report.html, runs/). */
    out: nonEmptyString,
    /** Runs at once; null: the study's own `parallel`. */
    parallel: nullable(integer(1, 64)),
  },
  /** Exercises the channel itself (tests, and the crash/cancel paths): 'sleep': progress every 20 ms for `ms`, cancellable; 'fail': throws; 'exit': exits with code 3 mid-run. */
  probe: { behaviour: oneOf('sleep', 'fail', 'exit'), ms: integer(0, 3_600_000) },
};

export type AnyJob = TaggedUnion<'kind', typeof JOBS>;
export type Job = Exclude<AnyJob, { kind: 'probe' }>;
export type JobKind = Job['kind'];
type JobOfKind<K extends AnyJob['kind']> = Extract<AnyJob, { kind: K }>;
export type GenerateJob = JobOfKind<'generate'>;
export type TrainJob = JobOfKind<'train'>;
export type EvalJob = JobOfKind<'eval'>;
export type AugmentJob = JobOfKind<'augment'>;
export type PreviewJob = JobOfKind<'preview'>;
export type SlurmGenerateJob = JobOfKind<'slurmGenerate'>;
export type SlurmSweepJob = JobOfKind<'slurmSweep'>;
export type MergeJob = JobOfKind<'merge'>;
export type StudyJob = JobOfKind<'study'>;
export type ProbeJob = JobOfKind<'probe'>;
const jobCheck = tagged<AnyJob, 'kind'>('kind', JOBS);

// ── results ────────────────────────────────────────────────────────────────────────────────────────

const slurmSubmitted = { jobId: nonEmptyString, out: string, tasks: positive, what: string };
const RESULTS = {
  generate: { out: string, items: count, complete: boolean },
  train: { runDir: string, bestValAccuracy: nullable(number), bestEpoch: nullable(count), testAccuracyAtBest: nullable(number), durationSec: number },
  eval: { runDir: string, split: string, checkpoint: string, accuracy: number, loss: number, count },
  augment: { out: string, items: count },
  preview: { out: string, lines: arrayOf(string) },
  slurmGenerate: slurmSubmitted,
  slurmSweep: slurmSubmitted,
  merge: { dir: string, items: count },
  study: { out: string, runsFinished: count, runsTotal: count },
  probe: { ms: count },
};
export type JobResult = TaggedUnion<'kind', typeof RESULTS>;

// ── host → worker ──────────────────────────────────────────────────────────────────────────────────

const HOST_TO_WORKER = {
  run: { job: jobCheck },
  /** Stop as soon as possible, keeping what is finished (shards, checkpoints). */
  cancel: {},
};
export type HostToWorker = TaggedUnion<'type', typeof HOST_TO_WORKER>;

// ── worker → host ──────────────────────────────────────────────────────────────────────────────────

const WORKER_TO_HOST = {
  ready: { pid: positive },
  /** The job has begun: the compute backend in use (and its device, e.g. a GPU adapter) and what it is about to do. */
  started: { backend: string, device: nullable(string), detail: string },
  progress: {
    done: count,
    total: count,
    /** What is counted, e.g. "INRs", "steps". */
    unit: string,
    /** Throughput in `rateUnit`, e.g. 3100 "INR-steps/s"; null when unknown. */
    rate: nullable(number),
    rateUnit: string,
    /** Seconds left, when the job knows; else the host estimates from done/total over time. */
    etaSec: nullable(number),
    /** Extra facts, e.g. "PSNR 38.2 dB" or "epoch 3/20 · loss 0.41". */
    detail: string,
  },
  log: { text: string },
  result: { result: tagged<JobResult, 'kind'>('kind', RESULTS) },
  /** `code`: the LabError's code, `internal` for anything else (labError.ts). */
  failed: { error: object({ name: string, code: oneOf(...ERROR_CODES), message: string, stack: nullable(string) }) },
  cancelled: { message: string },
};
export type WorkerToHost = TaggedUnion<'type', typeof WORKER_TO_HOST>;
export type ProgressMessage = Extract<WorkerToHost, { type: 'progress' }>;

const hostToWorker = tagged<HostToWorker, 'type'>('type', HOST_TO_WORKER);
const workerToHost = tagged<WorkerToHost, 'type'>('type', WORKER_TO_HOST);

/** What the worker accepts from the host; throws ProtocolError naming the problem. */
export function parseHostToWorker(value: unknown): HostToWorker {
  return hostToWorker(value, 'message to the worker');
}

/** What the host accepts from a worker; throws ProtocolError naming the problem. */
export function parseWorkerToHost(value: unknown): WorkerToHost {
  return workerToHost(value, 'message from the worker');
}
