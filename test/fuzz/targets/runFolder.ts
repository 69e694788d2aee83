/**
 * Fuzz target for the readers of a training run folder: status, summary.json, config.json and
 * metrics.jsonl (src/core/train/runFolder.ts), and the comparison panel's reader on top of them
 * (readRunSeries and MetricsFollower, src/core/workspace/runSeries.ts). Seeds: every file of the runs in
 * test/compare/fixtures/runs; an input is that one file mutated, written into a fresh run folder whose
 * other files come from the same seed run.
 *
 * metrics.jsonl is also read as it grows: the follower reads a prefix of the input (cut mid-line for
 * most inputs, as a write in progress leaves it) and then the whole file; what it hands out must add up
 * to what readMetrics reads. The typed error is a RunFolderError naming a file of the folder. The oracle
 * checks what the consumers read: a known state, numbers that are finite (or null where allowed), and
 * columns of equal length per split holding float32-finite values or NaN (a field the record lacks).
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RunFolderError, readMetrics, readStatus, readSummary, RUN_FILES, type MetricRecord } from '../../../src/core/train/runFolder';
import { flattenConfig, MetricsFollower, readRunSeries, SERIES_SPLITS } from '../../../src/core/workspace/runSeries';
import type { FuzzSeed, FuzzTarget } from '../harness';
import { BYTE_MUTATORS, mutateJsonLines, mutateJsonNumberLiteral, mutateJsonText } from '../mutate';
import { check, isNumber, isObject } from './common';

const RUNS = resolve(__dirname, '..', '..', 'compare', 'fixtures', 'runs');

interface RunSeed extends FuzzSeed {
  /** The seed run's files by name. */
  readonly files: ReadonlyMap<string, Uint8Array>;
  /** The file the input replaces. */
  readonly file: string;
}

let runSeeds: RunSeed[] | undefined;

function loadSeeds(): RunSeed[] {
  runSeeds ??= readdirSync(RUNS)
    .sort()
    .flatMap((run) => {
      const names = readdirSync(join(RUNS, run)).sort();
      const files = new Map(names.map((n) => [n, new Uint8Array(readFileSync(join(RUNS, run, n)))]));
      // metrics.jsonl is the file with the most to read: it starts twice as many inputs as the others
      return names.map((file) => ({ name: `runs/${run}/${file}`, bytes: files.get(file)!, files, file, weight: file === RUN_FILES.metrics ? 2 : 1 }));
    });
  return runSeeds;
}

/** A value named in an oracle message, without recursing into it (a value may nest 200,000 deep). */
const shown = (v: unknown): string => (typeof v === 'object' && v !== null ? (Array.isArray(v) ? 'an array' : 'an object') : String(v));

const numberOrNull = (v: unknown): boolean => v === null || isNumber(v);

function checkRecords(records: readonly MetricRecord[], what: string): void {
  records.forEach((r, i) =>
    check(isObject(r) && isNumber(r.step) && isNumber(r.epoch) && typeof r.split === 'string', `${what}[${i}] lacks a finite step, epoch or split`),
  );
}

function sameRecords(a: readonly MetricRecord[], b: readonly MetricRecord[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

async function readEverything(dir: string, cut: number, metrics: Uint8Array | undefined): Promise<void> {
  const status = await readStatus(dir);
  if (status !== undefined) {
    check(
      isObject(status) && ['running', 'done', 'failed', 'cancelled'].includes(status.state),
      `status is ${shown(status)} with state ${shown((status as { state?: unknown } | null)?.state)}`,
    );
    check(status.error === undefined || typeof status.error === 'string', 'status.error is not a string');
  }
  const summary = await readSummary(dir);
  if (summary !== undefined) {
    check(isObject(summary), 'summary.json is not an object');
    for (const key of ['epochs', 'epochsDone', 'steps', 'durationSec'] as const)
      check(summary[key] === undefined || isNumber(summary[key]), `summary.${key} is ${shown(summary[key])}`);
    for (const key of ['bestValAccuracy', 'bestEpoch', 'testAccuracyAtBest'] as const)
      check(summary[key] === undefined || numberOrNull(summary[key]), `summary.${key} is ${shown(summary[key])}`);
  }
  const records = await readMetrics(dir);
  checkRecords(records, 'metrics');
  const series = await readRunSeries(dir);
  for (const [key, value] of Object.entries(series.config)) {
    check(value === null || ['string', 'number', 'boolean'].includes(typeof value), `config key ${key} is a ${typeof value}`);
  }
  check(Object.keys(flattenConfig(series.config)).length === Object.keys(series.config).length, 'flattening a flat config changed it');
  for (const split of SERIES_SPLITS) {
    const columns = series.metrics[split];
    const rows = records.filter((r) => r.split === split).length;
    for (const [name, column] of Object.entries(columns)) {
      check(column instanceof Float32Array && column.length === rows, `${split}.${name} has ${column.length} values for ${rows} records`);
      check(
        column.every((v: number) => Number.isFinite(v) || Number.isNaN(v)),
        `${split}.${name} holds an infinite value`,
      );
    }
  }
  if (metrics) {
    // the same file read as it grows: a prefix (a torn last line), then all of it
    const path = join(dir, RUN_FILES.metrics);
    writeFileSync(path, metrics.subarray(0, cut));
    const before = await readMetrics(dir);
    const follower = new MetricsFollower(dir);
    const first = await readRunSeries(dir, follower);
    check(
      SERIES_SPLITS.every((s) => first.metrics[s].step.length === before.filter((r) => r.split === s).length),
      "the follower's first read differs from readMetrics",
    );
    writeFileSync(path, metrics);
    const second = await follower.read();
    const whole = await readMetrics(dir);
    const added = second.kind === 'append' ? [...before, ...second.records] : second.records;
    check(sameRecords(added, whole), `the follower's records (${second.kind}) are not what readMetrics reads`);
  }
}

export const runFolderTarget: FuzzTarget = {
  name: 'run-folder',
  extension: '.run',
  onDisk: true,
  seeds: loadSeeds,
  mutators: [
    ...BYTE_MUTATORS,
    { name: 'json', weight: 8, mutate: mutateJsonText },
    { name: 'json-lines', weight: 8, mutate: mutateJsonLines },
    { name: 'json-number', weight: 2, mutate: mutateJsonNumberLiteral },
  ],
  async run(input, { file: dir, seedIndex, index }) {
    const seed = loadSeeds()[seedIndex]!;
    mkdirSync(dir, { recursive: true });
    try {
      for (const [name, bytes] of seed.files) writeFileSync(join(dir, name), name === seed.file ? input : bytes);
      const metrics = seed.file === RUN_FILES.metrics ? input : seed.files.get(RUN_FILES.metrics);
      // a cut anywhere in the file (mostly mid-line), the same for the same input
      const cut = metrics ? Math.floor((metrics.length * ((index % 7) + 1)) / 8) : 0;
      await readEverything(dir, cut, metrics);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
  typedError: (e, dir) => (e instanceof RunFolderError && e.message.startsWith(dir) ? 'RunFolderError' : undefined),
};
