/**
 * Crash soak: runs real `wslab generate` / `wslab train` processes (node dist/cli.js), kills each with
 * SIGKILL at a seeded random moment — or the instant a temporary file appears, i.e. in the middle of a
 * shard or checkpoint write — checks that nothing on disk is half-written, resumes, and after the last
 * kill lets the run finish and compares it with an uninterrupted run of the same settings: for a dataset
 * every file byte for byte (ids, labels, weights); for a run the best/last tensors bit for bit and the
 * metrics and summary apart from wall time. Used by `npm run soak` (test/soak/run.ts, ≥ 20 kills) and
 * `npm test` (test/soak/crash.test.ts, 3 kills on tiny sizes).
 */
import { spawn, spawnSync } from 'node:child_process';
import { watch, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { atomicTempTarget, isAtomicTempName } from '../../src/core/io/atomicWrite';
import { readDatasetSettings, readManifest, SETTINGS_FILE, MANIFEST_FILE, SHARDS_DIR, shardFileName, shardPath } from '../../src/core/dataset/manifest';
import { planFromSettings } from '../../src/core/dataset/generate';
import { groupByShard } from '../../src/core/dataset/plan';
import { readFinishedShard } from '../../src/core/dataset/shard';
import { readWeightSet } from '../../src/core/formats/registry';
import { readCheckpoint } from '../../src/core/train/checkpoint';
import { readMetrics, RUN_FILES } from '../../src/core/train/runFolder';
import { readJsonFile } from '../../src/core/io/readJsonFile';
import { Rng } from '../../src/core/random/rng';

export const CLI = 'dist/cli.js';

export interface SoakOptions {
  /** Kills to make (each followed by a check and a resume). */
  readonly kills: number;
  readonly seed: number;
  /** An empty scratch folder. */
  readonly work: string;
  /** Every how many kills one waits for a temporary file (a kill mid-write); 0: never. */
  readonly midWriteEvery?: number;
  readonly log?: (line: string) => void;
}

export interface KillRecord {
  readonly session: number;
  readonly mode: 'timed' | 'mid-write';
  /** Milliseconds after the start of the process when SIGKILL was sent. */
  readonly atMs: number;
  /** Temporary files this session left half-written (never renamed), found right after the kill. */
  readonly tempFiles: number;
  /** What the check after the kill found, in words. */
  readonly state: string;
}

export interface SoakReport {
  readonly what: 'generate' | 'train';
  readonly kills: readonly KillRecord[];
  /** Sessions that finished on their own before their kill came (not counted as kills). */
  readonly finishedEarly: number;
  readonly referenceMs: number;
  readonly soakMs: number;
}

export class SoakFailure extends Error {
  override readonly name = 'SoakFailure';
}

interface Session {
  readonly killed: boolean;
  /** Killed because a write started (not by the timer). */
  readonly byWrite: boolean;
  readonly atMs: number;
  readonly code: number | null;
  readonly stderr: string;
}

/**
 * Runs `args` and kills it after `delayMs`, or — sooner — the moment the `budget + 1`-th write of a
 * progress unit starts under `watched.dir` (a temporary file for a target matching `watched.target`
 * appears: a shard, or last.safetensors), so a session finishes at most `budget` units and is killed
 * mid-write of the next one. Resolves when the process is gone.
 */
function runAndKill(
  args: readonly string[],
  delayMs: number,
  watched: { dir: string; target: RegExp; budget: number; ignore: ReadonlySet<string> },
): Promise<Session> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let killedAt: number | undefined;
    let byWrite = false;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const kill = () => {
      if (killedAt !== undefined || child.exitCode !== null) return;
      killedAt = performance.now() - started;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(kill, delayMs);
    const writesSeen = new Set<string>();
    const watcher = watch(watched.dir, { recursive: true }, (_event, name) => {
      const file = name ? String(name).split(/[\\/]/).pop()! : '';
      // (Old temporary files being cleaned up, named in `ignore`, are not writes.)
      if (!watched.target.test(atomicTempTarget(file) ?? '') || writesSeen.has(file) || watched.ignore.has(file)) return;
      writesSeen.add(file);
      if (writesSeen.size > watched.budget) {
        byWrite = killedAt === undefined;
        kill();
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      watcher.close();
      resolve({ killed: signal === 'SIGKILL', byWrite, atMs: killedAt ?? performance.now() - started, code, stderr });
    });
  });
}

/** Runs `args` to the end; throws with its stderr when it fails. */
function runToEnd(args: readonly string[]): number {
  const started = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  if (r.status !== 0) throw new SoakFailure(`${args.slice(1, 3).join(' ')} failed (exit ${r.status}): ${r.stderr}`);
  return performance.now() - started;
}

/** Temporary files under `dir` (any depth), and the other names, relative to it. */
function listFiles(dir: string): { temps: string[]; files: string[] } {
  if (!existsSync(dir)) return { temps: [], files: [] };
  const all = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  const rel = (e: (typeof all)[number]) => join(e.parentPath ?? e.path, e.name).slice(dir.length + 1);
  return { temps: all.filter((e) => isAtomicTempName(e.name)).map(rel), files: all.filter((e) => !isAtomicTempName(e.name)).map(rel) };
}

/**
 * The kill schedule. Each session may finish a random number of progress units (shards, epochs) — on
 * average 1/(kills left + 1) of those left, never all of them — and is killed when it starts writing the
 * next one, or earlier at a random moment (`midWriteEvery`-th kills wait for the write). A session that
 * finishes anyway (a write that beat its kill) is not a kill: the folder is emptied and the soak goes on.
 */
async function soak(
  what: 'generate' | 'train',
  o: SoakOptions,
  session: () => { args: string[]; watchDir: string; writes: RegExp },
  unitsOf: () => Promise<{ done: number; total: number }>,
  check: () => Promise<string>,
  reference: { ms: number },
  finish: () => Promise<void>,
): Promise<SoakReport> {
  const rng = new Rng(o.seed);
  const started = performance.now();
  const kills: KillRecord[] = [];
  let finishedEarly = 0;
  for (let i = 0; kills.length < o.kills; i++) {
    if (i > o.kills * 3) throw new SoakFailure(`${what}: only ${kills.length} of ${o.kills} kills landed in ${i} sessions`);
    const midWrite = (o.midWriteEvery ?? 0) > 0 && kills.length % o.midWriteEvery! === o.midWriteEvery! - 1;
    const { args, watchDir, writes } = session();
    const tempsBefore = new Set(listFiles(watchDir).temps);
    const oldTemps = new Set([...tempsBefore].map((t) => t.split(/[\\/]/).pop()!));
    const units = await unitsOf();
    const left = units.total - units.done;
    const budget = Math.min(left - 1, Math.floor(rng.next() * ((2 * left) / (o.kills - kills.length + 1))));
    // A random moment within about the time of the units allowed (plus start-up), so roughly half of the
    // timed kills come before the write that would end the session.
    const unitMs = reference.ms / units.total;
    const delay = midWrite ? reference.ms * 4 : rng.uniform(0.2, 1) * (1500 + (Math.max(0, budget) + 1) * unitMs * 1.5);
    const s = await runAndKill(args, delay, { dir: watchDir, target: writes, budget: Math.max(0, budget), ignore: oldTemps });
    if (!s.killed) {
      if (s.code !== 0) throw new SoakFailure(`${what} session ${i} failed (exit ${s.code}): ${s.stderr}`);
      finishedEarly++;
      o.log?.(`${what} session ${i}: finished before its kill; starting the folder again`);
      for (const name of readdirSync(watchDir)) rmSync(join(watchDir, name), { recursive: true, force: true });
      continue;
    }
    const tempFiles = listFiles(watchDir).temps.filter((t) => !tempsBefore.has(t)).length;
    const state = await check();
    const mode = s.byWrite ? 'mid-write' : 'timed';
    kills.push({ session: i, mode, atMs: Math.round(s.atMs), tempFiles, state });
    o.log?.(
      `${what} kill ${kills.length}/${o.kills} (${mode}) at ${s.atMs.toFixed(0)} ms: ${state}${tempFiles ? `, ${tempFiles} temporary file(s) left` : ''}`,
    );
  }
  await finish();
  return { what, kills, finishedEarly, referenceMs: Math.round(reference.ms), soakMs: Math.round(performance.now() - started) };
}

// ---------------------------------------------------------------------------------------------------
// Generation

export interface GenerateSoakOptions extends SoakOptions {
  readonly limit: number;
  readonly views?: number;
  readonly steps: number;
  readonly shardSize: number;
  readonly workers?: number;
}

export async function soakGenerate(o: GenerateSoakOptions): Promise<SoakReport> {
  const args = (out: string) => [
    CLI,
    'generate',
    '--dataset',
    'mnist',
    '--out',
    out,
    '--limit',
    String(o.limit),
    '--views',
    String(o.views ?? 1),
    '--steps',
    String(o.steps),
    '--target-psnr',
    'none',
    '--shard-size',
    String(o.shardSize),
    '--seed',
    String(o.seed),
    '--workers',
    String(o.workers ?? 2),
    '--progress',
    'none',
  ];
  const [clean, killed] = [join(o.work, 'generate-clean'), join(o.work, 'generate-killed')];
  const ms = runToEnd(args(clean));
  const totalShards = Math.ceil((o.limit * (o.views ?? 1)) / o.shardSize);
  return soak(
    'generate',
    o,
    () => {
      mkdirSync(join(killed, SHARDS_DIR), { recursive: true }); // exists before the watch starts
      return { args: args(killed), watchDir: killed, writes: /^\d{5}\.safetensors$/ };
    },
    async () => ({ done: listFiles(join(killed, SHARDS_DIR)).files.length, total: totalShards }),
    () => checkDatasetFolder(killed),
    { ms },
    async () => {
      runToEnd(args(killed));
      await checkDatasetFolder(killed);
      const [a, b] = [datasetBytes(clean), datasetBytes(killed)];
      const names = [...a.keys()].join(',');
      if ([...b.keys()].join(',') !== names)
        throw new SoakFailure(`generate: the resumed dataset has files ${[...b.keys()].join(',')}, the uninterrupted one ${names}`);
      for (const [name, bytes] of a) if (!bytes.equals(b.get(name)!)) throw new SoakFailure(`generate: ${name} differs from the uninterrupted run's`);
      const temps = listFiles(killed).temps;
      if (temps.length) throw new SoakFailure(`generate: temporary files left after the final run: ${temps.join(', ')}`);
    },
  );
}

/** Every file of a dataset folder by relative path (temporary files aside), as bytes, in name order. */
function datasetBytes(dir: string): Map<string, Buffer> {
  return new Map(
    listFiles(dir)
      .files.sort()
      .map((f) => [f, readFileSync(join(dir, f))]),
  );
}

/**
 * The invariants of a dataset folder at any moment, also right after a kill: only known files (and
 * temporary ones); dataset.json and manifest.json parse and pass their schema; every shard file is a
 * finished shard of the plan (every tensor readable to its last byte); the manifest lists only shards
 * that exist. Returns what it found, in words; throws a SoakFailure otherwise.
 */
export async function checkDatasetFolder(dir: string): Promise<string> {
  const { files } = listFiles(dir);
  const shardNames = files.filter((f) => f.startsWith(`${SHARDS_DIR}/`)).map((f) => f.slice(SHARDS_DIR.length + 1));
  const strays = files.filter((f) => f !== SETTINGS_FILE && f !== MANIFEST_FILE && !/^shards\/\d{5}\.safetensors$/.test(f));
  if (strays.length) throw new SoakFailure(`${dir}: unexpected files ${strays.join(', ')}`);
  if (!files.includes(SETTINGS_FILE)) {
    if (files.length) throw new SoakFailure(`${dir}: files but no ${SETTINGS_FILE}`);
    return 'nothing written yet';
  }
  const settings = await readDatasetSettings(dir);
  const byShard = groupByShard(planFromSettings(settings));
  for (const name of shardNames) {
    const k = Number(name.slice(0, 5));
    const path = shardPath(dir, k);
    if (shardFileName(k) !== name || !byShard[k]) throw new SoakFailure(`${path}: not a shard of the plan`);
    const found = await readFinishedShard(path, settings, byShard[k]!);
    if (!('items' in found)) throw new SoakFailure(`${path}: half-written or damaged (${found.problem})`);
    await readWeightSet(path, 'safetensors').catch((e: Error) => {
      throw new SoakFailure(`${path}: tensors do not read completely (${e.message})`);
    });
  }
  let listed = 0;
  if (files.includes(MANIFEST_FILE)) {
    const manifest = await readManifest(dir);
    listed = manifest.items.length;
    const missing = manifest.items.find((item) => !shardNames.includes(shardFileName(item.shard)));
    if (missing) throw new SoakFailure(`${dir}: manifest lists ${missing.id} of shard ${missing.shard}, whose file is missing`);
  }
  return `${shardNames.length}/${byShard.length} shards complete, manifest lists ${listed}`;
}

// ---------------------------------------------------------------------------------------------------
// Training

export interface TrainSoakOptions extends SoakOptions {
  /** Dataset size and fitting steps of the INRs trained on (made first, with wslab generate). */
  readonly inrs: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly hidden?: number;
}

export async function soakTrain(o: TrainSoakOptions): Promise<SoakReport> {
  const dataset = join(o.work, 'train-inrs');
  runToEnd([
    CLI,
    'generate',
    '--dataset',
    'mnist',
    '--out',
    dataset,
    '--limit',
    String(o.inrs),
    '--steps',
    '10',
    '--target-psnr',
    'none',
    '--shard-size',
    '32',
    '--seed',
    String(o.seed),
    '--workers',
    '2',
    '--progress',
    'none',
  ]);
  const config = join(o.work, 'soak.wslab.json');
  writeFileSync(
    config,
    JSON.stringify({
      dataset,
      model: { kind: 'dwsnet', hidden: o.hidden ?? 8, layers: 2, headHidden: 16 },
      optimizer: { epochs: o.epochs, batchSize: o.batchSize, warmupSteps: 5 },
      augment: [
        { name: 'siren-negation', p: 0.5 },
        { name: 'translate', p: 0.5 },
      ],
      labelSmoothing: 0.1,
      backend: 'wasm',
      seed: o.seed,
      logEvery: 2,
    }),
  );
  const [clean, killed] = [join(o.work, 'runs-clean'), join(o.work, 'runs-killed')];
  const runDir = join(killed, 'soak');
  const args = (runs: string, resume: boolean) => [CLI, 'train', '--config', config, '--runs', runs, '--progress', 'none', ...(resume ? ['--resume'] : [])];
  const ms = runToEnd(args(clean, false));
  return soak(
    'train',
    o,
    () => {
      mkdirSync(runDir, { recursive: true }); // exists before the watch starts
      return { args: args(killed, existsSync(join(runDir, RUN_FILES.config))), watchDir: killed, writes: /^last\.safetensors$/ };
    },
    async () => {
      const last = join(runDir, RUN_FILES.last);
      return { done: existsSync(last) ? ((await readCheckpoint(last)).progress?.epoch ?? 0) : 0, total: o.epochs };
    },
    () => checkRunFolder(runDir),
    { ms },
    async () => {
      runToEnd(args(killed, true));
      await checkRunFolder(runDir);
      await compareRuns(join(clean, 'soak'), runDir);
    },
  );
}

/**
 * The invariants of a run folder at any moment, also right after a kill: only known files (and
 * temporary ones); both checkpoints read completely; config, summary and status parse; metrics.jsonl
 * reads (a partial last line is allowed). Returns what it found, in words.
 */
export async function checkRunFolder(dir: string): Promise<string> {
  const { files } = listFiles(dir);
  const known = new Set<string>(Object.values(RUN_FILES));
  const strays = files.filter((f) => !known.has(f));
  if (strays.length) throw new SoakFailure(`${dir}: unexpected files ${strays.join(', ')}`);
  let epoch = 0;
  for (const file of [RUN_FILES.best, RUN_FILES.last]) {
    if (!files.includes(file)) continue;
    const checkpoint = await readCheckpoint(join(dir, file)).catch((e: Error) => {
      throw new SoakFailure(`${join(dir, file)}: half-written or damaged (${e.message})`);
    });
    if (file === RUN_FILES.last) epoch = checkpoint.progress?.epoch ?? -1;
  }
  for (const file of [RUN_FILES.config, RUN_FILES.summary, RUN_FILES.status]) {
    if (files.includes(file)) await readJsonFile(join(dir, file), (message) => new SoakFailure(message));
  }
  const metrics = await readMetrics(dir).catch((e: Error) => {
    throw new SoakFailure(e.message);
  });
  return files.includes(RUN_FILES.last) ? `checkpoint of epoch ${epoch}, ${metrics.length} metric records` : `no checkpoint yet (${files.length} files)`;
}

/** A resumed run against an uninterrupted one: tensors bit for bit, metrics and summary apart from wall time. */
async function compareRuns(whole: string, resumed: string): Promise<void> {
  for (const file of [RUN_FILES.best, RUN_FILES.last]) {
    const [a, b] = [await readWeightSet(join(whole, file)), await readWeightSet(join(resumed, file))];
    if (a.names.join(',') !== b.names.join(',')) throw new SoakFailure(`train: ${file} holds other tensors after resuming`);
    for (const t of a.tensors) {
      const [x, y] = [
        Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength),
        Buffer.from(b.get(t.name).data.buffer, b.get(t.name).data.byteOffset, b.get(t.name).data.byteLength),
      ];
      if (!x.equals(y)) throw new SoakFailure(`train: ${file} ${t.name} differs from the uninterrupted run's`);
    }
  }
  const strip = (records: Awaited<ReturnType<typeof readMetrics>>) => JSON.stringify(records.map(({ time: _t, ...rest }) => rest));
  if (strip(await readMetrics(whole)) !== strip(await readMetrics(resumed)))
    throw new SoakFailure('train: metrics.jsonl differs from the uninterrupted run (wall time aside)');
  const summary = async (dir: string) => {
    const s = (await readJsonFile(join(dir, RUN_FILES.summary), (m) => new SoakFailure(m))) as Record<string, unknown>;
    return JSON.stringify({ ...s, durationSec: 0, name: '' });
  };
  if ((await summary(whole)) !== (await summary(resumed))) throw new SoakFailure('train: summary.json differs from the uninterrupted run (wall time aside)');
  const status = (await readJsonFile(join(resumed, RUN_FILES.status), (m) => new SoakFailure(m))) as { state?: string };
  if (status.state !== 'done') throw new SoakFailure(`train: the resumed run ends ${status.state}, not done`);
  const temps = listFiles(resumed).temps;
  if (temps.length) throw new SoakFailure(`train: temporary files left after the final run: ${temps.join(', ')}`);
}
